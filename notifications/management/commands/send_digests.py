from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kb_portal.management.daily import DailyCommand
from notifications.digests import BATCH, digests_send


class Command(DailyCommand):
    help = _(
        "Рассылает дайджесты: ежедневные — каждый день, еженедельные — по понедельникам. "
        "Запускать раз в день; повторный запуск за тот же день ничего не отправляет дважды, "
        "прерванный — продолжает с того места, где остановился."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=_("Сколько сотрудников читать за раз.")
        )

    def run(self, *, today, dry_run, options):
        if not settings.PORTAL_URL and not dry_run:
            raise CommandError(
                _("Не задан PORTAL_URL: ссылки в письмах вести некуда. Задайте адрес портала.")
            )
        if options["batch"] < 1:
            raise CommandError(_("--batch должен быть не меньше 1."))
        return digests_send(day=today, dry_run=dry_run, batch=options["batch"])

    def done_heading(self):
        return _("Дайджесты за %(day)s.")

    def lines(self, run):
        return [
            (_("сотрудников с дайджестом на сегодня"), run.people),
            (_("писем"), run.sent),
            (_("рассказать нечего (письмо не отправлено)"), run.empty),
            (_("уже отправлено раньше за этот день"), run.already),
        ]

    def warnings(self, run):
        if not run.conflicts:
            return []
        return [
            _(
                "Пачек, которые одновременно записала другая рассылка: %(count)s "
                "(их письма отправила она)."
            )
            % {"count": run.conflicts}
        ]
