"""The scatter chart of «Знания и индекс», drawn on the server as SVG.

As the dashboard's charts (``dashboards.svg``): no JavaScript, printable,
an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` saying in words
what it shows, and the page's table as the accessible alternative. Text is
escaped here; numbers in attributes use a dot, numbers a person reads the
Russian decimal comma (``dashboards.svg.fmt``).
"""

import itertools
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from dashboards.svg import fmt

_ids = itertools.count(1)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # what the dot's tooltip says
    greyed: bool = False  # too few answers: drawn hollow, left out of r


def _nice_step(span, ticks=5):
    """A round step (1, 2 or 5 × 10ⁿ) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def axis_range(values, floor=None, ceiling=None):
    """(low, high, step) of an axis holding ``values`` (not empty), with round ends."""
    low, high = min(values), max(values)
    if floor is not None:
        low = max(floor, low)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if floor is not None:
        low = max(floor, low)
    if ceiling is not None:
        high = min(ceiling, high)
    return low, high, step


def _digits(step):
    return 0 if step >= 1 else min(3, -math.floor(math.log10(step)))


def scatter_chart(dots, *, title, desc, x_label, y_label, x_bounds=(0, None), y_bounds=(0, 100)):
    """Dots on two value axes: ``x_bounds`` and ``y_bounds`` limit them
    (None: open). The axes start at round values just outside the data."""
    n = next(_ids)
    width, height = 640, 420
    left, right, top, bottom = 72, 18, 16, 62
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--scatter" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="scatter-t{n} scatter-d{n}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="scatter-t{n}">{escape(title)}</title>'
        f'<desc id="scatter-d{n}">{escape(desc)}</desc>'
    ]
    if dots:
        x_low, x_high, x_step = axis_range([d.x for d in dots], *x_bounds)
        y_low, y_high, y_step = axis_range([d.y for d in dots], *y_bounds)
    else:
        x_low, x_high, x_step = 0, 1, 0.2
        y_low, y_high, y_step = 0, 100, 20
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(value):
        return left + plot_w * (value - x_low) / (x_high - x_low)

    def y(value):
        return top + plot_h * (y_high - value) / (y_high - y_low)

    for i in range(round((y_high - y_low) / y_step) + 1):
        tick = y_low + i * y_step
        out.append(
            f'<line class="chart__grid" x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" '
            f'y2="{y(tick):.1f}"/><text class="chart__tick" x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{fmt(tick, _digits(y_step))}</text>'
        )
    for i in range(round((x_high - x_low) / x_step) + 1):
        tick = x_low + i * x_step
        out.append(
            f'<line class="chart__grid" x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" '
            f'y2="{height - bottom}"/><text class="chart__tick" x="{x(tick):.1f}" '
            f'y="{height - bottom + 18}" text-anchor="middle">{fmt(tick, _digits(x_step))}</text>'
        )
    out.append(
        f'<text class="chart__axis" x="{left + plot_w / 2:.1f}" y="{height - 12}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
        f'<text class="chart__axis" transform="rotate(-90)" x="{-(top + plot_h / 2):.1f}" '
        f'y="16" text-anchor="middle">{escape(y_label)}</text>'
    )
    # Greyed dots first, so that the ones that count are drawn on top.
    for dot in sorted(dots, key=lambda d: not d.greyed):
        css = "chart__dot chart__dot--grey" if dot.greyed else "chart__dot"
        out.append(
            f'<circle class="{css}" cx="{x(dot.x):.1f}" cy="{y(dot.y):.1f}" r="4.5">'
            f"<title>{escape(dot.label)}</title></circle>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above is escaped
