from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kb_portal.templatetags.kb_dates import iso_datetime

register = template.Library()


def _time(value, text):
    return format_html('<time datetime="{}">{}</time>', iso_datetime(value), text)


@register.simple_tag
def event_when(event):
    """When ``event`` takes place, in Russian, in local time, with
    ``<time>`` elements: «12 марта 2026, 10:00–12:00», «12 марта 2026, весь
    день», «12 марта 2026, 10:00 — 13 марта 2026, 17:00»."""
    day = "j E Y"
    if event.all_day:
        first = _time(event.first_day, formats.date_format(event.first_day, day))
        if not event.is_multiday:
            return format_html("{}, {}", first, _("весь день"))
        last = _time(event.last_day, formats.date_format(event.last_day, day))
        return format_html("{} — {}", first, last)
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if not event.is_multiday:
        return format_html(
            "{}, {}–{}",
            _time(event.first_day, formats.date_format(start, day)),
            _time(start, formats.time_format(start, "H:i")),
            _time(end, formats.time_format(end, "H:i")),
        )
    return format_html(
        "{} — {}",
        _time(start, formats.date_format(start, day + ", H:i")),
        _time(end, formats.date_format(end, day + ", H:i")),
    )
