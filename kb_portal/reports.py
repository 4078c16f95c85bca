"""«Отчёты»: one page that lists the reports a person may open, instead of a
menu link per report. Each entry names the role check its own view makes,
so the list shows exactly what opens."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.selectors import can_view_cases
from people.roles import (
    can_view_cx_dashboard,
    can_view_mandatory_report,
    can_view_reading_stats,
    is_editor,
)


@dataclass(frozen=True)
class Report:
    group: str
    title: str
    description: str
    url_name: str
    allowed: object  # user -> bool: the check the report's view makes

    @property
    def url(self):
        return reverse(self.url_name)


CX = _("Клиентский опыт")
KB = _("База знаний")
REPORTS = [
    Report(
        CX,
        _("Индекс клиентоцентричности"),
        _("Индекс и его составляющие по подразделениям, группам клиентов и месяцам."),
        "dashboards:cx",
        can_view_cx_dashboard,
    ),
    Report(
        CX,
        _("Обращения к разбору"),
        _("Отзывы с низкой оценкой: кто разбирает, в срок ли, что сделано."),
        "cases:list",
        can_view_cases,
    ),
    Report(
        CX,
        _("Знания и индекс"),
        _("Чтение базы знаний, ознакомление и идеи рядом с индексом подразделений."),
        "kbuse:knowledge",
        can_view_cx_dashboard,
    ),
    Report(
        KB,
        _("Ознакомление с обязательными документами"),
        _("Кто ознакомился, в срок или позже, и кто ещё нет — по документам и подразделениям."),
        "articles:mandatory_report",
        can_view_mandatory_report,
    ),
    Report(
        KB,
        _("Аналитика чтения"),
        _("Что читают и что нет, по разделам и подразделениям; поиск и переходы из него."),
        "readstats:reading",
        can_view_reading_stats,
    ),
    Report(
        KB,
        _("Путь новичка: прогресс сотрудников"),
        _("Новые сотрудники с путём новичка: сколько шагов изучено, у кого срок прошёл."),
        "onboarding:progress",
        can_view_cases,  # the office scope's people, as the page (people.scopes)
    ),
    Report(
        KB,
        _("Здоровье базы знаний"),
        _("Материалы без владельца, просроченные проверки, вопросы без ответа."),
        "contributions:kb_health",
        is_editor,
    ),
]


def reports_for(user):
    """[(group, [Report, …]), …] of the reports ``user`` may open, in order."""
    groups = {}
    for report in REPORTS:
        if report.allowed(user):
            groups.setdefault(report.group, []).append(report)
    return list(groups.items())
