import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from articles.mandatory import mandatory_unacknowledged
from articles.models import Article
from articles.selectors import section_tree, with_sections
from articles.targeting import for_you_home
from dashboards.pulse import home_pulse
from events.selectors import upcoming_for
from kb_portal.reports import reports_for

logger = logging.getLogger(__name__)

HOME_LIST_SIZE = 6
HOME_EVENTS = 4
# What a person sees if even the template of the error page cannot be rendered.
LAST_RESORT_500 = (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8">'
    "<title>Ошибка на сервере</title></head><body><h1>Что-то пошло не так</h1>"
    "<p>На сервере произошла ошибка. Попробуйте обновить страницу через минуту.</p>"
    '<p><a href="/">На главную</a></p></body></html>'
)


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
            "for_you": for_you_home(request.user, tree, limit=HOME_LIST_SIZE),
            "upcoming_events": upcoming_for(request.user, limit=HOME_EVENTS),
            "top_sections": tree.roots,
            "pulse": home_pulse(),
        },
    )


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer: the process answers and the database does too.

    Without the shared cache the portal still works (slower), so a host whose
    Redis is unreachable answers 200 with ``"status": "degraded"``: the load
    balancer keeps it, monitoring sees the cache is out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    is_available = getattr(cache, "is_available", None)  # only the Redis backend has it
    if is_available is not None and not is_available():
        return JsonResponse({"status": "degraded", "cache": "unavailable"})
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired form or blocked cookies, said in Russian."""
    return render(request, "errors/403_csrf.html", status=403)


def bad_request(request, exception=None):
    """A standalone page, like the 500 one: it is also what RejectNulMiddleware
    answers before the session or the user are known."""
    return HttpResponseBadRequest(render_to_string("errors/400.html"))


def server_error(request):
    """Rendered without the request: no context processors, so neither the
    session, the user, the cache nor the database is touched, and without
    static files (the styles are inline), so a missing manifest cannot break it."""
    try:
        html = render_to_string("errors/500.html")
    except Exception:  # the last resort must answer whatever failed
        logger.exception("The 500 page could not be rendered")
        html = LAST_RESORT_500
    return HttpResponseServerError(html)


def reports(request):
    """«Отчёты»: the reports this person may open (403 without any)."""
    groups = reports_for(request.user)
    if not groups:
        raise PermissionDenied
    return render(request, "reports.html", {"groups": groups})
