import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value):
    """A date or a moment as a valid HTML ``datetime`` attribute value.

    ``|date:'c'`` writes six digits of microseconds, which HTML does not
    allow (at most three), so this gives whole seconds in the local time
    zone, ``2026-12-01T07:19:05+04:00``, or ``2026-12-01`` for a date.
    """
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""
