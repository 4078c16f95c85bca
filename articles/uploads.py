"""What may be attached to an article, checked by content and by name."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    kind: str
    mime: str
    label: str
    inline: bool  # shown in the browser rather than downloaded


ALLOWED = {
    "pdf": FileType("document", "application/pdf", gettext_lazy("PDF"), True),
    "docx": FileType(
        "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Документ Word"),
        False,
    ),
    "xlsx": FileType(
        "table",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Таблица Excel"),
        False,
    ),
    "pptx": FileType(
        "presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        gettext_lazy("Презентация PowerPoint"),
        False,
    ),
    "odt": FileType(
        "document",
        "application/vnd.oasis.opendocument.text",
        gettext_lazy("Документ OpenDocument"),
        False,
    ),
    "ods": FileType(
        "table",
        "application/vnd.oasis.opendocument.spreadsheet",
        gettext_lazy("Таблица OpenDocument"),
        False,
    ),
    "odp": FileType(
        "presentation",
        "application/vnd.oasis.opendocument.presentation",
        gettext_lazy("Презентация OpenDocument"),
        False,
    ),
    "txt": FileType("text", "text/plain", gettext_lazy("Текст"), True),
    "png": FileType("image", "image/png", gettext_lazy("Изображение PNG"), True),
    "jpg": FileType("image", "image/jpeg", gettext_lazy("Изображение JPEG"), True),
    "jpeg": FileType("image", "image/jpeg", gettext_lazy("Изображение JPEG"), True),
    "mp4": FileType("video", "video/mp4", gettext_lazy("Видео MP4"), True),
    "mp3": FileType("audio", "audio/mpeg", gettext_lazy("Аудио MP3"), True),
}


def _looks_like_text(head):
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with its byte order mark (Notepad's «Юникод»): zero bytes
        # belong to the encoding there, but not as characters.
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        return "\x00" not in text and text[:-1].count("\ufffd") == 0
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sniffed head may cut a multi-byte character in two.
        if error.start < len(head) - 3:
            try:
                head.decode("cp1251")
            except UnicodeDecodeError:
                return False
    return True


def _detected_mime(head):
    kind = filetype.guess(head)
    return kind.mime if kind else None


def inspect_upload(upload):
    """Return the ``FileType`` of ``upload`` or raise a Russian ValidationError.

    The extension must be on the allow-list and the bytes must really be of
    that type: a renamed executable or an HTML page called ``.pdf`` is refused.
    """
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if not name or not extension:
        raise ValidationError(_("У файла нет расширения: не понятно, что это за файл."))
    file_type = ALLOWED.get(extension)
    if file_type is None:
        allowed = ", ".join(sorted(ALLOWED))
        raise ValidationError(
            _("Файлы .%(ext)s прикреплять нельзя. Разрешены: %(allowed)s."),
            params={"ext": extension, "allowed": allowed},
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Файл слишком большой: %(size)s, можно не больше %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("Файл пустой."))
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    detected = _detected_mime(head)
    if extension == "txt":
        matches = detected is None and _looks_like_text(head)
    else:
        matches = detected == file_type.mime
    if not matches:
        params = {"name": name, "label": file_type.label}
        actual = _label_of(detected, head)
        if actual:
            # Say what the bytes are: «an .mp3 that is a PNG picture» is
            # easier to fix than «not like MP3».
            raise ValidationError(
                _(
                    "Содержимое файла «%(name)s» не похоже на %(label)s: по содержимому это "
                    "%(actual)s. Сохраните файл в нужном формате или исправьте расширение."
                ),
                params={**params, "actual": actual},
            )
        raise ValidationError(
            _(
                "Содержимое файла «%(name)s» не похоже на %(label)s. "
                "Проверьте, что файл не повреждён и расширение указано верно."
            ),
            params=params,
        )
    return file_type


def _label_of(mime, head):
    """What the bytes of a refused file look like, in words, if we can tell."""
    if mime is None:
        return _("текст") if head and _looks_like_text(head) else ""
    for file_type in ALLOWED.values():
        if file_type.mime == mime:
            label = str(file_type.label)
            # Mid-sentence: «изображение PNG», but «PDF» as written.
            return label if label[:2].isupper() else label[:1].lower() + label[1:]
    return ""


def safe_filename(name):
    """A file name safe to store on disk; the original is kept for display."""
    stem = get_valid_filename(PurePath(name).name) or "file"
    return stem[-120:]
