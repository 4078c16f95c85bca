"""Reading files as offices have them, and refusing what is not a table."""

import io

import pytest

from feedback.tables import (
    FormulaWithoutValue,
    TableError,
    safe_cell,
    table_inspect,
    table_rows,
    table_write,
)
from tests.factories import png_bytes
from tests.feedback.factories import (
    HEADERS,
    csv_bytes,
    feedback_row,
    read_table,
    with_computed_values,
    xlsx_book,
    xlsx_bytes,
)


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


def test_written_csv_holds_no_formula():
    content = table_write("csv", ["Комментарий"], [['=HYPERLINK("http://x","y")']])
    assert read_table(content, "csv")[1][0] == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+7 900", "-1", "@SUM(A1)"])
def test_written_xlsx_holds_text_as_typed_never_a_formula(value):
    """XLSX cells have types: a string cell never runs, so no apostrophe to see."""
    import openpyxl

    content = table_write("xlsx", ["Комментарий"], [[value]])
    cell = openpyxl.load_workbook(io.BytesIO(content)).active["A2"]
    assert (cell.value, cell.data_type) == (value, "s")


def test_written_xlsx_drops_characters_xlsx_cannot_hold():
    """A control character from a CSV would make openpyxl refuse the whole file (a 500)."""
    content = table_write("xlsx", ["Комментарий"], [["до\x01после\x1b"]])
    assert read_table(content, "xlsx")[1] == ["допосле"]


def _book(**options):
    """A book whose sheets each hold a table with a telling header."""
    return xlsx_book(
        {title: [[f"Заголовок {title}", "Б"], [f"Данные {title}", "1"]] for title in "ABC"},
        **options,
    )


def test_a_hidden_first_sheet_is_never_read():
    info = _inspect(_book(hidden=("A",), active=1))
    assert (info.sheet, info.sheets) == ("B", ["B", "C"])
    assert info.headers == ["Заголовок B", "Б"]


def test_the_active_sheet_is_read_and_the_others_are_offered():
    content = _book(active=2)
    info = _inspect(content)
    assert (info.sheet, info.sheets) == ("C", ["A", "B", "C"])
    assert [cells for _n, cells in table_rows(io.BytesIO(content), info)] == [["Данные C", "1"]]


def test_a_hidden_active_sheet_gives_way_to_the_first_visible():
    info = _inspect(_book(hidden=("A", "C"), active=2))
    assert (info.sheet, info.sheets) == ("B", ["B"])


def test_another_visible_sheet_can_be_read_but_no_hidden_one():
    content = _book(hidden=("C",))
    assert table_inspect(io.BytesIO(content), sheet="B").headers == ["Заголовок B", "Б"]
    with pytest.raises(TableError, match="нет видимого листа «C»; видимые листы: A, B"):
        table_inspect(io.BytesIO(content), sheet="C")


def test_a_formula_without_a_computed_value_is_not_read_as_blank():
    content = xlsx_book({"Данные": [["Оценка", "Сумма"], ["5", "=2+2"]]}, formulas=True)
    info = _inspect(content)
    cells = next(table_rows(io.BytesIO(content), info))[1]
    assert isinstance(cells[1], FormulaWithoutValue)
    assert str(cells[1]) == "=2+2"
    computed = with_computed_values(content, {"B2": 4})
    assert next(table_rows(io.BytesIO(computed), info))[1] == ["5", 4]


def test_a_runaway_quote_is_explained_in_russian():
    """csv's own «field larger than field limit (1048576)» reached the person."""
    lines = [
        "Номер;Текст",
        '1;"кавычка открыта и не закрыта',
        "2;" + "x" * 600_000,
        "3;" + "y" * 600_000,
    ]
    content = "\r\n".join(lines).encode()
    info = _inspect(csv_bytes([["1", "ok"]], headers=["Номер", "Текст"]))
    with pytest.raises(TableError) as caught:
        list(table_rows(io.BytesIO(content), info))
    message = str(caught.value)
    assert "field" not in message
    assert (
        "Строка 2 не читается как CSV: в ней ячейка длиннее 1\u00a0048\u00a0576 знаков" in message
    )
    assert "непарная кавычка" in message
