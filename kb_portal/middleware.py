"""The portal's own middleware: response compression and a guard for NUL bytes."""

from urllib.parse import unquote

from django.middleware.gzip import GZipMiddleware

from kb_portal.views import bad_request

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text responses only.

    Pages, JSON and CSV shrink five- to tenfold; attachments (PDF, DOCX, MP4…)
    and XLSX exports are compressed already, and gzipping them on the fly
    would cost CPU and drop their Content-Length. Static files never reach
    this: whitenoise serves them from its own precompressed copies.

    BREACH: Django masks the CSRF token with a fresh random value on every
    response, so the one secret a page carries never repeats, and this
    middleware (Django ≥ 4.2) adds up to 100 random bytes to every gzip
    stream, so response lengths do not reveal what the body contains.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class RejectNulMiddleware:
    """A Russian 400 for a NUL character in the path or the query string.

    PostgreSQL cannot store or compare text with a NUL in it, and a view that
    passes such a parameter into a query would answer 500 there; nobody
    types a NUL, so the request is refused before it reaches any view.
    Forms already refuse NUL in posted fields (Django's
    ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return bad_request(request)
        return self.get_response(request)
