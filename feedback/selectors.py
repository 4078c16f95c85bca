"""Reads for the import pages: who sees which imports, the template files
and the accepted values."""

import itertools

from django.db.models import Q
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
from feedback.tables import XLSX, cell_text, table_write
from kb_portal.spreadsheets import xlsx_row
from people import roles
from people.models import Office, Profile


def batches_visible_to(user):
    """The imports ``user`` may open, download, confirm, restart, cancel and
    roll back: administrators all of them; a manager the ones they started
    and the ones started by people of their own office or of the offices
    under it (Profile.office); nobody else any. Imports run from the server
    command have no author, so only administrators see those."""
    batches = ImportBatch.objects.all()
    if roles.has_role(user, roles.ADMINISTRATOR):
        return batches
    if not roles.can_import_feedback(user):
        return batches.none()
    visible = Q(created_by=user)
    office = Office.objects.filter(staff__user=user).first()
    if office is not None:
        colleagues = Profile.objects.filter(
            office__in=office.get_descendants(include_self=True)
        ).values("user_id")
        visible |= Q(created_by__in=colleagues)
    return batches.filter(visible)


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

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Данные")
    sheet.append(xlsx_row(sheet, headers))
    sheet.append(xlsx_row(sheet, [cell_text(value) for value in example]))
    for index, _header in enumerate(headers, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 22
    reference = workbook.create_sheet(_("Справочник"))
    columns = [[title, *values] for title, values in accepted_values(kind)]
    for cells in itertools.zip_longest(*columns, fillvalue=None):
        reference.append(xlsx_row(reference, [None if v is None else cell_text(v) for v in cells]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
