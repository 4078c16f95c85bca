"""The frame of the portal's daily jobs run as management commands
(`send_review_reminders`, `send_mandatory_reminders`, `send_digests`).

Each takes ``--date`` (the day to act as today) and ``--dry-run`` (count,
send and record nothing), runs one service, and prints a heading and one
line per count. A subclass says what it runs (`run`), what it prints
(`done_heading`, `lines`) and, optionally, the exception that means
another run of the same job was writing at the same time (`conflict`).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _


def parse_day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Дата «%(value)s» не распознана: укажите её как ГГГГ-ММ-ДД, например 2026-03-12.")
            % {"value": value}
        ) from None


class DailyCommand(BaseCommand):
    conflict = ()  # exception classes: another run of the job was under way

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar=_("ГГГГ-ММ-ДД"),
            help=_("Считать сегодняшним этот день (по умолчанию — сегодня)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_(
                "Только посчитать, что было бы отправлено: ничего не отправлять и не записывать."
            ),
        )

    def handle(self, *args, **options):
        day = options["date"]
        today = timezone.localdate() if day is None else parse_day(day)
        try:
            run = self.run(today=today, dry_run=options["dry_run"], options=options)
        except self.conflict:
            raise CommandError(
                _(
                    "Одновременно шла другая рассылка; эта ничего не отправила. "
                    "Запустите команду ещё раз."
                )
            ) from None
        heading = (
            _("Пробный запуск за %(day)s: ничего не отправлено и не записано.")
            if options["dry_run"]
            else self.done_heading()
        )
        self.stdout.write(heading % {"day": today.strftime("%d.%m.%Y")})
        for label, count in self.lines(run):
            self.stdout.write(f"  {label}: {count}")
        for warning in self.warnings(run):
            self.stderr.write(warning)

    def run(self, *, today, dry_run, options):
        raise NotImplementedError

    def done_heading(self):
        """The heading of a real run, with ``%(day)s``."""
        raise NotImplementedError

    def lines(self, run):
        """(label, count) pairs to print."""
        raise NotImplementedError

    def warnings(self, run):
        """Messages for stderr (none by default)."""
        return []
