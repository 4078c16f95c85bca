"""Reading a ZIP or a folder of a corporate disk, under limits.

Everything that can be judged from the ZIP's central directory — the
number of entries, their names, depth, declared sizes and compression
ratio, encryption, paths leading out of the archive — is checked before a
single byte is unpacked (`zip_source`), so a bomb or a hostile archive is
refused in a fraction of a second with a Russian message. While files are
then read (`Source.copy`), the bytes actually unpacked are counted as well:
an entry that unpacks to more than it declared, or an archive whose
entries add up to more than the limit, stops the reading at once.
"""

import datetime as dt
import hashlib
import os
import re
import stat
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Entries smaller than this are not judged by their compression ratio: a
# small text or an empty table packs very tightly without being a bomb.
RATIO_MIN_BYTES = 1024 * 1024
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")
# Control characters (NUL included) have no place in a file name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_JUNK_NAMES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


class ArchiveRefused(Exception):
    """The whole archive or folder is refused; the message is for the person."""


class EntryTooLarge(Exception):
    """One file unpacks to more than an attachment may be."""


@dataclass(frozen=True)
class Limits:
    files: int
    total_bytes: int
    depth: int
    name_chars: int
    ratio: int
    file_bytes: int

    @classmethod
    def from_settings(cls):
        return cls(
            files=settings.KB_IMPORT_MAX_FILES,
            total_bytes=settings.KB_IMPORT_MAX_TOTAL_BYTES,
            depth=settings.KB_IMPORT_MAX_DEPTH,
            name_chars=settings.KB_IMPORT_MAX_NAME_CHARS,
            ratio=settings.KB_IMPORT_MAX_RATIO,
            file_bytes=settings.ATTACHMENT_MAX_BYTES,
        )


@dataclass(frozen=True)
class Entry:
    """A file or a folder of the tree, by the names of its path."""

    parts: tuple
    is_dir: bool
    size: int  # as declared (ZIP) or as stat() says (folder)
    modified: dt.datetime | None
    ref: object  # the ZipInfo, or the Path on disk
    skip: str = ""  # why this file is not imported, decided from its name alone

    @property
    def path(self):
        return "/".join(self.parts)

    @property
    def name(self):
        return self.parts[-1]

    @property
    def folder(self):
        return "/".join(self.parts[:-1])


def _shown(name, limit=80):
    """A name as a message quotes it: never a thousand characters."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _junk_reason(parts):
    """Files the operating system or an office suite leaves beside real ones."""
    if parts[0] == "__MACOSX":
        return _("служебный файл macOS")
    name = parts[-1]
    if any(part.startswith(".") for part in parts):
        return _("скрытый файл")
    if name.casefold() in _JUNK_NAMES:
        return _("служебный файл Windows")
    if name.startswith("~$") or name.endswith("~"):
        return _("временный файл (остаётся, пока документ открыт)")
    return ""


def _check_names(parts, shown_path, limits):
    for part in parts:
        if _CONTROL.search(part):
            raise ArchiveRefused(
                _("В имени «%(name)s» есть недопустимые (управляющие) символы.")
                % {"name": _shown(_CONTROL.sub("?", shown_path))}
            )
        if len(part) > limits.name_chars:
            raise ArchiveRefused(
                _(
                    "Слишком длинное имя: %(length)s символов, можно не больше %(limit)s "
                    "(«%(name)s»). Сократите его и загрузите снова."
                )
                % {"length": len(part), "limit": limits.name_chars, "name": _shown(part, 60)}
            )


def _split(name, limits):
    """The parts of a path inside the archive, or ArchiveRefused when it
    could lead outside the folder it is unpacked into."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        raise ArchiveRefused(
            _(
                "В архиве есть файл с абсолютным путём «%(name)s»: такой файл мог бы оказаться "
                "за пределами папки импорта. Архив не принят."
            )
            % {"name": _shown(_CONTROL.sub("?", name))}
        )
    parts = [part for part in unified.split("/") if part not in {"", "."}]
    if ".." in parts:
        raise ArchiveRefused(
            _(
                "В архиве есть путь, выходящий за его пределы: «%(name)s». Такие архивы "
                "не принимаются."
            )
            % {"name": _shown(_CONTROL.sub("?", name))}
        )
    parts = tuple(unicodedata.normalize("NFC", part) for part in parts)
    _check_names(parts, name, limits)
    return parts


