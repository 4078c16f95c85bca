"""Images for the photo tests, made without an image library: a real JPEG
from tests/people/data (drawn by a browser), and PNGs written here."""

import struct
import zlib
from pathlib import Path

import people.photos

DATA = Path(__file__).resolve().parent / "data"
ADAM7 = people.photos.ADAM7


def jpeg_bytes():
    """A real 48×32 baseline JPEG with a JFIF header and nothing else."""
    return (DATA / "photo.jpg").read_bytes()


def _segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def exif_segment(*, orientation=6, make=b"SecretCam 3000", gps=True):
    """An EXIF APP1 segment with a camera name, an orientation and a GPS position."""
    entries = [(0x010F, 2, len(make) + 1, None), (0x0112, 3, 1, orientation)]
    if gps:
        entries.append((0x8825, 4, 1, None))  # the GPS IFD's offset, filled below
    ifd0_size = 2 + 12 * len(entries) + 4
    make_at = 8 + ifd0_size
    gps_at = make_at + len(make) + 1
    out = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 0x010F:
            out += struct.pack(">HHII", tag, kind, count, make_at)
        elif tag == 0x0112:
            out += struct.pack(">HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack(">HHII", tag, kind, count, gps_at)
    out += struct.pack(">I", 0) + make + b"\x00"
    if gps:
        # GPSLatitudeRef "N" and GPSLatitude 53°12'N as three rationals after the IFD.
        latitude_at = gps_at + 2 + 12 * 2 + 4
        out += struct.pack(">H", 2)
        out += struct.pack(">HHI4s", 0x0001, 2, 2, b"N\x00\x00\x00")
        out += struct.pack(">HHII", 0x0002, 5, 3, latitude_at)
        out += struct.pack(">I", 0)
        out += struct.pack(">6I", 53, 1, 12, 1, 0, 1)
    return _segment(0xE1, b"Exif\x00\x00" + out)


def jpeg_with(*, exif=None, comment=None, xmp=None, trailing=b""):
    """The fixture JPEG with metadata segments put after its JFIF header."""
    data = jpeg_bytes()
    jfif_end = 4 + struct.unpack(">H", data[4:6])[0]
    extra = b""
    if exif is not None:
        extra += exif
    if xmp is not None:
        extra += _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp)
    if comment is not None:
        extra += _segment(0xFE, comment)
    return data[:jfif_end] + extra + data[jfif_end:] + trailing


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bytes(width=16, height=16, *, extra=(), raw=None, interlace=0, idat=None):
    """A real RGB PNG of ``width``×``height`` (a colour per row); ``extra``
    chunks go between the header and the data; ``raw`` replaces the
    filtered pixel data, ``idat`` the compressed data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, interlace)
    if raw is None:
        passes = ADAM7 if interlace else [(0, 0, 1, 1)]
        rows = []
        for x0, y0, dx, dy in passes:
            pass_width = (width - x0 + dx - 1) // dx
            pass_height = (height - y0 + dy - 1) // dy
            for y in range(pass_height if pass_width else 0):
                rows.append(b"\x00" + bytes([y * 10 % 256, 112, 109]) * pass_width)
        raw = b"".join(rows)
    data = zlib.compress(raw) if idat is None else idat
    body = b"".join(chunk(kind, content) for kind, content in extra)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + body
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )
