"""Cells of exported CSV/XLSX files that no spreadsheet runs as formulas.

A value from a person or an import (a comment, an office title, a rejected
row) that starts with one of these characters would be read by Excel or
LibreOffice as a formula (`=HYPERLINK(...)`).

CSV cells have no type, so there a leading apostrophe makes such a value
plain text (`formula_safe`). XLSX cells do have one: a string cell is never
evaluated, so `xlsx_row` writes text as a string cell, exactly as it is,
with no apostrophe for the reader to wonder about. (Left to itself, openpyxl
would store a text starting with «=» as a formula.)
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """For CSV: ``value`` unchanged, unless it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(sheet, value):
    """A cell of ``sheet`` holding ``value`` for ``sheet.append`` (in a normal
    or a write-only workbook): text is always a string cell, never a formula."""
    if isinstance(value, str):
        # Control characters XLSX cannot hold: openpyxl would refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def xlsx_row(sheet, values):
    """A row for ``sheet.append`` with every text written as text (see `xlsx_cell`)."""
    return [xlsx_cell(sheet, value) for value in values]


def sheet_title(title):
    """``title`` as an XLSX sheet name may be: no []:*?/\\, at most 31 characters."""
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31]


def csv_value(value):
    """A CSV cell for Russian Excel: empty for None, a decimal comma, formulas kept as text."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return formula_safe(str(value))


def tables_to_xlsx(heading, described, sheets, *, first_sheet):
    """One workbook (write-only: long tables do not sit in memory twice):
    a first sheet ``first_sheet`` with ``heading`` and the (name, value)
    pairs ``described``, then a sheet per (title, headers, rows) of ``sheets``."""
    workbook = Workbook(write_only=True)
    first = workbook.create_sheet(sheet_title(str(first_sheet)))
    first.append(xlsx_row(first, [str(heading)]))
    for name, value in described:
        first.append(xlsx_row(first, [str(name), str(value)]))
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(str(title)))
        sheet.append(xlsx_row(sheet, [str(h) for h in headers]))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tables_to_csv(heading, described, sheets, *, cell=csv_value):
    """The same as one CSV for Russian Excel: UTF-8 with BOM, «;» between
    cells, each table after an empty line and its title; ``cell`` writes a value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(str(heading))])
    for name, value in described:
        writer.writerow([cell(str(name)), cell(str(value))])
    for title, headers, rows in sheets:
        writer.writerow([])
        writer.writerow([cell(str(title))])
        writer.writerow([cell(str(h)) for h in headers])
        for row in rows:
            writer.writerow([cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()
