from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.selectors import mandatory_unacknowledged, section_tree, with_sections
from dashboards.pulse import home_pulse

HOME_LIST_SIZE = 6


def home(request):
    published = Article.objects.published().for_cards()
    tree = section_tree(request)
    return render(
        request,
        "home.html",
        {
            "recently_published": with_sections(
                published.order_by("-published_at")[:HOME_LIST_SIZE], tree
            ),
            "recently_updated": with_sections(
                published.order_by("-updated_at")[:HOME_LIST_SIZE], tree
            ),
            "popular": with_sections(published.order_by("-view_count")[:HOME_LIST_SIZE], tree),
            "mandatory": mandatory_unacknowledged(request.user, tree, limit=5),
            "top_sections": tree.roots,
            "pulse": home_pulse(),
        },
    )


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer: the process answers and the database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    return render(request, "errors/500.html", status=500)
