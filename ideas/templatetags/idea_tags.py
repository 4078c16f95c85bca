from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_since(moment, now=None):
    """Whole days from ``moment`` to ``now`` (or to the present)."""
    if moment is None:
        return None
    return max(((now or timezone.now()) - moment).days, 0)


@register.filter
def person(user):
    """A person's name as people say it, or the login when no name is set."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def in_set(value, collection):
    return value in collection


@register.filter
def indent(level):
    """Dashes that show an office's depth in a plain <select>."""
    return "— " * (level or 0)
