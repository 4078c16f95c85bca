from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from contributions.management.commands.send_review_reminders import parse_day
from notifications.digests import BATCH, digests_send


class Command(BaseCommand):
    help = _(
        "Рассылает дайджесты: ежедневные — каждый день, еженедельные — по понедельникам. "
        "Запускать раз в день; повторный запуск за тот же день ничего не отправляет дважды, "
        "прерванный — продолжает с того места, где остановился."
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
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=_("Сколько сотрудников читать за раз.")
        )

    def handle(self, *args, **options):
        day = options["date"]
        today = timezone.localdate() if day is None else parse_day(day)
        if not settings.PORTAL_URL and not options["dry_run"]:
            raise CommandError(
                _("Не задан PORTAL_URL: ссылки в письмах вести некуда. Задайте адрес портала.")
            )
        if options["batch"] < 1:
            raise CommandError(_("--batch должен быть не меньше 1."))
        run = digests_send(day=today, dry_run=options["dry_run"], batch=options["batch"])
        heading = (
            _("Пробный запуск за %(day)s: ничего не отправлено и не записано.")
            if run.dry_run
            else _("Дайджесты за %(day)s.")
        )
        self.stdout.write(heading % {"day": today.strftime("%d.%m.%Y")})
        for label, count in [
            (_("сотрудников с дайджестом на сегодня"), run.people),
            (_("писем"), run.sent),
            (_("рассказать нечего (письмо не отправлено)"), run.empty),
            (_("уже отправлено раньше за этот день"), run.already),
        ]:
            self.stdout.write(f"  {label}: {count}")
        if run.conflicts:
            self.stderr.write(
                _(
                    "Пачек, которые одновременно записала другая рассылка: %(count)s "
                    "(их письма отправила она)."
                )
                % {"count": run.conflicts}
            )
