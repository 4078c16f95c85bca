"""The monthly CX report of an office's head: what the letter says.

Every figure comes from the dashboard's own selectors — the same report
(`selectors.report_cached`, within the head's office scope, so the link in
the letter opens on the very figures, warm), the same «last complete month»
(`forms.last_complete`) and the cases' own `case_figures`. Nothing here
computes an index.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.selectors import case_figures
from dashboards import cx as cxm
from dashboards import selectors
from dashboards.forms import Filters, Period, PeriodKind, add_months, last_complete
from dashboards.svg import fmt
from dashboards.templatetags.cx import signed
from notifications.services import portal_link

TOP_TOPICS = 5


def report_month(*, latest, current_month):
    """The month a report is about: the last complete one that has data,
    exactly as the dashboard picks its default month."""
    return last_complete(PeriodKind.MONTH, latest=latest, current_month=current_month)


@dataclass(frozen=True)
class Weakest:
    """The lowest of the shares the five groups are made of."""

    label: str
    value: float
    code: str

    @property
    def group(self):
        return cxm.GROUP_TITLES[self.code]


def weakest_part(groups):
    """Of ``groups`` ({code: GroupScore}, as the dashboard charts them), the
    part with the lowest share of favourable answers; None without answers.
    Groups that weigh nothing in the index are left out."""
    weights = settings.CX_GROUP_WEIGHTS
    parts = [
        (share.value, key, code)
        for code, group in groups.items()
        if weights.get(code, 0)
        for key, share in group.components
        if share.value is not None
    ]
    if not parts:
        return None
    value, key, code = min(parts)
    return Weakest(label=str(cxm.COMPONENT_LABELS[key]), value=value, code=code)


@dataclass
class MonthlyReport:
    office: object  # the head's office
    region: bool  # the office is the root of the only tree: the report is the region's
    period: Period
    report: selectors.Report
    cases: object  # cases.selectors.CaseFigures
    url: str  # the dashboard on this office and month (a path)

    @property
    def cx(self):
        return self.report.cx

    @property
    def weakest(self):
        return weakest_part(self.report.groups)

    @property
    def topics(self):
        return self.report.topics[:TOP_TOPICS]


def cx_month_report(*, office, offices, month, stamp, latest, current_month, today=None):
    """The report of ``office``'s head for ``month`` (its 1st day): the
    dashboard's report for the office's subtree and the month, and the cases
    of the subtree. ``offices``: every office (``selectors.offices_all()``);
    ``stamp`` and ``latest``: ``selectors.data_stamp()``."""
    seen = selectors.office_dashboard_scope(office=office, offices=offices)
    filters = Filters(
        period=Period(PeriodKind.MONTH, month, month), office_id=seen.default_office_id
    )
    report = selectors.report_cached(
        filters=filters, seen=seen, stamp=stamp, latest=latest, current_month=current_month
    )
    subtree = [o.pk for o in seen.tree.subtree(office)]
    cases = case_figures(
        targets={"office": subtree},
        start=month,
        end=add_months(month, 1) - dt.timedelta(days=1),
        today=today,
    )["office"]
    url = reverse("dashboards:cx") + "?" + urlencode(filters.query())
    return MonthlyReport(
        office=office,
        region=seen.region,
        period=filters.period,
        report=report,
        cases=cases,
        url=url,
    )


def stars_text(value):
    """«★★★☆☆» for an index; "" without one."""
    count = cxm.stars(value)
    return "" if count is None else "★" * count + "☆" * (5 - count)


def _stars_label(value):
    count = cxm.stars(value)
    if count is None:
        return ""
    return ngettext("%(count)s звезда из 5", "%(count)s звезды из 5", count) % {"count": count}


def letter_subject(monthly):
    return _("Клиентский опыт за %(month)s: %(office)s") % {
        "month": monthly.period.label,
        "office": monthly.office.title,
    }


def letter_summary(monthly):
    """The notification's text on the site: one or two sentences."""
    cx = monthly.cx
    values = {"month": monthly.period.label, "office": monthly.office.title}
    if cx.value is None:
        return _("Отчёт о клиентском опыте за %(month)s: %(office)s — ответов клиентов нет.") % (
            values
        )
    text = _("Отчёт о клиентском опыте за %(month)s: %(office)s — индекс %(value)s %(stars)s") % {
        **values,
        "value": fmt(cx.value),
        "stars": stars_text(cx.value),
    }
    change = monthly.report.change
    if change is not None:
        text += ", " + _("%(change)s п. п. к прошлому месяцу") % {"change": signed(change)}
    return text + "."


def letter_context(monthly):
    """What the letter's templates show, every number formatted the Russian way."""
    cx, report = monthly.cx, monthly.report
    previous = report.previous
    weakest = monthly.weakest
    return {
        "month": monthly.period.label,
        "previous_month": monthly.period.previous().label,
        "office": monthly.office.title,
        "region": monthly.region,
        "has_data": cx.value is not None,
        "index": fmt(cx.value),
        "stars": stars_text(cx.value),
        "stars_label": _stars_label(cx.value),
        "low": fmt(cx.low),
        "high": fmt(cx.high),
        "responses": cx.responses,
        "few": not cx.enough,
        "few_text": ngettext(
            "Меньше %(count)s ответа: оценка ненадёжна.",
            "Меньше %(count)s ответов: оценка ненадёжна.",
            settings.CX_MIN_RESPONSES,
        )
        % {"count": settings.CX_MIN_RESPONSES},
        "target": fmt(settings.CX_INDEX_TARGET, 0),
        "change": None if report.change is None else signed(report.change),
        "previous_index": fmt(previous.value) if previous.value is not None else None,
        "groups": [
            (code, str(group.title), fmt(group.value)) for code, group in report.groups.items()
        ],
        "weakest": weakest
        and {
            "label": weakest.label,
            "value": fmt(weakest.value),
            "code": weakest.code,
            "group": str(weakest.group).lower(),
        },
        "cases": monthly.cases,
        "topics": [
            {
                "name": row.name,
                "count": row.count,
                "share": fmt(row.share),
                "negative": fmt(row.negative_share, 0),
                "change": None if row.change is None else signed(row.change),
                "few": not row.enough,
            }
            for row in monthly.topics
        ],
        "link": portal_link(monthly.url),
    }


def letter_render(monthly):
    """(subject, site text, plain-text letter, HTML letter) of ``monthly``.
    The plain text gets the portal link from the notification centre; the
    HTML carries its own. Both are rendered from templates, the HTML
    autoescaped (office and topic names are data)."""
    context = letter_context(monthly)
    return (
        letter_subject(monthly),
        letter_summary(monthly),
        render_to_string("dashboards/emails/cx_report.txt", context).strip(),
        render_to_string("dashboards/emails/cx_report.html", context),
    )
