"""Charts drawn on the server as SVG: no JavaScript, printable, accessible.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
that says in words what it shows; the page puts the same numbers in a table
next to it. Text is escaped here, numbers in attributes use a dot, numbers a
person reads use the Russian decimal comma.
"""

import itertools
import math

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
    """Horizontal bars on 0–100 with 95 % interval whiskers.

    ``bars``: (label, value or None, low, high, greyed) tuples.
    """
    label_w, plot_w, row_h, top = 230, 380, 34, 24
    width = label_w + plot_w + 70
    height = top + row_h * len(bars) + 10
    out = [_open(width, height, title, desc, "chart chart--bars")]

    def x(value):
        return label_w + plot_w * max(0.0, min(100.0, value)) / 100

    for tick in range(0, 101, 20):
        out.append(
            f'<line class="chart__grid" x1="{x(tick):.1f}" y1="{top - 6}" '
            f'x2="{x(tick):.1f}" y2="{height - 10}"/>'
            f'<text class="chart__tick" x="{x(tick):.1f}" y="{top - 10}" '
            f'text-anchor="middle">{tick}</text>'
        )
    if target is not None:
        out.append(
            f'<line class="chart__target" x1="{x(target):.1f}" y1="{top - 6}" '
            f'x2="{x(target):.1f}" y2="{height - 10}"><title>'
            f"{escape(_('цель %(value)s') % {'value': fmt(target, 0)})}</title></line>"
        )
    for i, (label, value, low, high, greyed) in enumerate(bars):
        y = top + i * row_h
        mid = y + row_h / 2
        out.append(
            f'<text class="chart__label" x="{label_w - 8}" y="{mid + 4:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        if value is None:
            out.append(
                f'<text class="chart__value" x="{label_w + 4}" y="{mid + 4:.1f}">'
                f"{escape(_('нет ответов'))}</text>"
            )
            continue
        css = "chart__bar chart__bar--grey" if greyed else f"chart__bar chart__bar--s{_star(value)}"
        out.append(
            f'<rect class="{css}" x="{label_w}" y="{y + 7}" width="{x(value) - label_w:.1f}" '
            f'height="{row_h - 14}"><title>{escape(label)}: {fmt(value)} %</title></rect>'
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
        out.append(
            f'<text class="chart__value" x="{label_w + plot_w + 8}" y="{mid + 4:.1f}">'
            f"{fmt(value)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped


def _star(value):
    from dashboards.cx import stars

    return stars(value) or 0


def line_chart(points, *, title, desc, target=None):
    """The monthly index: ``points`` are (axis label, full label, value, low, high, greyed)."""
    left, right, top, bottom = 44, 16, 16, 40
    step = 52
    width = left + right + step * max(len(points) - 1, 1)
    height = 250
    values = [p[2] for p in points if p[2] is not None]
    lows = [p[3] for p in points if p[3] is not None]
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
        out.append(
            f'<line class="chart__grid" x1="{left}" y1="{y(tick):.1f}" '
            f'x2="{width - right}" y2="{y(tick):.1f}"/>'
            f'<text class="chart__tick" x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    for i, (axis, _full, *_rest) in enumerate(points):
        out.append(
            f'<text class="chart__tick" x="{x(i)}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{escape(axis)}</text>'
        )
    if target is not None:
        out.append(
            f'<line class="chart__target" x1="{left}" y1="{y(target):.1f}" '
            f'x2="{width - right}" y2="{y(target):.1f}"/>'
            f'<text class="chart__target-label" x="{width - right}" y="{y(target) - 5:.1f}" '
            f'text-anchor="end">{escape(_("цель %(value)s") % {"value": fmt(target, 0)})}</text>'
        )
    for i, (_axis, _full, value, low, high, _greyed) in enumerate(points):
        if value is not None and low is not None and high is not None:
            out.append(
                f'<line class="chart__ci" x1="{x(i)}" y1="{y(low):.1f}" '
                f'x2="{x(i)}" y2="{y(high):.1f}"/>'
            )
    segment = []
    for i, point in enumerate([*points, None]):
        if point is not None and point[2] is not None:
            segment.append(f"{x(i)},{y(point[2]):.1f}")
            continue
        if len(segment) > 1:
            out.append(f'<polyline class="chart__line" points="{" ".join(segment)}"/>')
        segment = []
    for i, (_axis, full, value, _low, _high, greyed) in enumerate(points):
        if value is None:
            continue
        css = "chart__dot chart__dot--grey" if greyed else "chart__dot"
        out.append(
            f'<circle class="{css}" cx="{x(i)}" cy="{y(value):.1f}" r="4">'
            f"<title>{escape(full)}: {fmt(value)}</title></circle>"
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
