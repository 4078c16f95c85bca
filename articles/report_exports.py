"""The report «Ознакомление с обязательными документами» as XLSX or CSV.

The same tables as the page: per document, per office (each with the total
of its subtree) and everyone who has not read. Text goes out as text (no
cell runs as a formula: ``kb_portal.spreadsheets``); the XLSX is written in
write-only mode, so a long list of people does not sit in memory twice.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kb_portal.spreadsheets import formula_safe, tables_to_csv, tables_to_xlsx


def _counts_headers():
    return [
        _("В аудитории"),
        _("Ознакомились вовремя"),
        _("Вовремя, %"),
        _("С опозданием"),
        _("С опозданием, %"),
        _("Не ознакомились"),
        _("Не ознакомились, %"),
    ]


def _counts(counts):
    return [
        counts.audience,
        counts.on_time,
        counts.on_time_share,
        counts.late,
        counts.late_share,
        counts.not_yet,
        counts.not_yet_share,
    ]


def _date(value):
    return formats.date_format(value, "d.m.Y") if value else ""


def tables(report, unread, left_out=0):
    """The description and [(title, headers, rows)] of what the page shows;
    ``left_out``: people not listed (beyond the export's limit)."""
    where = (
        report.office.title
        if report.office
        else (report.scope.office.title if report.scope.office else _("весь регион"))
    )
    described = [
        (_("Подразделение"), where),
        (_("Документ"), report.article.title if report.article else _("все обязательные")),
        (_("Выгружено"), timezone.localtime().strftime("%d.%m.%Y %H:%M")),
    ]
    documents = (
        _("Документы"),
        [_("Документ"), _("Срок"), _("Версия для ознакомления"), *_counts_headers()],
        [
            [
                row.article.title,
                _date(row.article.mandatory_deadline),
                row.article.ack_required_version or "",
                *_counts(row.counts),
            ]
            for row in report.documents
        ],
    )
    offices = (
        _("Подразделения"),
        [_("Уровень"), _("Подразделение"), _("Только свои сотрудники"), *_counts_headers()],
        [],
    )
    for row in report.offices:
        offices[2].append([row.office.level, row.office.title, "", *_counts(row.counts)])
        if row.has_children and row.own.audience:
            offices[2].append([row.office.level + 1, row.office.title, _("да"), *_counts(row.own)])
    if report.without_office.audience:
        offices[2].append(["", _("Без подразделения"), "", *_counts(report.without_office)])
    people = (
        _("Не ознакомились"),
        [
            _("Сотрудник"),
            _("Должность"),
            _("Подразделение"),
            _("Документ"),
            _("Срок"),
            _("Состояние"),
        ],
        [
            [
                row.name,
                row.position,
                row.office,
                row.article.title,
                _date(row.article.mandatory_deadline),
                _("просрочено")
                if row.overdue
                else (
                    _("прочитал(а) прежнюю версию")
                    if row.read_version is not None
                    else _("ожидает")
                ),
            ]
            for row in unread
        ],
    )
    if left_out:
        people[2].append(
            [
                _("…и ещё %(count)s: выберите подразделение поменьше или документ")
                % {"count": left_out}
            ]
        )
    if report.office is None and report.scope.office is None:
        people[2].append([_("Выберите подразделение, чтобы получить список сотрудников.")])
    return described, [documents, offices, people]


def to_xlsx(report, unread, left_out=0):
    described, sheets = tables(report, unread, left_out)
    return tables_to_xlsx(
        _("Ознакомление с обязательными документами"), described, sheets, first_sheet=_("Отчёт")
    )


def _csv(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return formula_safe(str(value))


def to_csv(report, unread, left_out=0):
    """One CSV for Russian Excel: UTF-8 with BOM, «;» between cells, decimal comma."""
    described, sheets = tables(report, unread, left_out)
    return tables_to_csv(
        _("Ознакомление с обязательными документами"), described, sheets, cell=_csv
    )
