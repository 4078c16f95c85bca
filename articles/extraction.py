"""The text of an attachment, for search, read under limits.

A parser is run in a child process (``articles.extraction_worker``) with a
wall-clock timeout, a memory cap and a size cap, so no file — broken, huge or
made to hurt — can stall a request or a worker. Whatever happens, the answer
is an ``ExtractionResult``: text and status, and for the editor a Russian
reason when there is no text or not all of it.
"""

import json
import logging
import math
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from articles.models import Attachment
from articles.uploads import ALLOWED

logger = logging.getLogger(__name__)

Status = Attachment.ExtractionStatus

# Formats with text we can read; other allowed uploads (images, video, audio)
# are stored without text.
PARSED_FORMATS = {"pdf", "docx", "pptx", "xlsx", "odt", "ods", "odp", "txt"}
_BY_MIME = {file_type.mime: extension for extension, file_type in ALLOWED.items()}


@dataclass(frozen=True)
class ExtractionResult:
    text: str
    status: str  # an Attachment.ExtractionStatus value
    reason: str = ""  # Russian: why there is no text, or what was left out
    # A presentation's text per slide, for the page's preview (Attachment.slides).
    slides: tuple = ()


@dataclass(frozen=True)
class Limits:
    seconds: float
    pages: int
    chars: int
    bytes: int
    unpacked_bytes: int
    memory_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            seconds=settings.EXTRACT_MAX_SECONDS,
            pages=settings.EXTRACT_MAX_PAGES,
            chars=settings.EXTRACT_MAX_CHARS,
            bytes=settings.EXTRACT_MAX_BYTES,
            unpacked_bytes=settings.EXTRACT_MAX_UNPACKED_BYTES,
            memory_bytes=settings.EXTRACT_MAX_MEMORY_BYTES,
        )


def _reasons(limits):
    return {
        "corrupt": _("файл повреждён"),
        "encrypted": _("файл защищён паролем"),
        "no_text_layer": _("в файле нет текстового слоя (скан)"),
        "no_text": _("в файле нет текста"),
        "unsupported": _("формат не поддерживается для поиска"),
        "unsafe_xml": _("в файле недопустимая XML-разметка (DTD или сущности)"),
        "unpacked_too_large": _("файл распаковывается больше чем в %(limit)s")
        % {"limit": filesizeformat(limits.unpacked_bytes)},
        "too_large": _("файл больше %(limit)s — текст из таких файлов не извлекается")
        % {"limit": filesizeformat(limits.bytes)},
        "timeout": _("превышено время обработки (%(seconds)s с)") % {"seconds": limits.seconds},
        "memory": _("файл слишком сложный: не хватило памяти на обработку"),
        "crashed": _("не удалось обработать файл"),
        "missing": _("файл не найден в хранилище"),
    }


def _failed(code, limits, status=Status.FAILED):
    return ExtractionResult("", status, _reasons(limits)[code])


def file_format(*, extension="", mime=""):
    """The parser's name for a file, or None when its text is not read."""
    extension = extension.lower().lstrip(".")
    if extension not in ALLOWED:
        extension = _BY_MIME.get(mime, "")
    return extension if extension in PARSED_FORMATS else None


def worker_command(fmt, path, limits):
    """How the child process is started (tests swap it for a slow one)."""
    return [
        sys.executable,
        "-m",
        "articles.extraction_worker",
        f"--format={fmt}",
        *([f"--path={path}"] if path else []),
        f"--max-pages={limits.pages}",
        # Whitespace is squeezed afterwards: read some more than will be kept.
        f"--max-chars={limits.chars * 2}",
        f"--max-unpacked={limits.unpacked_bytes}",
        f"--max-memory={limits.memory_bytes}",
        f"--max-seconds={math.ceil(limits.seconds)}",
    ]


def extract_text(source, *, extension="", mime="", limits=None):
    """Read the text of ``source``: a path, the file's bytes, or an open file
    (an upload, or a stored file that has no local path).

    Never raises for a bad file: the result says what happened. Takes at most
    ``limits.seconds`` (EXTRACT_MAX_SECONDS) plus the time to stop the child.
    """
    limits = limits or Limits.from_settings()
    fmt = file_format(extension=extension, mime=mime)
    if fmt is None:
        return _failed("unsupported", limits, Status.UNSUPPORTED)
    try:
        path, content = _open(source, limits)
    except FileNotFoundError:
        return _failed("missing", limits)
    except _TooLarge:
        return _failed("too_large", limits)

    command = worker_command(fmt, path, limits)
    timed_out = False
    try:
        completed = subprocess.run(  # noqa: S603 - our interpreter, our module, no shell
            command,
            input=content,
            stdin=subprocess.DEVNULL if content is None else None,
            capture_output=True,
            timeout=limits.seconds,
            cwd=settings.BASE_DIR,
            check=False,
        )
        stdout, stderr, returncode = completed.stdout, completed.stderr, completed.returncode
    except subprocess.TimeoutExpired as error:
        # run() has killed the child; what it sent before is kept.
        stdout, stderr, returncode = error.stdout or b"", error.stderr or b"", None
        timed_out = True
    return _result(stdout, stderr, returncode, timed_out, limits)


