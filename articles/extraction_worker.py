"""Reads the text out of one attachment; runs as a child process.

``articles.extraction`` starts ``python -m articles.extraction_worker`` under a
wall-clock timeout and hands it the file (a path argument, or the bytes on
stdin). The first thing this module does is cap its own memory, CPU time and
file writes, so a hostile file — a zip or XML bomb, a PDF with a looping page
tree — costs at most those limits and then dies here, not in a web worker.

It answers on stdout with JSON lines: ``{"text": ...}`` chunks as they are
read (so a timeout still leaves what was read before it), for a presentation
a ``{"part": "slide"}`` line before each slide's text and ``{"part": "notes"}``
before the speaker's notes, then one ``{"outcome": ..., "code": ...}`` line.
Outcome codes are stable English words; the parent turns them into Russian
for the editor.

It needs no Django and no settings: only the standard library, defusedxml and
(for PDF) pypdf. Parsers report a bad file as an outcome, never as a crash.
"""

import argparse
import io
import json
import logging
import posixpath
import re
import resource
import sys
import warnings
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"

# An encrypted Word/Excel/PowerPoint file is not a zip but an OLE container.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Failure(Exception):
    """The file cannot give text; ``code`` says why."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Full(Exception):
    """Enough text has been read; the rest of the file is skipped."""


class Output:
    """Sends text to the parent in chunks and stops the parser at the cap."""

    CHUNK = 64 * 1024

    def __init__(self, stream, max_chars):
        self.stream = stream
        self.max_chars = max_chars
        self.length = 0
        self.pending = []
        self.pending_length = 0
        self.truncated = False

    def add(self, text):
        if not text:
            return
        room = self.max_chars - self.length
        if len(text) > room:
            text = text[:room]
            self.truncated = True
        self.pending.append(text)
        self.pending_length += len(text)
        self.length += len(text)
        if self.pending_length >= self.CHUNK or self.truncated:
            self.flush()
        if self.truncated:
            raise Full

    def line(self, text):
        self.add(text + "\n")

    def part(self, name):
        """Say that the text from here on is a new ``slide`` or the ``notes``:
        the parent keeps each slide's text apart for the page's preview."""
        self.flush()
        self.send({"part": name})

    def flush(self):
        if self.pending:
            self.send({"text": "".join(self.pending)})
            self.pending, self.pending_length = [], 0

    def send(self, message):
        self.stream.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
        self.stream.flush()


# --- XML ---------------------------------------------------------------------------------


def _parse(archive, name, events=("end",)):
    """Stream the events of one XML part; DTDs and entities are refused."""
    try:
        member = archive.open(name)
    except KeyError:
        raise Failure("corrupt") from None
    with member:
        yield from iterparse(member, events=events, forbid_dtd=True)


def _drop(element):
    """Free an element already read; its tail belongs to the parent's text."""
    tail = element.tail
    element.clear()
    element.tail = tail


def _ooxml_paragraph(element, text_tags, tab_tags, break_tags):
    parts = []
    for node in element.iter():
        if node.tag in text_tags:
            parts.append(node.text or "")
        elif node.tag in tab_tags:
            parts.append("\t")
        elif node.tag in break_tags:
            parts.append("\n")
    return "".join(parts)


def _ooxml_paragraphs(archive, name, out, *, paragraph, text, tab=(), brk=()):
    text_tags, tab_tags, break_tags = set(text), set(tab), set(brk)
    fallback = f"{MC}Fallback"
    in_fallback = 0  # a Fallback repeats its Choice (a text box) for old readers
    for event, element in _parse(archive, name, events=("start", "end")):
        if element.tag == fallback:
            in_fallback += 1 if event == "start" else -1
        if event == "start":
            continue
        if element.tag == paragraph:
            text = "" if in_fallback else _ooxml_paragraph(element, text_tags, tab_tags, break_tags)
            if text:
                out.line(text)
            _drop(element)
        elif element.tag == fallback:
            _drop(element)


