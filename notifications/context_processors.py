import functools

from notifications.selectors import unread_notification_count


def notifications(request):
    """The unread count for the site header's link to the notifications (and
    the idea list's banner).

    Lazy: a template that never shows it (the admin, the login page) never
    asks for it, and a page that shows it twice asks once. The count itself
    is cached per person (see ``unread_notification_count``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "notifications_unread_count": functools.cache(lambda: unread_notification_count(user=user))
    }
