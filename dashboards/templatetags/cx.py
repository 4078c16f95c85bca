"""Filters for showing CX figures: stars, shares and changes in Russian."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import cx as cxm
from dashboards.svg import fmt

register = template.Library()


@register.filter
def num(value, digits=1):
    """72.456 -> «72,5»; None -> «—»."""
    return fmt(value, int(digits))


@register.filter
def signed(value, digits=1):
    """A change with its sign: «+1,5», «−0,7», «0,0»."""
    if value is None:
        return "—"
    shown = round(value, int(digits))
    if shown > 0:
        return f"+{fmt(shown, int(digits))}"
    if shown < 0:
        return f"−{fmt(-shown, int(digits))}"
    return fmt(0, int(digits))


UP, DOWN, FLAT_CHANGE = "up", "down", "flat"
# Changes smaller than this are shown as «no change» (they round to 0,0).
FLAT = 0.05


def change_direction(value):
    """«up», «down» or «flat» for a change; None when there is none."""
    if value is None:
        return None
    if abs(value) < FLAT:
        return FLAT_CHANGE
    return UP if value > 0 else DOWN


def change_verdict(value, better=UP):
    """«good», «bad» or «flat» for a change, ``better`` being the good way; or None."""
    direction = change_direction(value)
    if direction in (None, FLAT_CHANGE):
        return direction
    return "good" if direction == better else "bad"


@register.filter
def change_classes(value, better=UP):
    """The modifiers of a ``cx-change``: «cx-change--up cx-change--good», «cx-change--flat»."""
    direction, verdict = change_direction(value), change_verdict(value, better)
    if direction in (None, FLAT_CHANGE):
        return f"cx-change--{direction}" if direction else ""
    return f"cx-change--{direction} cx-change--{verdict}"


@register.filter
def stars(value):
    """★★★☆☆ with a text alternative, for an index in %."""
    count = cxm.stars(value)
    if count is None:
        return ""
    label = ngettext("%(count)s звезда из 5", "%(count)s звезды из 5", count) % {"count": count}
    return format_html(
        '<span class="stars stars--{}" role="img" aria-label="{}" title="{}">{}<span '
        'class="stars__off" aria-hidden="true">{}</span></span>',
        count,
        label,
        label,
        "★" * count,
        "☆" * (5 - count),
    )


@register.filter
def star_count(value):
    return cxm.stars(value) or 0


@register.filter
def trend_word(value):
    """«выше», «ниже» or «без изменений» for a change, for screen readers."""
    if value is None:
        return ""
    shown = round(value, 1)
    if shown > 0:
        return _("рост")
    if shown < 0:
        return _("снижение")
    return _("без изменений")


# Words that open most office titles, and how a narrow table abbreviates them.
_OFFICE_ABBREVIATIONS = (
    ("Территориальный отдел", "ТО"),
    ("Центр занятости населения", "ЦЗН"),
)


@register.filter
def office_short(title):
    """«Территориальный отдел Елховского района» -> «ТО Елховского района».

    For the heat map on a phone, where the full title would leave room for
    a month or two; the full title is on the same row on wider screens.
    """
    for long, short in _OFFICE_ABBREVIATIONS:
        if title.startswith(long):
            return short + title[len(long) :]
    return title


@register.filter
def get_indicator(indicators, code):
    """The value of one operational indicator of an office row, or None."""
    return indicators.get(code)