def _relationships(archive, part):
    """Targets of a part's relationships by id, as paths inside the zip."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    targets = {}
    for _event, element in _parse(archive, rels):
        if element.tag == f"{REL}Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            targets[element.get("Id")] = posixpath.normpath(path)
    return targets


def _natural(names):
    return sorted(
        names, key=lambda name: [int(d) if d.isdigit() else d for d in re.split(r"(\d+)", name)]
    )


def _docx(archive, out):
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise Failure("corrupt")
    extra = ["word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"]
    extra += _natural(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
    for name in ["word/document.xml", *[n for n in extra if n in names]]:
        _ooxml_paragraphs(
            archive,
            name,
            out,
            paragraph=f"{W}p",
            text=[f"{W}t"],
            tab=[f"{W}tab"],
            brk=[f"{W}br", f"{W}cr"],
        )


def _pptx(archive, out):
    names = set(archive.namelist())
    if "ppt/presentation.xml" not in names:
        raise Failure("corrupt")
    targets = _relationships(archive, "ppt/presentation.xml")
    slides = []
    for _event, element in _parse(archive, "ppt/presentation.xml"):
        if element.tag == f"{P}sldId":
            target = targets.get(element.get(f"{R}id"))
            if target in names:
                slides.append(target)
    if not slides:  # relationships missing: take the slides in name order
        slides = _natural(n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    notes = _natural(n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n))
    for number, name in enumerate([*slides, *notes]):
        if number < len(slides):
            out.part("slide")
        elif number == len(slides):
            out.part("notes")
        _ooxml_paragraphs(archive, name, out, paragraph=f"{A}p", text=[f"{A}t"], brk=[f"{A}br"])


def _xlsx_shared_strings(archive):
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    for _event, element in _parse(archive, "xl/sharedStrings.xml"):
        if element.tag == f"{S}rPh":  # phonetic hints (Japanese), not the text
            _drop(element)
        elif element.tag == f"{S}si":
            strings.append(_ooxml_paragraph(element, {f"{S}t"}, (), ()))
            _drop(element)
    return strings


def _xlsx(archive, out):
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise Failure("corrupt")
    shared = _xlsx_shared_strings(archive)
    targets = _relationships(archive, "xl/workbook.xml")
    sheets = []
    for _event, element in _parse(archive, "xl/workbook.xml"):
        if element.tag == f"{S}sheet":
            target = targets.get(element.get(f"{R}id"))
            if target in names:
                sheets.append((element.get("name", ""), target))
    if not sheets:
        sheets = [
            ("", n) for n in _natural(n for n in names if re.match(r"xl/worksheets/[^/]+\.xml$", n))
        ]
    for title, name in sheets:
        out.line(title)
        # One line per cell, as a table cell in a document gets: joined in a
        # row, the cells would read as one sentence in a search snippet.
        for _event, element in _parse(archive, name):
            if element.tag == f"{S}c":
                value = _xlsx_cell(element, shared).strip()
                if value:
                    out.line(value)
                _drop(element)
            elif element.tag == f"{S}row":
                _drop(element)


def _xlsx_cell(cell, shared):
    """A cell's text. Numbers and dates are left out: stored as bare numbers
    (a date is a day count), they would only add noise to search."""
    kind = cell.get("t")
    if kind == "s":
        value = cell.findtext(f"{S}v") or ""
        try:
            return shared[int(value)]
        except (ValueError, IndexError):
            return ""
    if kind == "inlineStr":
        return _ooxml_paragraph(cell, {f"{S}t"}, (), ())
    if kind == "str":  # the text a formula produced
        return cell.findtext(f"{S}v") or ""
    return ""


def _odf_paragraph(element):
    """Text of a paragraph with mixed content (text, spans and their tails)."""
    parts = []
    stack = [(element, True)]
    while stack:
        node, opening = stack.pop()
        if not opening:
            parts.append(node.tail or "")
            continue
        if node.tag == f"{TEXT}s":
            parts.append(" " * min(int(node.get(f"{TEXT}c", "1") or 1), 100))
        elif node.tag == f"{TEXT}tab":
            parts.append("\t")
        elif node.tag == f"{TEXT}line-break":
            parts.append("\n")
        parts.append(node.text or "")
        if node is not element:
            stack.append((node, False))
        stack.extend((child, True) for child in reversed(node))
    return "".join(parts)


def _odf(archive, out, *, slides=False):
    names = set(archive.namelist())
    if "META-INF/manifest.xml" in names:
        with archive.open("META-INF/manifest.xml") as manifest:
            if b"encryption-data" in manifest.read(1024 * 1024):
                raise Failure("encrypted")
    if "content.xml" not in names:
        raise Failure("corrupt")
    paragraphs = {f"{TEXT}p", f"{TEXT}h"}
    for event, element in _parse(archive, "content.xml", events=("start", "end")):
        if event == "start":
            # A presentation's pages are its slides; the speaker's notes
            # come inside a page, after what the slide shows.
            if slides and element.tag == f"{DRAW}page":
                out.part("slide")
            elif slides and element.tag == f"{PRESENTATION}notes":
                out.part("notes")
            continue
        if element.tag in paragraphs:
            text = _odf_paragraph(element)
            if text:
                out.line(text)
            _drop(element)
        elif element.tag == f"{TABLE}table-row":
            _drop(element)


def _odp(archive, out):
    _odf(archive, out, slides=True)


ZIP_FORMATS = {"docx": _docx, "pptx": _pptx, "xlsx": _xlsx, "odt": _odf, "ods": _odf, "odp": _odp}


def _zip(source, out, parse, max_unpacked):
    if isinstance(source, bytes) and source.startswith(OLE_SIGNATURE):
        raise Failure("encrypted")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise Failure("corrupt") from None
    with archive:
        # What each part unpacks to is declared in the zip, and zipfile never
        # unpacks more than declared: checking the sum stops a zip bomb early.
        if sum(info.file_size for info in archive.infolist()) > max_unpacked:
            raise Failure("unpacked_too_large")
        try:
            parse(archive, out)
        except (DefusedXmlException, ParseError) as error:
            if isinstance(error, DefusedXmlException):
                raise Failure("unsafe_xml") from None
            raise Failure("corrupt") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
            # A damaged or lying part, or a compression method zipfile lacks.
            raise Failure("corrupt") from None


# --- PDF and plain text ------------------------------------------------------------------


def _pdf(source, out, max_pages):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    if reader.is_encrypted:
        # An empty user password only restricts printing or copying: still readable.
        try:
            if not reader.decrypt(""):
                raise Failure("encrypted")
        except (DependencyError, NotImplementedError, PyPdfError):
            raise Failure("encrypted") from None
    total = len(reader.pages)
    if total == 0:
        raise Failure("corrupt")
    read = min(total, max_pages)
    found = False
    for number in range(read):
        text = reader.pages[number].extract_text() or ""
        found = found or bool(text.strip())
        out.line(text)
        out.flush()  # page by page, so a timeout keeps the pages already read
    if not found:
        raise Failure("no_text_layer")
    return {"pages_read": read, "pages_total": total}


def decode_text(data):
    """Text of a .txt file in UTF-8 (with or without BOM), UTF-16 or Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        text = data.decode("utf-8")
        # UTF-16 without a BOM also decodes as UTF-8, into control characters.
        if _plain(text[:4096]):
            return text
    except UnicodeDecodeError:
        pass
    encoding = _utf16_without_bom(data[:4096])
    if encoding:
        return data.decode(encoding, errors="replace")
    # Anything else is, in practice, Windows-1251 (Russian Windows' Notepad).
    # KOI8-R would come out garbled.
    return data.decode("cp1251", errors="replace")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _plain(text):
    """Text, not binary read in the wrong encoding: a page break or two may
    occur, a control character every other letter does not."""
    return len(_CONTROL.findall(text)) <= len(text) // 10


