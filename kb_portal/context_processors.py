from django.conf import settings

from people.roles import can_use_admin


def portal(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    return {
        "can_use_admin": bool(user and can_use_admin(user)),
        "debug": settings.DEBUG,
    }