class _TooLarge(Exception):
    pass


def _open(source, limits):
    """``(path, None)`` or ``(None, content)``, refusing files over the size cap
    before reading them."""
    if isinstance(source, bytes | bytearray):
        content = bytes(source)
    elif isinstance(source, str | Path):
        if Path(source).stat().st_size > limits.bytes:
            raise _TooLarge
        return str(source), None
    else:
        if getattr(source, "size", 0) > limits.bytes:
            raise _TooLarge
        if hasattr(source, "temporary_file_path"):  # a big upload Django spooled to disk
            return _open(source.temporary_file_path(), limits)
        source.seek(0)
        content = source.read(limits.bytes + 1)
        source.seek(0)
    if len(content) > limits.bytes:
        raise _TooLarge
    return None, content


def _messages(stdout):
    for line in stdout.splitlines():
        try:
            yield json.loads(line)
        except ValueError:
            return  # cut short by a kill: the rest is lost


def _slides(parts):
    """Each slide's text, normalised and cut for the preview; as many as the
    attachment keeps (one more than the page shows)."""
    kept = parts[: Attachment.SLIDES_KEPT + 1]
    return tuple(_cap(normalize("".join(chunks)), Attachment.SLIDE_CHARS)[0] for chunks in kept)


def _result(stdout, stderr, returncode, timed_out, limits):
    chunks, outcome, slides, in_slide = [], None, [], False
    for message in _messages(stdout):
        if "text" in message:
            chunks.append(message["text"])
            if in_slide:
                slides[-1].append(message["text"])
        elif "part" in message:
            in_slide = message["part"] == "slide"
            if in_slide:
                slides.append([])
        else:
            outcome = message
    text = normalize("".join(chunks))
    slides = _slides(slides) if text else ()
    if outcome is None:
        if timed_out:
            code = "timeout"
        elif b"MemoryError" in stderr:
            code = "memory"
        else:
            code = "crashed"
            logger.warning(
                "Text extraction process ended with code %s: %s",
                returncode,
                stderr.decode(errors="replace")[-2000:],
            )
        if text and code == "timeout":  # the part read in time is still worth searching
            text, _cut = _cap(text, limits.chars)
            return ExtractionResult(
                text,
                Status.OK,
                _("время обработки истекло, извлечена только часть текста"),
                slides,
            )
        return _failed(code, limits)
    if outcome.get("detail"):
        logger.info("Attachment text not extracted: %s", outcome["detail"])
    if outcome["outcome"] == "unsupported":
        return _failed("unsupported", limits, Status.UNSUPPORTED)
    if outcome["outcome"] == "empty":
        return _failed(outcome["code"], limits, Status.EMPTY)
    if outcome["outcome"] == "failed":
        code = outcome["code"] if outcome["code"] in _reasons(limits) else "crashed"
        return _failed(code, limits)
    if not text:
        return _failed("no_text", limits, Status.EMPTY)
    text, cut = _cap(text, limits.chars)
    notes = []
    if outcome.get("pages_total", 0) > outcome.get("pages_read", 0):
        notes.append(
            _("прочитано страниц: %(read)s из %(total)s")
            % {"read": outcome["pages_read"], "total": outcome["pages_total"]}
        )
    if cut or outcome.get("truncated"):
        notes.append(_("текст длиннее предела и сохранён не весь"))
    return ExtractionResult(text, Status.OK, "; ".join(notes), slides)


# NUL is refused by PostgreSQL; the others are invisible and split words
# (soft hyphen, zero-width space and joiners, byte order mark).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")


def normalize(text):
    """One space between words, one line break between paragraphs.

    NFC joins a letter and its combining mark (PDFs often write «й» as «и» +
    breve), so the word is found by what people type.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _cap(text, limit):
    """At most ``limit`` characters, not ending in half a word."""
    if len(text) <= limit:
        return text, False
    text = text[:limit]
    head, space, _tail = text.rpartition(" ")
    return (head if space and len(head) > limit - 100 else text).rstrip(), True


def extension_of(name):
    return PurePath(name or "").suffix.lower().lstrip(".")