def _utf16_without_bom(head):
    """ "utf-16-le" or "utf-16-be" when ``head`` looks like it.

    Text in one alphabet has few distinct high bytes (0x04 for Cyrillic,
    0x00 for digits, spaces and Latin), and in UTF-16 they all fall on odd
    positions (little-endian) or all on even ones (big-endian).
    """
    head = head[: len(head) // 2 * 2]
    if len(head) < 8:
        return None

    def narrow(half):
        common = sorted((half.count(byte) for byte in set(half)), reverse=True)[:2]
        return sum(common) >= 0.9 * len(half)

    even, odd = head[0::2], head[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if narrow(high) and not narrow(low):
            text = head.decode(encoding, errors="replace")
            if _plain(text) and "\ufffd" not in text[:-1]:
                return encoding
    return None


def _txt(source, out):
    if not isinstance(source, bytes):
        with open(source, "rb") as file:
            source = file.read()
    out.add(decode_text(source))


# --- Entry point -------------------------------------------------------------------------


def _limit(kind, value):
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard))


def _set_limits(args):
    _limit(resource.RLIMIT_AS, args.max_memory)
    # CPU time backs the parent's wall-clock timeout should the parent die.
    _limit(resource.RLIMIT_CPU, args.max_seconds + 1)
    _limit(resource.RLIMIT_FSIZE, 0)  # a parser has no business writing files
    _limit(resource.RLIMIT_CORE, 0)


def extract(source, out, args):
    """Run the parser for ``args.format``; return extra facts for the parent."""
    if args.format == "pdf":
        return _pdf(source, out, args.max_pages)
    if args.format == "txt":
        return _txt(source, out)
    if args.format in ZIP_FORMATS:
        return _zip(source, out, ZIP_FORMATS[args.format], args.max_unpacked)
    raise Failure("unsupported")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", required=True)
    parser.add_argument("--path", help="the file; without it the bytes come on stdin")
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-chars", type=int, required=True)
    parser.add_argument("--max-unpacked", type=int, required=True)
    parser.add_argument("--max-memory", type=int, required=True)
    parser.add_argument("--max-seconds", type=int, required=True)
    args = parser.parse_args(argv)
    _set_limits(args)
    logging.disable(logging.CRITICAL)  # pypdf warns about every flaw; the outcome says enough
    warnings.simplefilter("ignore")

    stdout = sys.stdout.buffer
    out = Output(stdout, args.max_chars)
    outcome = {"outcome": "ok", "code": ""}
    try:
        source = args.path or sys.stdin.buffer.read()
        facts = extract(source, out, args) or {}
        outcome.update(facts)
    except Full:
        pass
    except Failure as failure:
        kind = {"no_text_layer": "empty", "unsupported": "unsupported"}.get(failure.code, "failed")
        outcome.update(outcome=kind, code=failure.code)
    except MemoryError:
        out.pending = []  # free what we can to be able to answer
        outcome.update(outcome="failed", code="memory")
    except RecursionError:
        outcome.update(outcome="failed", code="corrupt")
    except Exception as error:
        # Parsers (pypdf above all) raise many kinds of errors on a malformed
        # file. Any of them means «this file cannot be read»; its name goes to
        # the parent's log so a real bug in a parser is still visible there.
        outcome.update(outcome="failed", code="corrupt", detail=f"{type(error).__name__}: {error}")
    out.flush()
    outcome["truncated"] = out.truncated
    out.send(outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
