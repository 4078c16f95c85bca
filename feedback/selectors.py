"""Reads for the import pages: the template files and the accepted values."""

from django.utils.translation import gettext as _

from feedback.importers import columns_for
from feedback.models import (
    Channel,
    ClientGroup,
    ClientType,
    ImportBatch,
    OperationalIndicator,
    ProblemSolved,
    Service,
    Source,
)
from feedback.tables import XLSX, table_write
from people.models import Office


def accepted_values(kind):
    """(column header, accepted values) for the reference part of the templates."""
    offices = list(
        Office.objects.filter(is_active=True).order_by("title").values_list("title", "code")
    )
    office_values = [f"{title} ({code})" for title, code in offices]
    if kind == ImportBatch.Kind.INDICATORS:
        return [
            (_("Подразделение"), office_values),
            (
                _("Показатель"),
                [f"{label} ({value})" for value, label in OperationalIndicator.Code.choices],
            ),
        ]
    return [
        (_("Источник"), [str(label) for label in Source.labels]),
        (_("Подразделение"), office_values),
        (_("Тип клиента"), [str(label) for label in ClientType.labels]),
        (_("Группа клиентов"), [str(label) for label in ClientGroup.labels]),
        (_("Услуга"), list(Service.objects.filter(is_active=True).values_list("title", flat=True))),
        (_("Канал"), [str(label) for label in Channel.labels]),
        (_("Вопрос решён"), [str(label) for label in ProblemSolved.labels]),
        (_("Оценки 1–5, NPS 0–10"), [_("пустая ячейка — нет ответа (не ноль)")]),
    ]


def template_file(kind, fmt):
    """An empty import template: the headers and one example row; the XLSX
    has a second sheet with the accepted values."""
    columns = columns_for(kind)
    headers = [str(column.header) for column in columns]
    example = [column.example for column in columns]
    if fmt != XLSX:
        return table_write(fmt, headers, [example])
    import io

    import openpyxl

    from feedback.tables import safe_cell

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Данные")
    sheet.append(headers)
    sheet.append([safe_cell(value) for value in example])
    for index, _header in enumerate(headers, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 22
    reference = workbook.create_sheet(_("Справочник"))
    for column, (title, values) in enumerate(accepted_values(kind), start=1):
        reference.cell(row=1, column=column, value=safe_cell(title))
        for row, value in enumerate(values, start=2):
            reference.cell(row=row, column=column, value=safe_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
