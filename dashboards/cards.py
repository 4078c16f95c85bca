"""The headline cards of the dashboard: each figure with its change.

A card says what a figure is, its value, and how it moved since the
previous period of the same length, coloured by whether that is good (a
longer wait going up is bad). A partial period shows no change at all: a
month of one day against a whole month is not a trend.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import cx as cxm
from dashboards.svg import fmt
from dashboards.templatetags.cx import DOWN, UP, change_direction, change_verdict, signed


@dataclass
class Card:
    title: str
    value: str
    stars_of: float | None = None  # the index the stars are drawn for
    change: float | None = None
    unit: str = ""  # of the change: «п. п.», «мин»…
    better: str = UP  # which way is good
    notes: list = field(default_factory=list)
    main: bool = False
    few: bool = False

    @property
    def direction(self):
        return change_direction(self.change)

    @property
    def verdict(self):
        """«good», «bad» or «flat»: the colour of the change."""
        return change_verdict(self.change, self.better)

    @property
    def change_text(self):
        return "" if self.change is None else signed(self.change)


def _delta(now, before):
    if now is None or before is None:
        return None
    return now - before


def _answers(count):
    return ngettext("%(count)s ответ", "%(count)s ответов", count) % {"count": count}


def overview(report):
    """The cards of ``report``'s period, the index first."""
    cx, before = report.cx, report.previous
    compare = not report.partial
    pp = _("п. п.")

    def change(now, then):
        return _delta(now, then) if compare else None

    main_notes = [
        _("%(answers)s; в прошлом периоде %(before)s")
        % {"answers": _answers(cx.responses), "before": before.responses}
    ]
    if cx.value is not None:
        target = settings.CX_INDEX_TARGET
        reached = round(cx.value, 1) >= target
        main_notes.append(
            (_("цель %(target)s достигнута") if reached else _("цель %(target)s не достигнута"))
            % {"target": fmt(target, 0)}
        )
        groups = cxm.ranked_groups(report.groups)
        if len(groups) > 1:
            low, high = groups[0], groups[-1]
            for label, (value, code, group) in (
                (_("слабее всего"), low),
                (_("сильнее всего"), high),
            ):
                main_notes.append(
                    _("%(label)s: %(code)s — %(title)s, %(value)s")
                    % {
                        "label": label,
                        "code": code,
                        "title": str(group.title).lower(),
                        "value": fmt(value),
                    }
                )
    if cx.low is not None:
        main_notes.append(
            _("95%% ДИ: %(low)s–%(high)s") % {"low": fmt(cx.low), "high": fmt(cx.high)}
        )
    if cx.only_side == "citizen":
        main_notes.append(_("Ответов работодателей нет: индекс равен индексу граждан."))
    elif cx.only_side == "employer":
        main_notes.append(_("Ответов граждан нет: индекс равен индексу работодателей."))
    if not cx.enough:
        main_notes.append(
            ngettext(
                "Меньше %(count)s ответа: оценка ненадёжна.",
                "Меньше %(count)s ответов: оценка ненадёжна.",
                settings.CX_MIN_RESPONSES,
            )
            % {"count": settings.CX_MIN_RESPONSES}
        )
    result = [
        Card(
            _("Индекс клиентоцентричности"),
            fmt(cx.value),
            stars_of=cx.value,
            change=report.change,
            unit=pp,
            notes=main_notes,
            main=True,
            few=not cx.enough,
        )
    ]
    for title, side, side_before in (
        (_("Граждане"), cx.citizens, before.citizens),
        (_("Работодатели"), cx.employers, before.employers),
    ):
        result.append(
            Card(
                title,
                fmt(side.value),
                stars_of=side.value,
                change=change(side.value, side_before.value),
                unit=pp,
                notes=[_answers(side.responses)] if side.responses else [_("ответов нет")],
                few=bool(side.responses) and not side.enough,
            )
        )
    csat = cx.csat.value
    target = settings.CSAT_TARGET
    if csat is None:
        csat_note = _("цель %(target)s %%") % {"target": fmt(target, 0)}
    elif csat >= target:
        csat_note = _("цель %(target)s %% достигнута") % {"target": fmt(target, 0)}
    else:
        csat_note = _("цель %(target)s %% не достигнута") % {"target": fmt(target, 0)}
    result += [
        Card(
            _("CSAT: оценки 4–5"),
            _percent(csat),
            change=change(csat, before.csat.value),
            unit=pp,
            notes=[csat_note],
        ),
        Card(
            _("CES: «легко» (4–5)"),
            _percent(cx.ces.value),
            change=change(cx.ces.value, before.ces.value),
            unit=pp,
            notes=[_("средний балл %(mean)s из 5") % {"mean": fmt(cx.ces_mean, 2)}],
        ),
        Card(
            _("NPS"),
            signed(cx.nps.value),
            change=change(cx.nps.value, before.nps.value),
            unit=_("пункта"),
            notes=[_("в индекс не входит")],
        ),
        Card(
            _("Услуги в срок"),
            _percent(cx.on_time.value),
            change=change(cx.on_time.value, before.on_time.value),
            unit=pp,
        ),
        Card(
            _("Среднее ожидание"),
            "—" if cx.wait_mean is None else _("%(minutes)s мин") % {"minutes": fmt(cx.wait_mean)},
            change=change(cx.wait_mean, before.wait_mean),
            unit=_("мин"),
            better=DOWN,
        ),
        Card(
            _("Жалоб на 1000 ответов"),
            fmt(cx.complaints_per_1000),
            change=change(cx.complaints_per_1000, before.complaints_per_1000),
            better=DOWN,
            notes=[_("обоснованных %(count)s") % {"count": fmt(cx.justified_per_1000)}],
        ),
    ]
    return result


def _percent(value):
    return "—" if value is None else f"{fmt(value)} %"
