from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from notifications.feeds import feed_token_value, feed_tokens_of
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
    feeds = _feed_urls(request)
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
            "feed_url": feeds.get(FeedToken.Purpose.ATOM),
            "calendar_url": feeds.get(FeedToken.Purpose.CALENDAR),
            "subscriptions": subscriptions_of(user=user),
        },
    )


# Where each private feed lives (the secret part of the address is the token).
_FEED_ROUTES = {
    FeedToken.Purpose.ATOM: "updates:feed",
    FeedToken.Purpose.CALENDAR: "events:feed",
}


def _feed_urls(request):
    """The addresses of the person's private feeds (the Atom feed, the
    calendar), by purpose; a feed not made yet is missing. One query."""
    urls = {}
    for purpose, token in feed_tokens_of(user=request.user).items():
        path = reverse(_FEED_ROUTES[purpose], kwargs={"token": feed_token_value(token)})
        if settings.PORTAL_URL:
            urls[purpose] = settings.PORTAL_URL.rstrip("/") + path
        else:
            urls[purpose] = request.build_absolute_uri(path)
    return urls