def _check_depth(parts, is_dir, limits):
    depth = len(parts) if is_dir else len(parts) - 1
    if depth > limits.depth:
        raise ArchiveRefused(
            _(
                "Слишком глубокая вложенность папок: %(depth)s, можно не больше %(limit)s "
                "(«%(name)s»)."
            )
            % {"depth": depth, "limit": limits.depth, "name": _shown("/".join(parts))}
        )


def _count_refused(count, limits):
    return ArchiveRefused(
        _(
            "В архиве %(count)s файлов и папок, можно не больше %(limit)s. Разделите его "
            "на несколько архивов."
        )
        % {"count": count, "limit": limits.files}
    )


def _total_refused(total, limits):
    return ArchiveRefused(
        _("Архив распаковывается в %(size)s, можно не больше %(limit)s.")
        % {"size": filesizeformat(total), "limit": filesizeformat(limits.total_bytes)}
    )


def _bomb_refused(name, ratio):
    return ArchiveRefused(
        _(
            "Файл «%(name)s» сжат в %(ratio)s раз: так сжимают только архивы-«бомбы», "
            "которые распаковываются в огромный объём. Архив не принят."
        )
        % {"name": _shown(name), "ratio": ratio}
    )


# --- ZIP ----------------------------------------------------------------------------


def declared_entry_count(handle):
    """The number of entries the ZIP's end record declares, read from its last
    bytes (ZIP64 too), or None when there is no end record. Reading the
    central directory of 100,000 entries takes a while; this takes nothing."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 22 + 65535 + 20)  # the end record, its comment, the ZIP64 locator
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    locator = at - 20
    if total == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", tail, locator + 8)[0]
        handle.seek(offset)
        record = handle.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            total = struct.unpack_from("<Q", record, 32)[0]
    return total


def decode_name(info):
    """The entry's name as its archiver meant it. UTF-8 when the archiver says
    so (flag bit 11). Otherwise Windows' own «Сжатая ZIP-папка» writes the
    DOS code page, CP866 on a Russian system; macOS writes UTF-8 without the
    flag, and a UTF-8 reading of CP866 bytes practically never succeeds, so
    valid UTF-8 with letters beyond ASCII is taken as UTF-8."""
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437")  # zipfile's reading, undone
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866")
    return text if not text.isascii() else raw.decode("cp866")


def _zip_date(info):
    try:
        # DOS time is the archiving computer's local time: take it as the portal's.
        return timezone.make_aware(dt.datetime(*info.date_time))
    except (ValueError, OverflowError):
        return None


class Source:
    """The entries of a tree and a way to read its files' bytes."""

    def __init__(self, entries, limits):
        self.entries = entries
        self.limits = limits
        self.unpacked = 0

    @property
    def files(self):
        return [entry for entry in self.entries if not entry.is_dir]

    def copy(self, entry, out):
        """Write ``entry``'s bytes into ``out``; return (size, sha256 hex).

        Counts what is really unpacked: more than the entry declared, or more
        than the archive may unpack to, refuses the archive (ArchiveRefused);
        more than an attachment may be raises EntryTooLarge."""
        digest = hashlib.sha256()
        size = 0
        with self._open(entry) as handle:
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                if size > entry.size:
                    raise ArchiveRefused(
                        _(
                            "Файл «%(name)s» распаковывается в больше байт, чем указано в "
                            "архиве: архив повреждён или подделан. Архив не принят."
                        )
                        % {"name": _shown(entry.path)}
                    )
                if self.unpacked > self.limits.total_bytes:
                    raise _total_refused(self.unpacked, self.limits)
                if size > self.limits.file_bytes:
                    raise EntryTooLarge
                digest.update(chunk)
                out.write(chunk)
        return size, digest.hexdigest()

    def _open(self, entry):
        raise NotImplementedError

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class ZipSource(Source):
    def __init__(self, archive, entries, limits, *, handle=None):
        super().__init__(entries, limits)
        self.archive = archive
        self.handle = handle  # closed with the source when it was given to it

    def _open(self, entry):
        return self.archive.open(entry.ref)

    def close(self):
        self.archive.close()
        if self.handle is not None:
            self.handle.close()


def zip_source(handle, *, limits=None, owns_handle=False):
    """A ZipSource over the open binary ``handle``, its central directory
    checked (ArchiveRefused with the reason otherwise). With ``owns_handle``
    the source closes the handle when it is closed."""
    limits = limits or Limits.from_settings()
    declared = declared_entry_count(handle)
    if declared is not None and declared > limits.files:
        raise _count_refused(declared, limits)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise ArchiveRefused(
            _("Файл не похож на ZIP-архив или повреждён. Загрузите архив .zip.")
        ) from None
    try:
        entries = _zip_entries(archive, handle, limits)
    except ArchiveRefused:
        archive.close()
        raise
    return ZipSource(archive, entries, limits, handle=handle if owns_handle else None)


