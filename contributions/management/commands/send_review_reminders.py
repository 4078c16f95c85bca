from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from contributions.services import ReminderRunConflict, review_reminders_send


def parse_day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Дата «%(value)s» не распознана: укажите её как ГГГГ-ММ-ДД, например 2026-03-12.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _(
        "Напоминает ответственным о сроке проверки материалов (за несколько дней и когда "
        "срок прошёл) и сообщает редакторам раздела о сильно просроченных. Запускать раз "
        "в день; повторный запуск ничего не отправляет дважды."
    )

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
            run = review_reminders_send(today=today, dry_run=options["dry_run"])
        except ReminderRunConflict:
            raise CommandError(
                _(
                    "Одновременно шла другая рассылка напоминаний; эта ничего не отправила. "
                    "Запустите команду ещё раз."
                )
            ) from None
        heading = (
            _("Пробный запуск за %(day)s: ничего не отправлено и не записано.")
            if run.dry_run
            else _("Напоминания об актуализации за %(day)s.")
        )
        self.stdout.write(heading % {"day": today.strftime("%d.%m.%Y")})
        lines = [
            (_("срок проверки подходит, материалов"), run.soon),
            (_("срок проверки прошёл, материалов"), run.overdue),
            (_("из них без ответственного (редакторам)"), run.unowned),
            (_("эскалация редакторам раздела, материалов"), run.escalated),
            (_("получателей"), run.people),
            (_("уведомлений"), run.notifications),
        ]
        for label, count in lines:
            self.stdout.write(f"  {label}: {count}")
        if run.nobody:
            self.stderr.write(
                _("Не отправлено напоминаний: %(count)s — нет ни редакторов, ни администраторов.")
                % {"count": run.nobody}
            )
