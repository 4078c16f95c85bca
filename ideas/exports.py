"""The minutes of a meeting as XLSX and CSV.

A cell a person typed may start with = + - @ (or a tab / carriage return),
which a spreadsheet would run as a formula («formula injection»); such cells
get a leading apostrophe, so they are shown as the text they were.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kb_portal.spreadsheets import formula_safe, xlsx_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _day(value):
    return value.strftime("%d.%m.%Y") if value else ""


def _header_rows(meeting, attendees):
    return [
        [_("Протокол заседания рабочей группы по клиентоцентричности")],
        [_("Дата"), meeting.held_on.strftime("%d.%m.%Y")],
        [_("Участники"), ", ".join(_name(user) for user in attendees)],
        [_("Ход обсуждения"), meeting.minutes],
        [],
    ]


COLUMNS = (
    gettext_lazy("Идея №"),
    gettext_lazy("Название"),
    gettext_lazy("Решение"),
    gettext_lazy("Обоснование"),
    gettext_lazy("Ответственный"),
    gettext_lazy("Срок"),
    gettext_lazy("Влияние"),
    gettext_lazy("Уверенность"),
    gettext_lazy("Простота"),
    gettext_lazy("ICE"),
    gettext_lazy("Объединена с №"),
    gettext_lazy("Что изменено"),
    gettext_lazy("Дата внедрения"),
)


def _decision_rows(decisions):
    for decision in decisions:
        yield [
            decision.idea_id,
            decision.idea.title,
            str(decision.get_outcome_display()),
            decision.rationale,
            _name(decision.responsible),
            _day(decision.due_date),
            decision.impact,
            decision.confidence,
            decision.ease,
            decision.ice_score,
            decision.merged_into_id,
            decision.implementation_changes or "",
            _day(decision.implementation_on),
        ]


def _filename(meeting, ext):
    return f"protokol-{meeting.held_on.isoformat()}.{ext}"


def minutes_xlsx(meeting, attendees, decisions):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Протокол")
    for row in _header_rows(meeting, attendees):
        sheet.append(xlsx_row(sheet, row))
    sheet.append(xlsx_row(sheet, [str(title) for title in COLUMNS]))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=13)
    for row in _decision_rows(decisions):
        sheet.append(xlsx_row(sheet, row))
    for column, width in zip(
        "ABCDEFGHIJKLM", (10, 45, 18, 60, 25, 12, 10, 12, 10, 8, 14, 60, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(meeting, "xlsx")}"'
    return response


def minutes_csv(meeting, attendees, decisions):
    """CSV for Excel in a Russian locale: UTF-8 with a BOM, semicolons."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    for row in _header_rows(meeting, attendees):
        writer.writerow([formula_safe(value) for value in row])
    writer.writerow([str(title) for title in COLUMNS])
    for row in _decision_rows(decisions):
        writer.writerow(["" if value is None else formula_safe(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(meeting, "csv")}"'
    return response
