"""The emotion curve of a journey map, drawn on the server as inline SVG.

As the dashboard's charts (dashboards/svg.py): no JavaScript and no
library, an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
says in words what it shows (the step cards below say it again), text
escaped here, numbers in attributes with a dot. Steps are numbered as on
their cards; stages are bands behind them; a step with pain points gets a
red mark under its point.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from expert.models import FEELING_MAX, FEELING_MIN

STEP_W = 64  # the width of one step
LEFT = 34  # room for the scale
RIGHT = 8
TOP = 30  # the stages' names
LEVEL_H = 24  # one point of feeling
BOTTOM = 44  # step numbers and pain marks
POINT_R = 6
LABEL_CHARS_PER_STEP = 7  # how much of a stage name fits over one step


def signed_feeling(value):
    """+2, +1, 0, −1, −2 as a person reads them."""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return "0"


def point_x(index):
    """The x of the ``index``-th step (from 0)."""
    return LEFT + STEP_W * index + STEP_W / 2


def point_y(feeling):
    """The y of a feeling: +2 at the top, −2 at the bottom."""
    return TOP + (FEELING_MAX - feeling) * LEVEL_H


def _short(text, chars):
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def emotion_curve(journey, *, title):
    """The curve of ``journey`` (expert.selectors.Journey) as safe SVG markup."""
    steps = journey.steps
    if not steps:
        return ""
    width = LEFT + STEP_W * len(steps) + RIGHT
    axis_bottom = point_y(FEELING_MIN)
    height = axis_bottom + BOTTOM
    parts = []
    desc = []
    index = 0
    for position, stage in enumerate(journey.stages):
        count = len(stage.step_list)
        if not count:
            continue
        x = LEFT + STEP_W * index
        odd = " journey-curve__band--odd" if position % 2 else ""
        parts.append(
            f'<rect class="journey-curve__band{odd}" x="{x}" y="0" '
            f'width="{STEP_W * count}" height="{axis_bottom + 8}"/>'
        )
        label = _short(stage.title, LABEL_CHARS_PER_STEP * count)
        parts.append(
            f'<text class="journey-curve__stage" x="{x + 6}" y="16">{escape(label)}'
            f"<title>{escape(stage.title)}</title></text>"
        )
        index += count
    for feeling in range(FEELING_MIN, FEELING_MAX + 1):
        y = point_y(feeling)
        css = "journey-curve__zero" if feeling == 0 else "journey-curve__grid"
        parts.append(f'<line class="{css}" x1="{LEFT}" y1="{y}" x2="{width - RIGHT}" y2="{y}"/>')
        parts.append(
            f'<text class="journey-curve__scale" x="{LEFT - 6}" y="{y + 4}" '
            f'text-anchor="end">{signed_feeling(feeling)}</text>'
        )
    points = " ".join(
        f"{point_x(i):.0f},{point_y(step.feeling):.0f}" for i, step in enumerate(steps)
    )
    parts.append(f'<polyline class="journey-curve__line" points="{points}"/>')
    for i, step in enumerate(steps):
        x, y = point_x(i), point_y(step.feeling)
        mood = "neg" if step.feeling < 0 else "pos" if step.feeling > 0 else "zero"
        words = _("Шаг %(number)s: %(feeling)s") % {
            "number": step.number,
            "feeling": signed_feeling(step.feeling),
        }
        if step.pains:
            words += ", " + _("есть боли")
        desc.append(words)
        parts.append(
            f'<circle class="journey-curve__point journey-curve__point--{mood}" cx="{x:.0f}" '
            f'cy="{y:.0f}" r="{POINT_R}" data-step="{step.number}" data-feeling="{step.feeling}">'
            f"<title>{escape(words)}</title></circle>"
        )
        parts.append(
            f'<text class="journey-curve__number" x="{x:.0f}" y="{axis_bottom + 22}" '
            f'text-anchor="middle">{step.number}</text>'
        )
        if step.pains:
            mark_y = axis_bottom + 28
            parts.append(
                f'<path class="journey-curve__pain" data-step="{step.number}" '
                f'd="M{x:.0f} {mark_y} l7 12 h-14 z"/>'
            )
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="journey-curve__svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="journey-curve-title journey-curve-desc">'
        f'<title id="journey-curve-title">{escape(title)}</title>'
        f'<desc id="journey-curve-desc">{escape("; ".join(desc))}</desc>'
    )
    return mark_safe(opening + "".join(parts) + "</svg>")  # noqa: S308 - every text escaped above
