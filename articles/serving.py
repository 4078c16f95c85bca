"""How an attachment's bytes go to the browser: which security policy, which
part of the file.

Files are uploaded by people, so every response is locked down with
``default-src 'none'``. A file the browser shows itself gets only what its
built-in viewer needs (measured in Chromium: a video or audio document loads
the file again as media, an image document styles itself inline, the PDF
viewer is an embedded object); everything else is a sandboxed download.
"""

import hashlib
import re

from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response

DOWNLOAD_POLICY = "default-src 'none'; sandbox"
POLICIES = {
    # The media document fetches the file with crossorigin="anonymous": in a
    # sandbox without allow-same-origin that request is cross-origin and fails.
    # No allow-scripts, so nothing in the document can run.
    "video": "default-src 'none'; media-src 'self'; sandbox allow-same-origin",
    "audio": "default-src 'none'; media-src 'self'; sandbox allow-same-origin",
    # An image document centres and shades itself with inline styles.
    "image": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "text": DOWNLOAD_POLICY,
}
# Older Chromium (and browsers built on it) will not start the PDF viewer, an
# embedded object there, inside a sandboxed document, so a PDF gets no sandbox:
# PDF viewers run a document's own scripts in their isolated engine, never in
# the portal's origin, and nosniff keeps the bytes from being read as HTML.
PDF_POLICY = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'"

RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
# More digits than any file has bytes: Python refuses to turn thousands of
# digits into an int (a garbage header must not answer 500), and there is no
# need to — such a position is past the end of every file.
MAX_DIGITS = 18


class RangeNotSatisfiable(Exception):
    pass


def byte_range(header, size):
    """The ``(first, last)`` bytes (inclusive) a Range header asks for.

    None means "send the whole file": no header, another unit, several ranges
    or a malformed value, which RFC 9110 lets a server ignore. A range that
    starts past the end raises RangeNotSatisfiable (416).
    """
    match = RANGE.fullmatch(header.strip()) if header else None
    if match is None:
        return None
    first, last = (_position(value) for value in match.groups())
    if first is not None:
        if last is not None and last < first:
            return None  # malformed: ignored, not refused
        if first >= size:
            raise RangeNotSatisfiable
        return first, min(last, size - 1) if last is not None else size - 1
    if last is None:
        return None
    if last == 0:  # the last 0 bytes
        raise RangeNotSatisfiable
    return max(size - last, 0), size - 1


def _position(digits):
    """The number a Range header writes, None for none; a huge one is capped."""
    if not digits:
        return None
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


class _Slice:
    """The part of an open file a range asks for, read in blocks."""

    def __init__(self, handle, start, length):
        handle.seek(start)
        self.handle, self.left = handle, length

    def read(self, size):
        data = self.handle.read(min(size, self.left))
        self.left -= len(data)
        return data

    def close(self):
        self.handle.close()


def attachment_response(request, attachment, handle):
    """The whole file or the asked-for range of it, with its security policy."""
    size = attachment.file.size
    digest = hashlib.sha256(f"{attachment.file.name}:{size}".encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        handle.close()
        return not_modified
    wanted = None
    # If-Range: a range of the version the browser already holds, else all of it.
    if request.headers.get("If-Range", etag) == etag:
        try:
            wanted = byte_range(request.headers.get("Range"), size)
        except RangeNotSatisfiable:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Content-Security-Policy"] = DOWNLOAD_POLICY
            return response
    body = handle if wanted is None else _Slice(handle, wanted[0], wanted[1] - wanted[0] + 1)
    response = FileResponse(
        body,
        as_attachment=not attachment.inline,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    if wanted is not None:
        response.status_code = 206
        response["Content-Range"] = f"bytes {wanted[0]}-{wanted[1]}/{size}"
        response["Content-Length"] = wanted[1] - wanted[0] + 1
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Security-Policy"] = content_security_policy(attachment)
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def content_security_policy(attachment):
    if not attachment.inline:
        return DOWNLOAD_POLICY
    if attachment.extension == "pdf":
        return PDF_POLICY
    return POLICIES.get(attachment.kind, DOWNLOAD_POLICY)
