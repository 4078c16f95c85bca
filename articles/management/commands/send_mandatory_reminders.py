from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.services import MandatoryReminderConflict, mandatory_reminders_send
from contributions.management.commands.send_review_reminders import parse_day


class Command(BaseCommand):
    help = _(
        "Напоминает сотрудникам об обязательных документах, с которыми они ещё не "
        "ознакомились: за 7 дней и за 1 день до срока. Запускать раз в день; повторный "
        "запуск ничего не отправляет дважды, пропущенный день наверстывается."
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
            run = mandatory_reminders_send(today=today, dry_run=options["dry_run"])
        except MandatoryReminderConflict:
            raise CommandError(
                _(
                    "Одновременно шла другая рассылка напоминаний; эта ничего не отправила. "
                    "Запустите команду ещё раз."
                )
            ) from None
        heading = (
            _("Пробный запуск за %(day)s: ничего не отправлено и не записано.")
            if run.dry_run
            else _("Напоминания об обязательных документах за %(day)s.")
        )
        self.stdout.write(heading % {"day": today.strftime("%d.%m.%Y")})
        for label, count in [
            (_("документов, по которым напомнили"), run.documents),
            (_("получателей"), run.people),
            (_("уведомлений"), run.notifications),
        ]:
            self.stdout.write(f"  {label}: {count}")
