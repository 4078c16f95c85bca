"""The page's table as XLSX or CSV, built the way the CX dashboard's exports are
(``dashboards.exports``): the same rows, numbers rounded as on the page,
text that a spreadsheet would run as a formula kept as text."""

import csv
import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dashboards.cx import stars
from dashboards.forms import month_label
from kb_portal.spreadsheets import csv_value, sheet_title, xlsx_row


def _r(value, digits=1):
    return None if value is None else round(value, digits)


def caveat():
    return _(
        "Связь не означает причину: если там, где чаще читают базу знаний, индекс выше, "
        "это ещё не значит, что он выше из-за чтения."
    )


def description(report, *, scope_label, level_label):
    """(name, value) pairs that say what the numbers are for."""
    return [
        (_("Период"), report.filters.label),
        (_("Подразделения"), scope_label),
        (_("Уровень"), level_label),
        (_("Выгружено"), timezone.localtime().strftime("%d.%m.%Y %H:%M")),
        (_("Важно"), caveat()),
        (
            _("Мало ответов"),
            _("Индекс за месяц, где ответов меньше %(min)s, неточен: он помечен «да».")
            % {"min": settings.CX_MIN_RESPONSES},
        ),
    ]


def headers():
    return [
        _("Подразделение"),
        _("Месяц"),
        _("Сотрудников"),
        _("Просмотров базы знаний"),
        _("Просмотров на сотрудника"),
        _("Обязательных документов"),
        _("Ознакомление с обязательными, %"),
        _("Идей подано"),
        _("Обращений закрыто"),
        _("Из них в срок, %"),
        _("Индекс CX"),
        _("Звёзд"),
        _("Ответов клиентов"),
        _("Мало ответов"),
        _("Изменение индекса к предыдущему месяцу, п. п."),
    ]


def rows(report):
    """The total first, then each office: one line per month."""
    lines = []
    for row in [report.total, *report.rows]:
        for cell in row.cells:
            lines.append(
                [
                    row.label,
                    month_label(cell.month),
                    cell.employees,
                    cell.views,
                    _r(cell.views_per_employee, 2),
                    cell.mandatory,
                    _r(cell.reading),
                    cell.ideas,
                    cell.cases_closed,
                    _r(cell.on_time),
                    _r(cell.cx.value),
                    stars(cell.cx.value),
                    cell.cx.responses,
                    "" if cell.cx.enough else _("да"),
                    _r(cell.change),
                ]
            )
    return lines


def to_xlsx(report, pairs):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Знания и индекс"))
    bold = Font(bold=True)
    sheet.append(xlsx_row(sheet, [_("Использование базы знаний и индекс клиентоцентричности")]))
    sheet["A1"].font = bold
    for name, value in pairs:
        sheet.append(xlsx_row(sheet, [str(name), str(value)]))
    data = workbook.create_sheet(sheet_title(_("По месяцам")))
    data.append(xlsx_row(data, [str(h) for h in headers()]))
    for cell in data[1]:
        cell.font = bold
    for line in rows(report):
        data.append(xlsx_row(data, line))
    data.freeze_panes = "C2"
    for column in data.columns:
        letter = column[0].column_letter
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        data.column_dimensions[letter].width = min(max(10, longest + 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(report, pairs):
    """One CSV for Russian Excel: UTF-8 with BOM, «;» between cells, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_value(_("Использование базы знаний и индекс клиентоцентричности"))])
    for name, value in pairs:
        writer.writerow([csv_value(str(name)), csv_value(str(value))])
    writer.writerow([])
    writer.writerow([csv_value(str(h)) for h in headers()])
    for line in rows(report):
        writer.writerow([csv_value(value) for value in line])
    return "\ufeff" + buffer.getvalue()