def _zip_entries(archive, handle, limits):
    infos = archive.infolist()
    if len(infos) > limits.files:
        raise _count_refused(len(infos), limits)
    entries, total = [], 0
    for info in infos:
        name = decode_name(info)
        parts = _split(name, limits)
        if not parts:
            continue
        is_dir = info.is_dir()
        _check_depth(parts, is_dir, limits)
        if info.flag_bits & ENCRYPTED_FLAG:
            raise ArchiveRefused(
                _(
                    "Файл «%(name)s» в архиве защищён паролем. Такие файлы не импортируются: "
                    "снимите пароль и загрузите архив снова."
                )
                % {"name": _shown("/".join(parts))}
            )
        if is_dir:
            entries.append(Entry(parts, True, 0, _zip_date(info), info))
            continue
        total += info.file_size
        if total > limits.total_bytes:
            raise _total_refused(total, limits)
        if info.file_size > RATIO_MIN_BYTES:
            packed = max(info.compress_size, 1)
            if info.file_size / packed > limits.ratio:
                raise _bomb_refused("/".join(parts), info.file_size // packed)
        entries.append(
            Entry(parts, False, info.file_size, _zip_date(info), info, _junk_reason(parts))
        )
    handle.seek(0, os.SEEK_END)
    packed_total = max(handle.tell(), 1)
    if total > 100 * RATIO_MIN_BYTES and total / packed_total > limits.ratio:
        raise _bomb_refused(getattr(handle, "name", "") or _("архив"), total // packed_total)
    return entries


# --- A folder on the server -----------------------------------------------------------


class FolderSource(Source):
    def _open(self, entry):
        return entry.ref.open("rb")


def folder_source(path, *, limits=None):
    """A FolderSource over the directory ``path``, walked under the same
    limits as an archive. Symbolic links are never followed."""
    limits = limits or Limits.from_settings()
    root = Path(path)
    if not root.is_dir():
        raise ArchiveRefused(_("Папка %(path)s не найдена.") % {"path": path})
    entries, total = [], 0
    stack = [(root, ())]
    while stack:
        folder, prefix = stack.pop()
        try:
            children = sorted(os.scandir(folder), key=lambda item: item.name)
        except OSError as error:
            raise ArchiveRefused(
                _("Папку «%(name)s» не удалось прочитать: %(error)s.")
                % {"name": _shown("/".join(prefix) or str(root)), "error": error.strerror}
            ) from None
        subfolders = []
        for child in children:
            try:
                child.name.encode("utf-8")
            except UnicodeEncodeError:
                raise ArchiveRefused(
                    _("Имя «%(name)s» в папке «%(folder)s» не в кодировке UTF-8.")
                    % {
                        "name": _shown(child.name.encode("utf-8", "replace").decode()),
                        "folder": _shown("/".join(prefix) or str(root)),
                    }
                ) from None
            parts = (*prefix, unicodedata.normalize("NFC", child.name))
            _check_names(parts[-1:], "/".join(parts), limits)
            if len(entries) >= limits.files:
                raise _count_refused(_("больше %(limit)s") % {"limit": limits.files}, limits)
            info = child.stat(follow_symlinks=False)
            modified = dt.datetime.fromtimestamp(info.st_mtime, tz=dt.UTC)
            if child.is_symlink():
                reason = _("символическая ссылка не импортируется")
                entries.append(Entry(parts, False, 0, modified, None, reason))
            elif stat.S_ISDIR(info.st_mode):
                _check_depth(parts, True, limits)
                entries.append(Entry(parts, True, 0, modified, Path(child.path)))
                subfolders.append((Path(child.path), parts))
            elif stat.S_ISREG(info.st_mode):
                _check_depth(parts, False, limits)
                total += info.st_size
                if total > limits.total_bytes:
                    raise _total_refused(total, limits)
                reason = _junk_reason(parts)
                entries.append(
                    Entry(parts, False, info.st_size, modified, Path(child.path), reason)
                )
            else:
                entries.append(Entry(parts, False, 0, modified, None, _("не обычный файл")))
        stack.extend(reversed(subfolders))
    return FolderSource(entries, limits)
