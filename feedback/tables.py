"""Reading and writing the tables offices send: CSV (UTF-8 with or without
BOM, or Windows-1251; «;» or «,») and XLSX.

The format is recognised from the bytes, not from the file name: a PNG
renamed to .csv is refused, an XLSX named .csv is read as XLSX. Rows stream
from the file, so a file of a million rows never sits in memory.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import filetype
from django.utils.translation import gettext as _

from kb_portal.spreadsheets import formula_safe, xlsx_row

SNIFF_BYTES = 64 * 1024
PREVIEW_ROWS = 5
CSV = "csv"
XLSX = "xlsx"
CSV_FIELD_LIMIT = 1024 * 1024

_UNDECODED = re.compile("[\udc80-\udcff]")

csv.field_size_limit(CSV_FIELD_LIMIT)


class TableError(Exception):
    """The file cannot be read as a table; the message is for the person."""


class FormulaWithoutValue:
    """An XLSX cell holding a formula that was never computed: the file was
    written by a program, not saved in Excel, so there is no value to read.
    Rows with one are rejected with this reason instead of reading «no answer»."""

    __slots__ = ("formula",)

    def __init__(self, formula):
        self.formula = formula

    def __str__(self):
        return self.formula

    def __repr__(self):
        return f"FormulaWithoutValue({self.formula!r})"


@dataclass
class TableInfo:
    """How to read a file, as found by `table_inspect`, and what it starts with."""

    format: str
    encoding: str = ""
    delimiter: str = ""
    headers: list = field(default_factory=list)
    preview: list = field(default_factory=list)
    # XLSX only: the sheet read, and the visible sheets a person may choose from.
    sheet: str = ""
    sheets: list = field(default_factory=list)

    def as_dict(self):
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "headers": self.headers,
            "sheet": self.sheet,
            "sheets": self.sheets,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            format=data["format"],
            encoding=data.get("encoding", ""),
            delimiter=data.get("delimiter", ""),
            headers=list(data.get("headers", [])),
            sheet=data.get("sheet", ""),
            sheets=list(data.get("sheets", [])),
        )


def table_inspect(fileobj, *, sheet=""):
    """Recognise the format of an open binary file and read its header and
    first rows. Raises TableError with a Russian message on a file that is
    empty, not a table, or in an unknown encoding.

    Of an XLSX book it reads ``sheet`` (one of its visible sheets), by
    default the active sheet, or the first visible one when the active sheet
    is hidden: a hidden sheet is never read."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head:
        raise TableError(_("Файл пустой (0 байт)."))
    if head.startswith(b"PK\x03\x04"):
        info = TableInfo(format=XLSX, sheet=sheet)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            _(
                "Файл в старом формате Excel 97–2003 (XLS). Сохраните его как «Книга Excel "
                "(XLSX)» или «CSV UTF-8» и загрузите снова."
            )
        )
    else:
        info = TableInfo(format=CSV, encoding=_detect_encoding(head))
        info.delimiter = _detect_delimiter(head.decode(info.encoding, errors="replace"))
    rows = table_rows(fileobj, info, with_header=True)
    try:
        header = next(rows, None)
        if header is None or not any(header[1]):
            raise TableError(_("В файле нет заголовка: первая строка пуста."))
        info.headers = [str(cell).strip() for cell in header[1]]
        for _number, cells in rows:
            info.preview.append(cells)
            if len(info.preview) >= PREVIEW_ROWS:
                break
    finally:
        rows.close()
    if not info.preview:
        raise TableError(_("В файле нет строк с данными: только заголовок."))
    return info


def _detect_encoding(head):
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            _(
                "Файл в кодировке UTF-16. Сохраните его как «CSV UTF-8» или CSV в "
                "Windows-1251 и загрузите снова."
            )
        )
    kind = filetype.guess(head)
    if kind is not None or b"\x00" in head:
        described = kind.mime if kind else _("двоичный файл")
        raise TableError(
            _(
                "Файл не похож на таблицу (%(kind)s). Загрузите CSV или XLSX, например, "
                "заполнив шаблон с этой страницы."
            )
            % {"kind": described}
        )
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # The sniffed head may cut a multi-byte character at its end.
        if error.start >= len(head) - 3 and len(head) == SNIFF_BYTES:
            return "utf-8"
    try:
        head.decode("cp1251")
    except UnicodeDecodeError:
        raise TableError(
            _(
                "Не удалось определить кодировку файла. Сохраните его как «CSV UTF-8» или CSV "
                "в Windows-1251 и загрузите снова."
            )
        ) from None
    return "cp1251"


