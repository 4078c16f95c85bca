"""Import a feedback or indicators file from the command line, with a progress bar.

    manage.py import_feedback FILE [--kind indicators] [--user USERNAME] [--sheet NAME]
                              [--mapping '{"submitted_at": "Дата", ...}'] [--dry-run]

The web import runs its background phases through the same command:
``manage.py import_feedback --batch N --phase validate|write``.
``manage.py import_feedback --check`` marks failed every import whose
background job is gone (the import pages do it too, when looked at).
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from feedback import services
from feedback.importers import columns_for, mapping_guess
from feedback.models import ImportBatch
from feedback.tables import TableError, table_inspect


class Command(BaseCommand):
    help = _("Импортирует файл отзывов клиентов или операционных показателей (CSV или XLSX).")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=_("CSV или XLSX с заголовками, как в шаблоне"))
        parser.add_argument(
            "--kind",
            choices=ImportBatch.Kind.values,
            default=ImportBatch.Kind.FEEDBACK,
            help=_("что импортируется: feedback (отзывы) или indicators (показатели)"),
        )
        parser.add_argument("--user", help=_("логин того, от чьего имени импорт"))
        parser.add_argument(
            "--mapping",
            help=_(
                "JSON: колонка портала -> заголовок в файле, например "
                '{"submitted_at": "Дата", "office": "ЦЗН"}'
            ),
        )
        parser.add_argument(
            "--sheet", default="", help=_("лист книги XLSX (по умолчанию — активный видимый)")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("только проверить, ничего не записывать")
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("отметить ошибкой импорты, фоновая обработка которых прервалась"),
        )
        parser.add_argument("--batch", type=int, help="(для веб-импорта) номер импорта")
        parser.add_argument("--phase", choices=services.PHASES, help="(для веб-импорта) этап")

    def handle(self, *args, **options):
        if options["check"]:
            return self._check()
        if options["batch"]:
            batch = services.batch_run(options["batch"], options["phase"] or "validate")
            return self._summary(batch)
        if not options["file"]:
            raise CommandError(_("Укажите файл для импорта."))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Файл %(path)s не найден.") % {"path": path})
        if path.stat().st_size == 0:
            raise CommandError(_("Файл пустой (0 байт)."))
        user = self._user(options["user"])
        kind = options["kind"]
        with path.open("rb") as handle:
            try:
                info = table_inspect(handle, sheet=options["sheet"])
            except TableError as error:
                raise CommandError(str(error)) from None
            columns = mapping_guess(kind, info.headers)
            if options["mapping"]:
                columns.update(self._mapping(options["mapping"], kind, info.headers))
            missing = services.mapping_missing(kind, columns)
            if missing:
                raise CommandError(
                    _(
                        "В файле не найдены обязательные колонки: %(missing)s. Заголовки файла: "
                        "%(headers)s. Укажите соответствие через --mapping."
                    )
                    % {"missing": ", ".join(missing), "headers": ", ".join(info.headers)}
                )
            upload = File(handle, name=path.name)
            upload.size = path.stat().st_size
            batch = services.batch_create(kind=kind, upload=upload, user=user, info=info)
        batch.mapping["columns"] = columns
        phase = ImportBatch.Phase.VALIDATE if options["dry_run"] else ImportBatch.Phase.WRITE
        batch.status = services.BUSY[phase]
        batch.phase = phase
        batch.save()
        bar = _ProgressBar(self.stderr if options["verbosity"] else None)
        batch = services.batch_run(batch.pk, phase, on_progress=bar)
        bar.done()
        self._summary(batch)
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(batch.error)

    def _check(self):
        marked = services.batches_check_runners()
        for batch in marked:
            self.stdout.write(
                _("Импорт №%(pk)s: %(error)s") % {"pk": batch.pk, "error": batch.error}
            )
        if not marked:
            self.stdout.write(_("Прерванных импортов нет."))

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("Пользователь %(name)s не найден.") % {"name": username}) from None

    def _mapping(self, raw, kind, headers):
        try:
            given = json.loads(raw)
        except json.JSONDecodeError as error:
            raise CommandError(_("--mapping: не JSON (%(error)s).") % {"error": error}) from None
        if not isinstance(given, dict):
            raise CommandError(_("--mapping: ожидается объект JSON {колонка: заголовок}."))
        keys = {column.key for column in columns_for(kind)}
        columns = {}
        for key, header in given.items():
            if key not in keys:
                raise CommandError(
                    _("--mapping: неизвестная колонка %(key)s; допустимые: %(keys)s.")
                    % {"key": key, "keys": ", ".join(sorted(keys))}
                )
            if header not in headers:
                raise CommandError(
                    _("--mapping: в файле нет колонки «%(header)s».") % {"header": header}
                )
            columns[key] = headers.index(header)
        return columns

    def _summary(self, batch):
        if batch.status == ImportBatch.Status.FAILED:
            self.stderr.write(batch.error)
            return
        self.stdout.write(
            _(
                "Импорт №%(pk)s (%(status)s): прочитано строк — %(read)s, записано — "
                "%(imported)s (из них обновлено — %(updated)s), повторов — %(duplicate)s, "
                "отклонено — %(rejected)s."
            )
            % {
                "pk": batch.pk,
                "status": batch.get_status_display(),
                "read": batch.rows_read,
                "imported": batch.rows_imported,
                "updated": batch.rows_updated,
                "duplicate": batch.rows_duplicate,
                "rejected": batch.rows_rejected,
            }
        )
        if batch.rows_rejected:
            for row in batch.rejected_rows.all()[:20]:
                self.stdout.write(
                    _("  строка %(number)s: %(reasons)s")
                    % {"number": row.row_number, "reasons": row.reasons.replace("\n", " ")}
                )


class _ProgressBar:
    """``[#####.....]  45%  450 000 строк`` on one line of the terminal."""

    width = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = False

    def __call__(self, rows, share):
        if self.stream is None:
            return
        rows_text = f"{rows:,}".replace(",", " ")
        if share is None:
            line = _("%(rows)s строк") % {"rows": rows_text}
        else:
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"[{bar}] {share * 100:3.0f}%  " + _("%(rows)s строк") % {"rows": rows_text}
        self.stream.write("\r" + line, ending="")
        self.stream.flush()
        self.shown = True

    def done(self):
        if self.shown and self.stream is not None:
            self.stream.write("")
