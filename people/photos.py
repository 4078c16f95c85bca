"""A staff photo: checked by its bytes, rebuilt without its metadata.

The server has no image library (no Pillow: nothing is decoded or
re-encoded), so a photo is taken only when its structure is exactly that of
a JPEG or a PNG, and what is stored is rebuilt from the parts a picture
needs:

- JPEG: the segments are walked from SOI to EOI; the frame must be baseline
  or progressive with sane dimensions. Kept: quantisation and Huffman
  tables, the frame, the scans, JFIF (without its thumbnail), the colour
  profile (ICC) and Adobe's colour transform. Dropped: EXIF (camera, GPS,
  date, its thumbnail of the original), XMP, comments and every other
  application segment, and whatever follows EOI. The EXIF orientation alone
  is written back as a minimal EXIF block, so a phone photo is not shown
  lying on its side.
- PNG: every chunk's CRC is checked, the image data is inflated in blocks
  (never more than the header promises, so a compression bomb stops early)
  and every row's filter byte is checked. Kept: the chunks that draw the
  picture and its colour; dropped: text, EXIF, time and unknown chunks, and
  whatever follows IEND.

A file whose bytes are not of its extension's type is refused by name.
"""

import struct
import uuid
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

EXTENSIONS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
LABELS = {"jpeg": "JPEG", "png": "PNG"}
MIN_SIDE = 16
MAX_SIDE = 4096

JPEG_START = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo, ready to store: its rebuilt bytes and extension."""

    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int

    def storage_name(self):
        return f"{uuid.uuid4().hex}.{self.extension}"


class _Broken(Exception):
    """The bytes are not a well-formed image (the reason is for the log, not for people)."""


class _Unsupported(Exception):
    """A real image of a kind browsers do not all show (arithmetic coding, lossless JPEG…)."""


def photo_clean(upload):
    """The CleanPhoto of an uploaded file, or a Russian ValidationError."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not extension:
        raise ValidationError(
            _("У файла нет расширения. Загрузите фотографию в формате JPEG или PNG.")
        )
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "Файлы .%(ext)s как фотографию загрузить нельзя: подойдёт снимок "
                "в формате JPEG или PNG (.jpg, .jpeg, .png)."
            ),
            params={"ext": extension},
        )
    limit = settings.PROFILE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _(
                "Фотография слишком большая: %(size)s, можно не больше %(limit)s. "
                "Уменьшите её (например, в Paint: «Изменить размер», 800 точек по "
                "большей стороне) и загрузите ещё раз."
            ),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if not upload.size:
        raise ValidationError(_("Файл пустой."))
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    actual = _sniff(data)
    if actual is None:
        raise ValidationError(
            _("Файл «%(name)s» — не фотография: его содержимое не похоже ни на JPEG, ни на PNG."),
            params={"name": name},
        )
    if actual != expected:
        raise ValidationError(
            _(
                "Файл «%(name)s» называется как %(expected)s, а внутри — изображение "
                "%(actual)s. Сохраните фотографию заново или исправьте расширение."
            ),
            params={"name": name, "expected": LABELS[expected], "actual": LABELS[actual]},
        )
    try:
        content, width, height = _jpeg_clean(data) if actual == "jpeg" else _png_clean(data)
    except _Unsupported:
        raise ValidationError(
            _(
                "Такой вид %(label)s браузеры показывают не все. Сохраните фотографию "
                "заново как обычный JPEG или PNG и загрузите ещё раз."
            ),
            params={"label": LABELS[actual]},
        ) from None
    except (_Broken, struct.error, IndexError, zlib.error):
        raise ValidationError(
            _(
                "Файл «%(name)s» повреждён или обрезан: изображение в нём не читается. "
                "Сохраните фотографию заново и загрузите ещё раз."
            ),
            params={"name": name},
        ) from None
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            _(
                "Фотография слишком маленькая: %(width)s×%(height)s точек, нужно хотя бы "
                "%(min)s×%(min)s."
            ),
            params={"width": width, "height": height, "min": MIN_SIDE},
        )
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            _(
                "У фотографии слишком много точек: %(width)s×%(height)s, можно не больше "
                "%(max)s по каждой стороне. Уменьшите её и загрузите ещё раз."
            ),
            params={"width": width, "height": height, "max": MAX_SIDE},
        )
    return CleanPhoto(
        content=content, extension="jpg" if actual == "jpeg" else "png", width=width, height=height
    )


def _sniff(data):
    if data.startswith(JPEG_START):
        return "jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    return None