def _detect_delimiter(text):
    """The delimiter that splits the header into most columns and the rows
    into as many as the header: «;» and «,» both occur inside values."""
    lines = text.splitlines()[:50]
    if len(lines) > 1 and len(text) >= SNIFF_BYTES - 4:
        lines = lines[:-1]  # the last line may be cut in the middle
    best, best_score = ";", (-1, 0)
    for delimiter in ";,\t":
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(1 for row in rows[1:] if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read, for progress by size."""

    def __init__(self, raw):
        self.raw = raw
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self.bytes_read += len(data)
        buffer[: len(data)] = data
        return len(data)


def table_rows(fileobj, info, *, with_header=False, progress=None):
    """Yield (row number, list of cells) for each non-blank row. Row 1 is the
    header, as a spreadsheet program numbers them; it is skipped unless
    ``with_header``. ``progress`` becomes a callable giving the share of the
    file read so far (0–1), when that can be known. Of an XLSX book the rows
    of ``info.sheet`` are read (see `table_inspect`), and ``info.sheet`` and
    ``info.sheets`` say which sheet that was and which others there are."""
    fileobj.seek(0)
    if info.format == XLSX:
        yield from _xlsx_rows(fileobj, info, with_header)
        return
    counting = _CountingReader(fileobj)
    size = _size(fileobj)
    if progress is not None:
        progress.share = (lambda: min(counting.bytes_read / size, 1.0)) if size else None
    # Undecodable bytes become lone surrogates instead of an error at some
    # buffer boundary, so the message can name the exact row.
    text = io.TextIOWrapper(
        io.BufferedReader(counting, 1024 * 1024),
        encoding=info.encoding,
        errors="surrogateescape",
        newline="",
    )
    reader = csv.reader(text, delimiter=info.delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number == 1 and not with_header:
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if _UNDECODED.search("".join(cells)):
                raise TableError(
                    _(
                        "Строка %(number)s не читается в кодировке %(encoding)s: в файле "
                        "смешаны кодировки. Сохраните его заново как «CSV UTF-8» и загрузите "
                        "снова."
                    )
                    % {"number": number, "encoding": _encoding_name(info.encoding)}
                )
            yield number, cells
    except csv.Error as error:
        raise TableError(_csv_error_message(error, number + 1)) from None
    finally:
        text.detach()


def _csv_error_message(error, number):
    """What the csv module's English complaint means, in Russian."""
    if "field larger than field limit" in str(error):
        return _(
            "Строка %(number)s не читается как CSV: в ней ячейка длиннее %(limit)s знаков. "
            'Обычно это значит, что в файле есть непарная кавычка «"»: всё после неё '
            "читается как одна ячейка. Проверьте кавычки в этой строке или сохраните файл "
            "заново из Excel как «CSV UTF-8»."
        ) % {"number": number, "limit": f"{CSV_FIELD_LIMIT:,}".replace(",", "\u00a0")}
    return _(
        "Строка %(number)s не читается как CSV: нарушены правила кавычек или разделителей. "
        "Сохраните файл заново из Excel как «CSV UTF-8» и загрузите снова."
    ) % {"number": number}


def _size(fileobj):
    try:
        position = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
        return size
    except (OSError, AttributeError):
        return 0


def _xlsx_rows(fileobj, info, with_header):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise TableError(
            _(
                "Не удалось открыть файл как книгу Excel (XLSX): он повреждён или это другой "
                "формат. Сохраните таблицу как XLSX или CSV и загрузите снова."
            )
        ) from None
    try:
        sheet = _xlsx_sheet(workbook, info)
        for number, values in _xlsx_sheet_rows(workbook, sheet):
            if number == 1 and not with_header:
                continue
            cells = ["" if value is None else value for value in values]
            if not any(str(cell).strip() for cell in cells):
                continue
            yield number, cells
    finally:
        workbook.close()


def _xlsx_sheet(workbook, info):
    """The sheet to read: ``info.sheet`` if visible, else the active visible
    sheet, else the first visible one; fills in ``info.sheet``/``info.sheets``."""
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise TableError(
            _("В книге Excel нет видимых листов. Покажите лист с данными и загрузите файл снова.")
        )
    by_title = {sheet.title: sheet for sheet in visible}
    if info.sheet and info.sheet not in by_title:
        raise TableError(
            _("В книге нет видимого листа «%(sheet)s»; видимые листы: %(sheets)s.")
            % {"sheet": info.sheet, "sheets": ", ".join(by_title)}
        )
    sheet = by_title.get(info.sheet)
    if sheet is None:
        active = workbook.active
        sheet = by_title.get(getattr(active, "title", None)) or visible[0]
    info.sheet = sheet.title
    info.sheets = [sheet.title for sheet in visible]
    return sheet


def _xlsx_sheet_rows(workbook, sheet):
    """(row number, values) of a read-only sheet, as ``iter_rows(values_only=True)``
    gives them, except that a formula with no computed value is a
    FormulaWithoutValue rather than None («no answer»)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                formula = self.parse_formula(element)
                cell["value"] = FormulaWithoutValue(str(getattr(formula, "text", formula)))
            return cell

    # openpyxl 3.1's own read-only row reader, with the parser above.
    with sheet._get_source() as source:
        parser = Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, row in parser.parse():
            if not row:
                continue
            values = [None] * row[-1]["column"]
            for cell in row:
                values[cell["column"] - 1] = cell["value"]
            yield number, values


def _encoding_name(encoding):
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1251": "Windows-1251"}.get(
        encoding, encoding
    )


def cell_text(value):
    """A cell as the text a person typed (numbers without «.0», dates as ДД.ММ.ГГГГ)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def safe_cell(value):
    """Text for a cell of an exported CSV file that no spreadsheet runs as a formula."""
    return formula_safe(cell_text(value))


def table_write(info_format, headers, rows, *, encoding="utf-8-sig", delimiter=";"):
    """Bytes of a CSV or XLSX file with these headers and rows, every cell
    formula-injection safe (see kb_portal.spreadsheets)."""
    if info_format == XLSX:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(xlsx_row(sheet, [cell_text(header) for header in headers]))
        for row in rows:
            # Text as typed, in string cells: nothing runs, nothing is prefixed.
            sheet.append(xlsx_row(sheet, [cell_text(value) for value in row]))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(header) for header in headers])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # Excel opens UTF-8 CSV right only with a BOM
    return buffer.getvalue().encode(encoding, errors="replace")
