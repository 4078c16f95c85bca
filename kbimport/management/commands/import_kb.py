"""Import a knowledge base kept as folders of files, with a progress bar.

    manage.py import_kb ZIP-OR-FOLDER [--section SLUG] [--user USERNAME] [--dry-run]

Folders become sections under SLUG (the top level without it), files draft
articles; --dry-run only checks and prints what would be done. The web
import runs its background phases through the same command:
``manage.py import_kb --batch N --phase check|write``.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.models import Section
from kbimport import jobs, services
from kbimport.models import KbImportBatch

REPORT_LINES = 30


class Command(BaseCommand):
    help = _("Импортирует базу знаний из ZIP-архива или папки: папки — разделы, файлы — материалы.")

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help=_("ZIP-архив или папка на сервере"))
        parser.add_argument(
            "--section", help=_("адрес (slug) раздела, куда импортировать; без него — наверх")
        )
        parser.add_argument("--user", help=_("логин того, от чьего имени импорт"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("только проверить и показать, что будет")
        )
        parser.add_argument("--batch", type=int, help="(для веб-импорта) номер импорта")
        parser.add_argument(
            "--phase", choices=KbImportBatch.Phase.values, help="(для веб-импорта) этап"
        )

    def handle(self, *args, **options):
        if options["batch"]:
            batch = jobs.batch_run(options["batch"], options["phase"] or KbImportBatch.Phase.CHECK)
            self._summary(batch)
            return
        if not options["source"]:
            raise CommandError(_("Укажите ZIP-архив или папку для импорта."))
        path = Path(options["source"])
        if not path.exists():
            raise CommandError(_("%(path)s не найден.") % {"path": path})
        if len(str(path.resolve())) > KbImportBatch._meta.get_field("source_path").max_length:
            raise CommandError(_("Слишком длинный путь: перенесите папку поближе к корню диска."))
        root = self._section(options["section"])
        user = self._user(options["user"])
        phases = [KbImportBatch.Phase.CHECK]
        if not options["dry_run"]:
            phases.append(KbImportBatch.Phase.WRITE)
        batch = self._batch(path, root, user)
        bar = _ProgressBar(self.stderr if options["verbosity"] else None)
        for phase in phases:
            if phase == KbImportBatch.Phase.WRITE:
                KbImportBatch.objects.filter(pk=batch.pk).update(**jobs.queued(phase))
            batch = jobs.batch_run(batch.pk, phase, on_progress=bar)
            bar.done()
            if batch.status == KbImportBatch.Status.FAILED:
                self.stderr.write(batch.error)
                raise CommandError(batch.error)
            if phase == KbImportBatch.Phase.CHECK and not batch.to_write and len(phases) > 1:
                break  # nothing to write: the check's report is the answer
        self._summary(batch)

    def _batch(self, path, root, user):
        if path.is_dir():
            return services.batch_create_folder(
                path=path, root=root, user=user, phase=KbImportBatch.Phase.CHECK
            )
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            upload.size = path.stat().st_size
            try:
                services.upload_inspect(upload)
            except services.ImportRefused as error:
                raise CommandError(str(error)) from None
            batch = KbImportBatch(
                original_name=path.name[:255],
                created_by=user,
                root=root,
                root_key=root.pk if root else 0,
                root_title=root.title if root else "",
                **jobs.queued(KbImportBatch.Phase.CHECK),
            )
            batch.file.save("import.zip", upload, save=False)
            batch.save()
        return batch

    def _section(self, slug):
        if not slug:
            return None
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            raise CommandError(_("Раздел с адресом «%(slug)s» не найден.") % {"slug": slug})
        return section

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("Пользователь %(name)s не найден.") % {"name": username}) from None

    def _summary(self, batch):
        if batch.status == KbImportBatch.Status.FAILED:
            self.stderr.write(batch.error)
            return
        if batch.status == KbImportBatch.Status.CHECKED:
            headline = _(
                "Импорт №%(pk)s проверен: будет создано разделов — %(sections)s, материалов — "
                "%(articles)s, новых версий — %(updated)s; без изменений — %(unchanged)s, "
                "пропущено — %(skipped)s."
            )
        else:
            headline = _(
                "Импорт №%(pk)s (%(status)s): создано разделов — %(sections)s, материалов — "
                "%(articles)s, новых версий — %(updated)s; без изменений — %(unchanged)s, "
                "пропущено — %(skipped)s."
            )
        self.stdout.write(
            headline
            % {
                "pk": batch.pk,
                "status": batch.get_status_display(),
                "sections": batch.sections_created,
                "articles": batch.articles_created,
                "updated": batch.articles_updated,
                "unchanged": batch.files_unchanged,
                "skipped": batch.files_skipped,
            }
        )
        report = batch.report or {}
        for row in report.get("sections", [])[:REPORT_LINES]:
            if row.get("new"):
                self.stdout.write(_("  раздел: %(path)s") % {"path": row["path"]})
        for row in report.get("files", [])[:REPORT_LINES]:
            self.stdout.write(
                _("  %(action)s: %(path)s → «%(title)s»")
                % {
                    "action": _("новая версия") if row["action"] == "update" else _("материал"),
                    "path": row["path"],
                    "title": row["title"],
                }
            )
        for row in report.get("skipped", [])[:REPORT_LINES]:
            self.stdout.write(
                _("  пропущен: %(path)s — %(reason)s")
                % {"path": row["path"], "reason": row["reason"]}
            )


class _ProgressBar:
    """``[#####.....]  45%  чтение файлов: 450 из 1 000`` on one terminal line."""

    width = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = False

    def __call__(self, step, done, total):
        if self.stream is None:
            return
        label = KbImportBatch.Step(step).label if step else ""
        share = done / total if total else 0
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {share * 100:3.0f}%  {label}: {done} / {total}"
        self.stream.write("\r" + line.ljust(80), ending="")
        self.stream.flush()
        self.shown = True

    def done(self):
        if self.shown and self.stream is not None:
            self.stream.write("")
            self.shown = False
