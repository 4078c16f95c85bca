"""Reads of the notification centre."""

from django.contrib.auth import get_user_model
from django.core.cache import cache

from notifications.models import EMAIL_BY_DEFAULT, Kind, Notification, NotificationPreference

UNREAD_CACHE_SECONDS = 600


def unread_cache_key(user_id):
    return f"notifications:unread:{user_id}"


def unread_notification_count(*, user):
    """How many of ``user``'s notifications are unread, for the site header
    on every page: cached per person, so a page costs no query for it. The
    services drop the entry when they add notifications or mark them read;
    the timeout covers what the admin deletes."""
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.unread().filter(recipient=user).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def notification_list(*, user):
    """``user``'s notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "text", "url", "created_at", "read_at"
    )


def email_preferences(*, user):
    """kind -> whether ``user`` also gets it by e-mail, for every kind."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, kind in EMAIL_BY_DEFAULT) for kind in Kind.values}


def email_recipients(*, user_ids, kind):
    """Of ``user_ids``, the active people with an address who want ``kind``
    by e-mail (their own choice, or the kind's default): their addresses."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = kind in EMAIL_BY_DEFAULT
    wanted = [user_id for user_id in user_ids if chosen.get(user_id, default)]
    if not wanted:
        return []
    return list(
        get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
