"""Export of what the dashboard shows, as XLSX or CSV.

Both formats are built from the same tables, with numbers rounded as on the
page. Text that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) gets a leading apostrophe: a client's comment or
an office title such as ``=HYPERLINK(...)`` stays text.
"""

import csv
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboards.forms import month_label
from feedback.models import OperationalIndicator
from kb_portal.spreadsheets import csv_value, sheet_title, xlsx_row


def _r(value, digits=1):
    return None if value is None else round(value, digits)


@dataclass
class Table:
    title: str
    headers: list
    rows: list


def filters_description(report, labels):
    """(name, value) pairs that say which slice the numbers are for."""
    return [
        (
            _("Период"),
            _("%(period)s (неполный период)") % {"period": report.filters.period.label}
            if report.partial
            else report.filters.period.label,
        ),
        (_("Подразделение"), report.office.title if report.office else _("весь регион")),
        *labels,
        (_("Выгружено"), timezone.localtime().strftime("%d.%m.%Y %H:%M")),
    ]


def _cx_columns():
    return [
        _("Индекс CX"),
        _("Звёзд"),
        _("95% ДИ, от"),
        _("95% ДИ, до"),
        _("Индекс граждан"),
        _("Индекс работодателей"),
        _("CSAT 4–5, %"),
        _("NPS"),
        _("Ответов"),
        _("Мало ответов"),
    ]


def _cx_values(cx):
    return [
        _r(cx.value),
        cx.stars,
        _r(cx.low),
        _r(cx.high),
        _r(cx.citizens.value),
        _r(cx.employers.value),
        _r(cx.csat.value),
        _r(cx.nps.value),
        cx.responses,
        "" if cx.enough else _("да"),
    ]


def report_tables(report):
    cx = report.cx
    nps = cx.nps
    summary = Table(
        _("Итоги"),
        [_("Показатель"), _("Значение"), _("95% ДИ, от"), _("95% ДИ, до"), _("Ответов")],
        [
            [_("Индекс клиентоцентричности"), _r(cx.value), _r(cx.low), _r(cx.high), cx.responses],
            [_("Звёзд"), cx.stars, None, None, None],
            [_("Изменение к предыдущему периоду, п. п."), _r(report.change), None, None, None],
            [
                _("Индекс граждан"),
                _r(cx.citizens.value),
                _r(cx.citizens.low),
                _r(cx.citizens.high),
                cx.citizens.responses,
            ],
            [
                _("Индекс работодателей"),
                _r(cx.employers.value),
                _r(cx.employers.low),
                _r(cx.employers.high),
                cx.employers.responses,
            ],
            [
                _("CSAT: доля оценок 4–5, %"),
                _r(cx.csat.value),
                _r(cx.csat.low),
                _r(cx.csat.high),
                cx.csat.n,
            ],
            [
                _("CES: доля «легко» (4–5), %"),
                _r(cx.ces.value),
                _r(cx.ces.low),
                _r(cx.ces.high),
                cx.ces.n,
            ],
            [_("NPS"), _r(nps.value), _r(nps.low), _r(nps.high), nps.n],
            [
                _("Услуги в срок, %"),
                _r(cx.on_time.value),
                _r(cx.on_time.low),
                _r(cx.on_time.high),
                cx.on_time.n,
            ],
            [_("Среднее ожидание, мин"), _r(cx.wait_mean), None, None, cx.totals["wait_n"]],
            [_("Жалоб на 1000 ответов"), _r(cx.complaints_per_1000), None, None, cx.responses],
            [_("Ответов"), cx.responses, None, None, None],
        ],
    )
    groups = Table(
        _("Группы ожиданий"),
        [_("Код"), _("Группа"), _("Балл, %"), _("95% ДИ, от"), _("95% ДИ, до")],
        [
            [code, str(g.title), _r(g.value), _r(g.low), _r(g.high)]
            for code, g in report.groups.items()
        ],
    )
    trend = Table(
        _("Динамика"),
        [_("Месяц"), _("Индекс CX"), _("95% ДИ, от"), _("95% ДИ, до"), _("Ответов")],
        [
            [month_label(month), _r(m.value), _r(m.low), _r(m.high), m.responses]
            for month, m in report.trend
        ],
    )
    codes = [code for code, _label in OperationalIndicator.Code.choices]
    code_labels = dict(OperationalIndicator.Code.choices)
    offices = Table(
        _("Подразделения"),
        [_("Место"), _("Подразделение"), *_cx_columns(), *[str(code_labels[c]) for c in codes]],
        [
            [
                row.rank,
                _office_label(row),
                *_cx_values(row.cx),
                *[_r(row.indicators.get(c), 2) for c in codes],
            ]
            for row in report.offices
        ],
    )
    heat = Table(
        _("Тепловая карта"),
        [_("Подразделение"), *[month_label(month) for month in report.trend_months]],
        [[_office_label(row), *[_r(cell.value) for cell in row.cells]] for row in report.offices],
    )
    breakdowns = [
        Table(
            title,
            [_("Место"), label, *_cx_columns()],
            [[row.rank, row.label, *_cx_values(row.cx)] for row in rows],
        )
        for title, label, rows in (
            (_("Группы клиентов"), _("Группа клиентов"), report.client_groups),
            (_("Услуги"), _("Услуга"), report.services),
            (_("Каналы"), _("Канал"), report.channels),
        )
    ]
    comments = Table(
        _("Комментарии"),
        [
            _("Дата"),
            _("Подразделение"),
            _("Услуга"),
            _("Тип клиента"),
            _("Группа клиентов"),
            _("Канал"),
            _("CSAT"),
            _("NPS"),
            _("Вопрос решён"),
            _("Комментарий"),
        ],
        [
            [
                timezone.localtime(r.submitted_at).strftime("%d.%m.%Y"),
                r.office.title,
                r.service.title if r.service else "",
                str(r.get_client_type_display()),
                str(r.get_client_group_display()),
                str(r.get_channel_display()),
                r.csat,
                r.nps,
                str(r.get_problem_solved_display()) if r.problem_solved else "",
                r.comment,
            ]
            for r in report.comments
        ],
    )
    return [summary, groups, trend, offices, heat, *breakdowns, comments]


def _office_label(row):
    if row.own:
        return _("%(office)s (собственные ответы)") % {"office": row.label}
    return row.label


def to_xlsx(report, description):
    workbook = Workbook()
    first = workbook.active
    first.title = _("Срез")[:31]
    bold = Font(bold=True)
    first.append(xlsx_row(first, [_("Индекс клиентоцентричности")]))
    first["A1"].font = bold
    for name, value in description:
        first.append(xlsx_row(first, [str(name), str(value)]))
    first.append([])
    first.append(
        xlsx_row(first, [_("Формула и веса — на странице дашборда, «Как считается индекс».")])
    )
    for table in report_tables(report):
        sheet = workbook.create_sheet(sheet_title(table.title))
        sheet.append(xlsx_row(sheet, [str(h) for h in table.headers]))
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(xlsx_row(sheet, row))
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            letter = column[0].column_letter
            longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report, description):
    """One CSV for Russian Excel: UTF-8 with BOM, «;» between cells, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_value(_("Индекс клиентоцентричности"))])
    for name, value in description:
        writer.writerow([csv_value(str(name)), csv_value(str(value))])
    for table in report_tables(report):
        writer.writerow([])
        writer.writerow([csv_value(str(table.title))])
        writer.writerow([csv_value(str(h)) for h in table.headers])
        for row in table.rows:
            writer.writerow([csv_value(value) for value in row])
    return "\ufeff" + buffer.getvalue()
