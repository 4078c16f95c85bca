"""Reading files as offices have them, and refusing what is not a table."""

import io

import pytest

from feedback.tables import TableError, safe_cell, table_inspect, table_rows, table_write
from tests.factories import png_bytes
from tests.feedback.factories import HEADERS, csv_bytes, feedback_row, read_table, xlsx_bytes


def _inspect(content):
    return table_inspect(io.BytesIO(content))


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251")],
)
def test_it_detects_the_encoding(encoding, expected):
    info = _inspect(csv_bytes([feedback_row(comment="Всё отлично, спасибо")], encoding=encoding))
    assert info.encoding == expected
    assert info.headers == HEADERS  # no BOM glued to the first header
    assert "Всё отлично, спасибо" in info.preview[0]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_it_detects_the_delimiter(delimiter):
    content = csv_bytes([feedback_row(comment="Долго, но помогли")], delimiter=delimiter)
    info = _inspect(content)
    assert info.delimiter == delimiter
    assert info.preview[0][len(HEADERS) - 1] == "Долго, но помогли"


def test_it_reads_xlsx_by_content_whatever_the_name():
    info = _inspect(xlsx_bytes([feedback_row()]))
    assert info.format == "xlsx"
    assert info.headers == HEADERS
    rows = list(table_rows(io.BytesIO(xlsx_bytes([feedback_row(), feedback_row()])), info))
    assert [number for number, _cells in rows] == [2, 3]


def test_row_numbers_are_spreadsheet_rows_and_blank_lines_are_skipped():
    content = csv_bytes([feedback_row(), ["" for _h in HEADERS], feedback_row()])
    info = _inspect(content)
    assert [number for number, _cells in table_rows(io.BytesIO(content), info)] == [2, 4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "0 байт"),
        (png_bytes(), "не похож на таблицу"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "XLS"),
        ("Дата;Подразделение\r\n".encode("utf-16"), "UTF-16"),
        (csv_bytes([]), "только заголовок"),
        (b"PK\x03\x04broken zip", "XLSX"),
        (b"\x98\x98\x98;\x98\r\n1;2\r\n", "кодировк"),
    ],
    ids=["zero-bytes", "png", "xls", "utf16", "header-only", "broken-xlsx", "no-encoding"],
)
def test_it_refuses_what_is_not_a_readable_table(content, message):
    with pytest.raises(TableError, match=message):
        _inspect(content)


def test_a_file_with_mixed_encodings_fails_with_the_row_number():
    # The first 64 KB are UTF-8, the 601st row is Windows-1251.
    content = csv_bytes([feedback_row() for _i in range(600)]) + "ещё;строка\r\n".encode("cp1251")
    info = _inspect(content)
    assert info.encoding == "utf-8"
    with pytest.raises(TableError, match="Строка 602"):
        list(table_rows(io.BytesIO(content), info))


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x","y")', "+7 900", "-1", "@SUM(A1)", "\tx", "\rx"]
)
def test_cells_that_would_run_as_formulas_get_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_written_tables_hold_no_formula(fmt):
    content = table_write(fmt, ["Комментарий"], [['=HYPERLINK("http://x","y")']])
    rows = read_table(content, fmt)
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    if fmt == "xlsx":
        import openpyxl

        cell = openpyxl.load_workbook(io.BytesIO(content)).active["A2"]
        assert cell.data_type == "s"  # text, not a formula
