"""Builders of import files and reference data for the feedback tests."""

import csv
import io
import itertools
import re
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.importers import FEEDBACK_COLUMNS, INDICATOR_COLUMNS
from feedback.models import Service
from people.models import Office

_seq = itertools.count(1)

HEADERS = [str(column.header) for column in FEEDBACK_COLUMNS]
INDICATOR_HEADERS = [str(column.header) for column in INDICATOR_COLUMNS]


def make_office(title=None, *, code=None, parent=None):
    n = next(_seq)
    return Office.objects.create(
        title=title or f"ЦЗН № {n}", code=code or f"czn-{n}", kind="job_centre", parent=parent
    )


def make_service(title="Содействие в поиске подходящей работы", code="job-search"):
    return Service.objects.get_or_create(code=code, defaults={"title": title})[0]


def feedback_row(**values):
    """A good row of the template, by header; keyword names are column keys."""
    row = {
        "external_id": f"A-{next(_seq)}",
        "source": "анкета",
        "submitted_at": "15.03.2026 10:30",
        "office": "ЦЗН Ленинского района",
        "client_type": "гражданин",
        "client_group": "соискатель",
        "service": "",
        "channel": "очно",
        "csat": "5",
        "politeness": "5",
        "competence": "4",
        "waiting": "3",
        "comfort": "4",
        "information": "5",
        "relevance": "4",
        "ces": "5",
        "nps": "9",
        "problem_solved": "да",
        "wait_minutes": "10",
        "visits_count": "1",
        "on_time": "да",
        "complaint": "нет",
        "complaint_justified": "",
        "comment": "Всё понятно объяснили",
    }
    row.update(values)
    return [row[column.key] for column in FEEDBACK_COLUMNS]


def csv_bytes(rows, *, headers=HEADERS, encoding="utf-8", delimiter=";"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text typed into a cell, as Excel keeps it
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_book(sheets, *, active=0, hidden=(), formulas=False):
    """An XLSX book of several sheets, given as {title: rows} (the first row
    the headers). ``formulas``: a text starting with «=» stays a formula, as
    a program (not Excel) leaves it: with no computed value."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("=") and not formulas:
                    cell.data_type = "s"
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.active = active
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_computed_values(content, values):
    """The XLSX ``content`` as Excel saves it: each formula cell (by its
    reference, e.g. "I2") gets its computed value."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                for reference, value in values.items():
                    text = re.sub(
                        rf'(<c r="{reference}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>',
                        rf"\1<v>{value}</v>",
                        text,
                    )
                data = text.encode()
            target.writestr(item, data)
    return buffer.getvalue()


def upload(content, name="отзывы.csv"):
    return SimpleUploadedFile(name, content)


def read_table(content, fmt):
    """The rows of a downloaded CSV or XLSX, as lists of cell values."""
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def import_file(content, name="отзывы.csv", *, kind="feedback", user=None, confirm=True):
    """Upload, validate and (unless ``confirm=False``) write a file, through
    the same services the pages use; returns the fresh batch."""
    from feedback import services
    from feedback.models import ImportBatch

    file = upload(content, name)
    info = services.upload_inspect(file)
    batch = services.batch_create(kind=kind, upload=file, user=user, info=info)
    services.batch_map(batch=batch, columns=batch.mapping["columns"])
    batch.refresh_from_db()
    if confirm and batch.status == ImportBatch.Status.VALIDATED:
        services.batch_confirm(batch=batch)
        batch.refresh_from_db()
    return batch