# --- JPEG ---------------------------------------------------------------------------------

SOF_SUPPORTED = {0xC0, 0xC1, 0xC2}  # baseline, extended sequential, progressive (Huffman)
SOF_OTHER = {0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
KEEP_TABLES = {0xC4, 0xDB, 0xDD}  # DHT, DQT, DRI
ORIENTATION_TAG = 0x0112
KEEP_APP = {(0xE2, b"ICC_PROFILE\x00"), (0xEE, b"Adobe")}


def _jpeg_clean(data):
    out = [b"\xff\xd8"]
    header_at = 1  # where the EXIF orientation goes: after SOI (and JFIF)
    pos, size = 2, None
    orientation = None
    scans = 0
    end = len(data)
    while True:
        if pos >= end or data[pos] != 0xFF:
            raise _Broken("a marker expected")
        while pos < end and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= end:
            raise _Broken("no EOI")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI: anything after it is dropped
            break
        if marker in (0x00, 0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            raise _Broken("a stand-alone marker outside a scan")
        if pos + 2 > end:
            raise _Broken("a cut segment")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            raise _Broken("a segment past the end")
        body = data[pos + 2 : pos + length]
        segment = data[pos - 2 : pos + length]
        pos += length
        if marker in SOF_SUPPORTED:
            if size is not None:
                raise _Broken("two frames")
            size = _jpeg_frame(body)
            out.append(segment)
        elif marker in SOF_OTHER:
            raise _Unsupported
        elif marker in KEEP_TABLES:
            out.append(segment)
        elif marker == 0xDA:  # SOS, then the entropy-coded data up to the next marker
            if size is None or not body or len(body) != 4 + 2 * body[0]:
                raise _Broken("a scan without a frame")
            scan_end = _scan_end(data, pos)
            out.append(segment + data[pos:scan_end])
            pos = scan_end
            scans += 1
        elif 0xE0 <= marker <= 0xEF:
            kept = _jpeg_app(marker, body)
            if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
                orientation = _exif_orientation(body[6:]) or orientation
            if kept is not None:
                out.append(kept)
                if marker == 0xE0 and header_at == len(out) - 1:
                    header_at = len(out)
        elif marker == 0xFE:  # a comment
            continue
        else:  # DNL, hierarchical or reserved markers
            raise _Unsupported
    if size is None or not scans:
        raise _Broken("no frame or no scan")
    out.append(b"\xff\xd9")
    if orientation and orientation != 1:
        out.insert(header_at, _exif_with_orientation(orientation))
    width, height = size
    return b"".join(out), width, height


def _jpeg_frame(body):
    if len(body) < 6:
        raise _Broken("a short frame header")
    precision = body[0]
    height = int.from_bytes(body[1:3], "big")
    width = int.from_bytes(body[3:5], "big")
    components = body[5]
    if precision != 8:
        raise _Unsupported
    if components not in (1, 3, 4) or len(body) != 6 + 3 * components:
        raise _Broken("odd components")
    if not width or not height:
        raise _Broken("no size")  # the size in a DNL segment: refused above
    return width, height


def _scan_end(data, pos):
    """Where the entropy-coded data starting at ``pos`` ends: the next marker
    that is not a stuffed zero or a restart marker."""
    while True:
        at = data.find(b"\xff", pos)
        if at < 0 or at + 1 >= len(data):
            raise _Broken("a scan without an end")
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos = at + 2
        elif following == 0xFF:
            pos = at + 1
        else:
            return at


def _jpeg_app(marker, body):
    """The segment to keep for an APPn segment, or None to drop it."""
    if marker == 0xE0 and body.startswith(b"JFIF\x00") and len(body) >= 14:
        # Version, units and density; the thumbnail (another picture) goes.
        kept = body[:12] + b"\x00\x00"
    elif (marker, body[:5]) in KEEP_APP or (marker, body[:12]) in KEEP_APP:
        kept = body  # the colour profile, Adobe's colour transform
    else:
        return None
    return bytes([0xFF, marker]) + (len(kept) + 2).to_bytes(2, "big") + kept


def _exif_orientation(tiff):
    """The Orientation (1–8) of IFD0 in a TIFF block, or None."""
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        if struct.unpack(order + "H", tiff[2:4])[0] != 42:
            return None
        ifd = struct.unpack(order + "I", tiff[4:8])[0]
        (count,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
        for index in range(min(count, 512)):
            entry = ifd + 2 + 12 * index
            tag, kind, number = struct.unpack(order + "HHI", tiff[entry : entry + 8])
            if tag == ORIENTATION_TAG and kind == 3 and number == 1:
                (value,) = struct.unpack(order + "H", tiff[entry + 8 : entry + 10])
                return value if 1 <= value <= 8 else None
    except (KeyError, struct.error):
        return None
    return None


def _exif_with_orientation(orientation):
    """An EXIF block holding nothing but the orientation (big-endian TIFF)."""
    tiff = (
        b"MM\x00\x2a"
        + struct.pack(">I", 8)
        + struct.pack(">H", 1)
        + struct.pack(">HHIHH", ORIENTATION_TAG, 3, 1, orientation, 0)
        + struct.pack(">I", 0)
    )
    body = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


# --- PNG ----------------------------------------------------------------------------------

# Chunks that draw the picture or give its colours; the rest is metadata.
PNG_KEEP = {
    *(b"IHDR", b"PLTE", b"IDAT", b"IEND"),
    *(b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"),
}
PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# The seven passes of an interlaced PNG: first column and row, steps.
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2)]
ADAM7.append((0, 1, 1, 2))
INFLATE_BLOCK = 1 << 20


def _png_clean(data):
    pos = len(PNG_SIGNATURE)
    out = [PNG_SIGNATURE]
    header = None
    idat = []
    idat_done = False
    has_palette = False
    while True:
        if pos + 12 > len(data):
            raise _Broken("no IEND")
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > len(data) or not kind.isalpha() or not kind.isascii():
            raise _Broken("a cut or odd chunk")
        body = data[pos + 8 : pos + 8 + length]
        if zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
            raise _Broken("a CRC mismatch")
        chunk = data[pos:end]
        pos = end
        if header is None:
            if kind != b"IHDR":
                raise _Broken("IHDR is not first")
            header = _png_header(body)
        elif kind == b"IHDR":
            raise _Broken("two headers")
        if kind == b"IDAT":
            if idat_done:
                raise _Broken("IDAT chunks apart")
            idat.append(body)
        elif idat:
            idat_done = True
        if kind == b"PLTE":
            has_palette = True
        if kind in PNG_KEEP:
            out.append(chunk)
        elif kind[0:1].isupper():  # an unknown critical chunk: the picture needs it
            raise _Unsupported
        if kind == b"IEND":
            break
    width, height, depth, colour, interlaced = header
    if not idat or (colour == 3 and not has_palette):
        raise _Broken("no image data or no palette")
    _png_check_data(b"".join(idat), width, height, PNG_CHANNELS[colour] * depth, interlaced)
    return b"".join(out), width, height


def _png_header(body):
    if len(body) != 13:
        raise _Broken("a short header")
    fields = struct.unpack(">IIBBBBB", body)
    width, height, depth, colour, compression, filtering, interlace = fields
    if colour not in PNG_DEPTHS or depth not in PNG_DEPTHS[colour]:
        raise _Broken("odd depth or colour type")
    if compression or filtering or interlace not in (0, 1):
        raise _Broken("odd methods")
    if not width or not height:
        raise _Broken("no size")
    if max(width, height) > MAX_SIDE:
        # Refused by size (with its own message) before anything is inflated.
        return width, height, depth, colour, None
    return width, height, depth, colour, bool(interlace)


def _png_rows(width, height, bits, interlaced):
    """The length of every filtered row, filter byte included, in order."""
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        pass_width = (width - x0 + dx - 1) // dx
        pass_height = (height - y0 + dy - 1) // dy
        if pass_width and pass_height:
            row = 1 + (pass_width * bits + 7) // 8
            for _row in range(pass_height):
                yield row


def _png_check_data(compressed, width, height, bits, interlaced):
    """Inflate the image data in blocks: exactly as many bytes as the header
    says, each row starting with a known filter (0–4)."""
    if interlaced is None:
        return  # too many pixels: refused by the caller with its message
    rows = _png_rows(width, height, bits, interlaced)
    next_row = 0  # offset of the next row's filter byte
    seen = 0
    inflater = zlib.decompressobj()
    tail = compressed
    while True:
        block = inflater.decompress(tail, INFLATE_BLOCK)
        tail = inflater.unconsumed_tail
        while next_row < seen + len(block):
            if block[next_row - seen] > 4:
                raise _Broken("an unknown row filter")
            row = next(rows, None)
            if row is None:
                raise _Broken("more data than rows")
            next_row += row
        seen += len(block)
        if inflater.eof or (not tail and not block):
            break
    if not inflater.eof or inflater.unused_data or seen != next_row or next(rows, None):
        raise _Broken("the data does not fill the picture")
