"""Small real office files and PDFs, built in the test, for text extraction.

Each builder writes the least a real reader needs (and enough for the upload
check to recognise the type); the text goes in exactly as given.
"""

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
ODF_MIME = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ooxml(parts):
    """Office Open XML: the two parts every package opens with, then ``parts``."""
    return _zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", **parts})


def _rels(targets):
    items = "".join(
        f'<Relationship Id="rId{n}" Type="x" Target="{target}"/>'
        for n, target in enumerate(targets, start=1)
    )
    return f'<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def w_paragraph(text):
    return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"


def docx(*paragraphs, body=None, parts=None):
    """A Word document with one paragraph per string, or with a raw ``body``."""
    body = body if body is not None else "".join(w_paragraph(p) for p in paragraphs)
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return _ooxml({"word/document.xml": document, **(parts or {})})


def pptx(*slides, file_order=None):
    """A presentation with one slide per list of paragraphs. ``file_order``
    names the slide files differently from the show order, as after moving
    slides in PowerPoint."""
    file_order = file_order or list(range(1, len(slides) + 1))
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in range(1, len(slides) + 1))
    parts = {
        "ppt/presentation.xml": (
            f'<p:presentation xmlns:p="{P_NS}" xmlns:r="{R_NS}">'
            f"<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>"
        ),
        "ppt/_rels/presentation.xml.rels": _rels(f"slides/slide{n}.xml" for n in file_order),
    }
    for number, paragraphs in zip(file_order, slides, strict=True):
        text = "".join(f"<a:p><a:r><a:t>{escape(p)}</a:t></a:r></a:p>" for p in paragraphs)
        parts[f"ppt/slides/slide{number}.xml"] = (
            f'<p:sld xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:cSld><p:spTree><p:sp>'
            f"<p:txBody>{text}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    return _ooxml(parts)


def xlsx(sheets):
    """A workbook from ``{sheet name: [[cell, …], …]}``; strings become shared
    strings, numbers stay numbers."""
    shared, names, parts = [], list(sheets), {}
    for number, rows in enumerate(sheets.values(), start=1):
        xml_rows = []
        for r, row in enumerate(rows, start=1):
            cells = []
            for value in row:
                if isinstance(value, str):
                    shared.append(value)
                    cells.append(f'<c t="s"><v>{len(shared) - 1}</v></c>')
                else:
                    cells.append(f"<c><v>{value}</v></c>")
            xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'<worksheet xmlns="{S_NS}"><sheetData>{"".join(xml_rows)}</sheetData></worksheet>'
        )
    listed = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    return _ooxml(
        {
            "xl/workbook.xml": (
                f'<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets>{listed}</sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": _rels(
                f"worksheets/sheet{n}.xml" for n in range(1, len(names) + 1)
            ),
            "xl/sharedStrings.xml": f'<sst xmlns="{S_NS}">{strings}</sst>',
            **parts,
        }
    )


def odf(kind, body, *, manifest="<manifest/>"):
    """An OpenDocument file (odt, ods, odp) whose office:body holds ``body``."""
    content = (
        f"<office:document-content {ODF_NS}><office:body>{body}</office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry first and stored: that is how readers recognise ODF.
        archive.writestr("mimetype", ODF_MIME[kind], compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------


def _pdf(objects):
    """A PDF file from object bodies; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf(*pages):
    """A PDF with a real text layer: one page per list of lines, in any
    alphabet. The font maps one-byte codes to Unicode through a ToUnicode
    table, the way PDF writers embed Cyrillic."""
    pages = [[page] if isinstance(page, str) else page for page in pages]
    alphabet = sorted({ch for page in pages for line in page for ch in line})
    assert len(alphabet) < 255, "one-byte codes only"
    code = {ch: n for n, ch in enumerate(alphabet, start=1)}
    pairs = [f"<{code[ch]:02X}> <{ord(ch):04X}>" for ch in alphabet]
    blocks = "\n".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar"
        for chunk in (pairs[i : i + 100] for i in range(0, len(pairs), 100))
    )
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /KB-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{blocks}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()
    widths = b" ".join(b"500" for _ in alphabet)
    page_numbers = [5 + 2 * n for n in range(len(pages))]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % n for n in page_numbers), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar %d "
        b"/Widths [%s] /ToUnicode 4 0 R >>" % (len(alphabet), widths),
        _stream(cmap),
    ]
    for number, lines in zip(page_numbers, pages, strict=True):
        shows = b" T* ".join(
            b"<%s> Tj" % "".join(f"{code[ch]:02X}" for ch in line).encode() for line in lines
        )
        content = b"BT /F1 12 Tf 14 TL 72 760 Td " + shows + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (number + 1)
        )
        objects.append(_stream(content))
    return _pdf(objects)


def scanned_pdf():
    """A page that is only a picture (a scan): no text layer at all."""
    image = _stream(
        b"\x00\xff\xff\x00",
        b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 ",
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"q 400 0 0 400 100 300 cm /Im1 Do Q"),
            image,
        ]
    )


def encrypted_pdf(content, *, opens_without_password=False):
    """``content`` encrypted with RC4 (pypdf does that without extra libraries).

    With ``opens_without_password`` only the owner's password is set: anyone
    may open and read the file, as with PDFs locked against editing.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(
        user_password="" if opens_without_password else "секрет",
        owner_password="владелец",
        algorithm="RC4-128",
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
