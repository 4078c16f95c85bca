from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from notifications.feeds import feed_token_value
from notifications.models import FeedToken
from notifications.selectors import email_preferences, kind_areas, kind_short_label, kinds_for
from notifications.subscriptions import subscriptions_of
from people import roles
from people.models import Profile


@require_GET
def profile(request):
    """«Мой профиль»: what the portal knows about the person, their roles, and
    which notifications also come by e-mail (changed on their own page)."""
    user = request.user
    staff_profile = Profile.objects.select_related("office", "position").filter(user=user).first()
    names = roles.role_names(user)
    chosen = email_preferences(user=user)
    kinds = kinds_for(user=user)
    by_email = [
        (title, [kind_short_label(kind) for kind in area_kinds])
        for title, area_kinds in kind_areas(kinds=[kind for kind in kinds if chosen[kind]])
    ]
    return render(
        request,
        "people/profile.html",
        {
            "staff_profile": staff_profile,
            "roles": [role for role in roles.ALL_ROLES if role in names] or [roles.STAFF],
            "by_email": by_email,
            "kinds_total": len(kinds),
            "by_email_total": sum(len(labels) for _title, labels in by_email),
            "feed_url": _feed_url(request),
            "subscriptions": subscriptions_of(user=user),
        },
    )


def _feed_url(request):
    """The address of the person's private Atom feed, or None before one is made."""
    token = FeedToken.objects.filter(user=request.user).first()
    if token is None:
        return None
    path = reverse("updates:feed", kwargs={"token": feed_token_value(token)})
    if settings.PORTAL_URL:
        return settings.PORTAL_URL.rstrip("/") + path
    return request.build_absolute_uri(path)
