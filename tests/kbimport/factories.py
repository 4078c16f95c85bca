"""ZIP archives built in the test, as archivers write them, and imports of them."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from kbimport import jobs, services
from kbimport.models import KbImportBatch
from tests.articles.files import docx, pdf, pptx

DATE = (2025, 3, 14, 10, 30, 0)


class Cp866Info(zipfile.ZipInfo):
    """An entry named in CP866 without the UTF-8 flag, as Windows' own
    «Сжатая ZIP-папка» writes it on a Russian system."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp866"), self.flag_bits & ~0x800


class RawUtf8Info(zipfile.ZipInfo):
    """UTF-8 bytes without the flag, as macOS' Archive Utility writes them."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("utf-8"), self.flag_bits & ~0x800


class EncryptedInfo(zipfile.ZipInfo):
    """An entry flagged as encrypted (bit 0), as a password-protected ZIP's are."""

    def _encodeFilenameFlags(self):
        name, flags = super()._encodeFilenameFlags()
        return name, flags | 0x1


def zip_bytes(files, *, cp866=(), raw_utf8=(), dates=None, folders=(), encrypted=()):
    """A ZIP of ``files`` ({path: bytes}); the named paths get their names
    written the way ``cp866``/``raw_utf8`` say, their own ``dates``, or the
    encryption flag (``encrypted``: the flag only, which is all an importer
    may look at)."""
    dates = dates or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in folders:
            archive.writestr(zipfile.ZipInfo(folder.rstrip("/") + "/", date_time=DATE), b"")
        for path, content in files.items():
            cls = zipfile.ZipInfo
            if path in cp866:
                cls = Cp866Info
            elif path in raw_utf8:
                cls = RawUtf8Info
            elif path in encrypted:
                cls = EncryptedInfo
            info = cls(path, date_time=dates.get(path, DATE))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def sample_tree():
    """A small corporate disk: two levels of folders, a document of each kind."""
    return {
        "База/01_Нормативные документы/Регламент_приёма.pdf": pdf(["Регламент приёма граждан"]),
        "База/01_Нормативные документы/Приказ - копия.docx": docx("Приказ о стандарте"),
        "База/02_Обучение/1.2 Презентация (1).pptx": pptx(["Слайд о клиентском опыте"]),
        "База/02_Обучение/Скрипт_звонка.txt": "Здравствуйте, центр занятости".encode(),
    }


def upload(content, name="disk.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


def import_zip(content, *, root=None, user=None, confirm=True, name="disk.zip"):
    """Upload, check and (with ``confirm``) write, as the pages do."""
    batch = services.batch_create(upload=upload(content, name), root=root, user=user)
    batch.refresh_from_db()
    if confirm and batch.status == KbImportBatch.Status.CHECKED:
        assert services.batch_confirm(batch=batch)
        batch.refresh_from_db()
    return batch


def run_phase(batch, phase):
    KbImportBatch.objects.filter(pk=batch.pk).update(**jobs.queued(phase))
    return jobs.batch_run(batch.pk, phase)
