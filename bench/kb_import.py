"""Benchmark of «Импорт базы знаний»: files per second of the check (dry
run), the import and a re-import of the same archive, on the demo ZIP and on
a generated tree of N files.

    .venv/bin/python bench/kb_import.py [--files 5000] [--folders 50] [--no-demo]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database. The generated tree is a ZIP of ``--folders``
folders in two levels (Cyrillic names, CP866 for a third of them) holding
small TXT, DOCX, PPTX and PDF files, each with its own text. Each phase runs
as the page's background job does (``kbimport.jobs.batch_run``); the import
is broken down into its steps: reading the files (hash and upload check),
their text (KB_IMPORT_EXTRACT_WORKERS parsers at once) and writing.
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")


def generate_zip(files, folders):
    """A corporate disk of ``files`` files in ``folders`` folders."""
    from tests.articles.files import docx, pdf, pptx

    class Cp866Info(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("cp866"), self.flag_bits & ~0x800

    buffer = io.BytesIO()
    groups = max(1, folders // 5)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(files):
            folder = n % folders
            top = f"{folder % groups + 1:02d}_Направление {folder % groups + 1}"
            path = f"Общий диск/{top}/Папка {folder + 1}"
            kind = n % 10
            if kind < 7:
                name, content = (
                    f"{n:05d}_Памятка_{n}.txt",
                    f"Памятка номер {n}: порядок приёма.".encode(),
                )
            elif kind == 7:
                name, content = (
                    f"Регламент {n}.docx",
                    docx(f"Регламент номер {n}", "Текст регламента."),
                )
            elif kind == 8:
                name, content = f"Презентация {n} (1).pptx", pptx([f"Слайд {n}"], ["Итоги"])
            else:
                name, content = f"Приказ {n} - копия.pdf", pdf([f"Приказ номер {n}"])
            cls = Cp866Info if folder % 3 == 0 else zipfile.ZipInfo
            info = cls(f"{path}/{name}", date_time=(2025, 1 + n % 12, 1 + n % 28, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


class Steps:
    """Seconds per step of a job, from its progress reports."""

    def __init__(self):
        self.started = {}
        self.last = None

    def __call__(self, step, done, total):
        if step and step not in self.started:
            self.started[step] = time.perf_counter()

    def durations(self, end):
        order = sorted(self.started.items(), key=lambda item: item[1])
        return {
            step: (order[i + 1][1] if i + 1 < len(order) else end) - at
            for i, (step, at) in enumerate(order)
        }


def run(content, name, *, user):
    """Check, import and re-import ``content``; print files per second."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kbimport import jobs
    from kbimport.models import KbImportBatch

    def phase(batch, which):
        KbImportBatch.objects.filter(pk=batch.pk).update(**jobs.queued(which))
        steps = Steps()
        start = time.perf_counter()
        batch = jobs.batch_run(batch.pk, which, on_progress=steps)
        end = time.perf_counter()
        assert batch.status != KbImportBatch.Status.FAILED, batch.error
        return batch, end - start, steps.durations(end)

    def new_batch():
        batch = KbImportBatch(original_name=name, created_by=user)
        batch.file.save("import.zip", SimpleUploadedFile(name, content), save=False)
        batch.save()
        return batch

    batch = new_batch()
    batch, took, _steps = phase(batch, KbImportBatch.Phase.CHECK)
    files = batch.files_total
    print(
        f"  check (dry run): {took:.2f} s, {files / took:,.0f} files/s — to create "
        f"{batch.sections_created} sections, {batch.articles_created} articles; "
        f"skipped {batch.files_skipped}"
    )
    batch, took, steps = phase(batch, KbImportBatch.Phase.WRITE)
    parts = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items())
    print(
        f"  import: {took:.2f} s, {files / took:,.0f} files/s ({parts}) — created "
        f"{batch.sections_created} sections, {batch.articles_created} articles"
    )
    again = new_batch()
    again, took, _steps = phase(again, KbImportBatch.Phase.CHECK)
    print(
        f"  same archive again, check: {took:.2f} s, {files / took:,.0f} files/s — unchanged "
        f"{again.files_unchanged}, to create {again.articles_created}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--folders", type=int, default=50)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo ZIP")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    scratch = Path(tempfile.mkdtemp(prefix="kb-bench-kbimport-"))
    settings.MEDIA_ROOT = scratch / "media"
    settings.KB_IMPORT_MAX_FILES = max(settings.KB_IMPORT_MAX_FILES, args.files + args.folders + 10)
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth.models import User

        from kbimport.demo import DEMO_ZIP

        user = User.objects.create_user("bench-admin")
        print(
            f"database: {vendor}; text parsers at once: {settings.KB_IMPORT_EXTRACT_WORKERS}; "
            f"cores: {os.cpu_count()}"
        )
        if not args.no_demo:
            print(f"demo ZIP {DEMO_ZIP.name} ({DEMO_ZIP.stat().st_size / 1024:.0f} KB):")
            run(DEMO_ZIP.read_bytes(), DEMO_ZIP.name, user=user)
        start = time.perf_counter()
        content = generate_zip(args.files, args.folders)
        print(
            f"generated tree: {args.files:,} files in {args.folders} folders, "
            f"{len(content) / 1024 / 1024:.1f} MB, in {time.perf_counter() - start:.1f} s:"
        )
        run(content, "generated.zip", user=user)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
