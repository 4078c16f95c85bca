"""Charts drawn on the server as SVG: no JavaScript, printable, accessible.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that says in words what it shows; the page puts the same numbers in a table
next to it. Text is escaped here, numbers in attributes use a dot, numbers a
person reads use the Russian decimal comma.
"""

import itertools
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

_ids = itertools.count(1)


def fmt(value, digits=1):
    """A number as a person reads it in Russian: «72,5».

    The same output as Django's ``number_format`` in the ru locale (decimal
    comma, no grouping: USE_THOUSAND_SEPARATOR is off) at a fraction of the
    cost; the dashboard formats a few thousand numbers per page.
    """
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # «-0,0» reads oddly
    return text.replace(".", ",")


def _open(width, height, title, desc, css):
    n = next(_ids)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(desc)}</desc>'
    )


def bar_chart(bars, *, title, desc, target=None):
    """Horizontal bars on 0–100 with 95 % interval whiskers, each under its label.

    ``bars``: (label, value or None, low, high, greyed) tuples. The label
    and the value sit on a line above the bar, so the chart stays narrow
    enough for a phone; the stylesheet enlarges the text there.
    """
    width, pad, row_h, top = 560, 4, 46, 24
    left, right = pad, width - pad
    height = top + row_h * len(bars) + 4
    out = [_open(width, height, title, desc, "chart chart--bars")]

    def x(value):
        return left + (right - left) * max(0.0, min(100.0, value)) / 100

    for tick in range(0, 101, 20):
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        out.append(
            f'<text class="chart__tick" x="{x(tick):.1f}" y="{top - 8}" '
            f'text-anchor="{anchor}">{tick}</text>'
        )
    for i, (label, value, low, high, greyed) in enumerate(bars):
        y = top + i * row_h
        bar_top, bar_h = y + 24, 15
        mid = bar_top + bar_h / 2
        for tick in range(0, 101, 20):
            out.append(
                f'<line class="chart__grid" x1="{x(tick):.1f}" y1="{bar_top - 3}" '
                f'x2="{x(tick):.1f}" y2="{bar_top + bar_h + 3}"/>'
            )
        out.append(f'<text class="chart__label" x="{left}" y="{y + 18}">{escape(label)}</text>')
        if value is None:
            out.append(
                f'<text class="chart__value" x="{right}" y="{y + 18}" text-anchor="end">'
                f"{escape(_('нет ответов'))}</text>"
            )
            continue
        css = "chart__bar chart__bar--grey" if greyed else f"chart__bar chart__bar--s{_star(value)}"
        out.append(
            f'<text class="chart__value" x="{right}" y="{y + 18}" text-anchor="end">'
            f"{fmt(value)}</text>"
            f'<rect class="{css}" x="{left}" y="{bar_top}" width="{x(value) - left:.1f}" '
            f'height="{bar_h}"><title>{escape(label)}: {fmt(value)} %</title></rect>'
        )
        if low is not None and high is not None:
            out.append(
                f'<line class="chart__ci" x1="{x(low):.1f}" y1="{mid:.1f}" '
                f'x2="{x(high):.1f}" y2="{mid:.1f}"/>'
                f'<line class="chart__ci" x1="{x(low):.1f}" y1="{mid - 5:.1f}" '
                f'x2="{x(low):.1f}" y2="{mid + 5:.1f}"/>'
                f'<line class="chart__ci" x1="{x(high):.1f}" y1="{mid - 5:.1f}" '
                f'x2="{x(high):.1f}" y2="{mid + 5:.1f}"/>'
            )
    if target is not None:
        out.append(
            f'<line class="chart__target" x1="{x(target):.1f}" y1="{top - 2}" '
            f'x2="{x(target):.1f}" y2="{height - 2}"><title>'
            f"{escape(_('цель %(value)s') % {'value': fmt(target, 0)})}</title></line>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


def _star(value):
    from dashboards.cx import stars

    return stars(value) or 0


@dataclass(frozen=True)
class TrendPoint:
    axis: str  # «03.26»
    label: str  # «март 2026»
    value: float | None
    low: float | None = None
    high: float | None = None
    greyed: bool = False  # too few answers
    partial: bool = False  # the month has not ended


def line_chart(points, *, title, desc, target=None):
    """The monthly index, one ``TrendPoint`` a month.

    A month in progress is drawn hollow, joined by a dashed line and labelled
    «неполный»: its figure is a few days' worth, not the month's.
    """
    left, right, top, bottom = 46, 34, 18, 46
    step = 52
    width = left + right + step * max(len(points) - 1, 1)
    height = 260
    values = [p.value for p in points if p.value is not None]
    lows = [p.low for p in points if p.low is not None]
    floor_candidates = [*values, *lows, *([target] if target is not None else [])]
    y_min = max(0, math.floor((min(floor_candidates, default=50) - 5) / 10) * 10)
    y_min = min(y_min, 50)
    y_max = 100

    def x(i):
        return left + step * i

    def y(value):
        value = max(y_min, min(y_max, value))
        return top + (height - top - bottom) * (y_max - value) / (y_max - y_min)

    out = [_open(width, height, title, desc, "chart chart--line")]
    for tick in range(y_min, y_max + 1, 10):
        minor = " chart__tick--minor" if (y_max - tick) % 20 else ""
        out.append(
            f'<line class="chart__grid" x1="{left}" y1="{y(tick):.1f}" '
            f'x2="{width - right}" y2="{y(tick):.1f}"/>'
            f'<text class="chart__tick{minor}" x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    last = len(points) - 1
    for i, point in enumerate(points):
        # On a phone every other month is labelled, counting back from the last.
        minor = " chart__tick--minor" if (last - i) % 2 else ""
        out.append(
            f'<text class="chart__tick{minor}" x="{x(i)}" y="{height - bottom + 20}" '
            f'text-anchor="middle">{escape(point.axis)}</text>'
        )
        if point.partial:
            out.append(
                f'<text class="chart__note" x="{x(i)}" y="{height - bottom + 38}" '
                f'text-anchor="end">{escape(_("неполный"))}</text>'
            )
    if target is not None:
        out.append(
            f'<line class="chart__target" x1="{left}" y1="{y(target):.1f}" '
            f'x2="{width - right}" y2="{y(target):.1f}"/>'
            f'<text class="chart__target-label" x="{left + 4}" y="{y(target) - 6:.1f}" '
            f'text-anchor="start">{escape(_("цель %(value)s") % {"value": fmt(target, 0)})}</text>'
        )
    for i, point in enumerate(points):
        if point.value is not None and point.low is not None and point.high is not None:
            out.append(
                f'<line class="chart__ci" x1="{x(i)}" y1="{y(point.low):.1f}" '
                f'x2="{x(i)}" y2="{y(point.high):.1f}"/>'
            )
    segment = []
    previous = None  # the last complete point drawn: (x, y)
    for i, point in enumerate([*points, None]):
        if point is not None and point.value is not None and not point.partial:
            segment.append(f"{x(i)},{y(point.value):.1f}")
            previous = (x(i), y(point.value))
            continue
        if len(segment) > 1:
            out.append(f'<polyline class="chart__line" points="{" ".join(segment)}"/>')
        segment = []
        if point is not None and point.value is not None and previous is not None:
            out.append(
                f'<line class="chart__line chart__line--partial" x1="{previous[0]}" '
                f'y1="{previous[1]:.1f}" x2="{x(i)}" y2="{y(point.value):.1f}"/>'
            )
        previous = None
    for i, point in enumerate(points):
        if point.value is None:
            continue
        css = "chart__dot"
        if point.partial:
            css += " chart__dot--partial"
        elif point.greyed:
            css += " chart__dot--grey"
        note = f" ({_('неполный месяц')})" if point.partial else ""
        out.append(
            f'<circle class="{css}" cx="{x(i)}" cy="{y(point.value):.1f}" r="4">'
            f"<title>{escape(point.label)}: {fmt(point.value)}{escape(note)}</title></circle>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


def sparkline(values, *, title, desc, width=180, height=44):
    """A small trend line without axes for the home page pulse."""
    given = [v for v in values if v is not None]
    out = [_open(width, height, title, desc, "sparkline")]
    if given:
        low = min(given) - 2
        high = max(given) + 2
        span = max(high - low, 1)
        step = (width - 8) / max(len(values) - 1, 1)

        def y(value):
            return 4 + (height - 8) * (high - value) / span

        segment = []
        for i, value in enumerate([*values, None]):
            if value is not None:
                segment.append(f"{4 + step * i:.1f},{y(value):.1f}")
                continue
            if len(segment) > 1:
                out.append(f'<polyline class="sparkline__line" points="{" ".join(segment)}"/>')
            segment = []
        last = max(i for i, v in enumerate(values) if v is not None)
        out.append(
            f'<circle class="sparkline__dot" cx="{4 + step * last:.1f}" '
            f'cy="{y(values[last]):.1f}" r="3"/>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped
