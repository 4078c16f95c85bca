import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dashboards.forms import month_label
from dashboards.services import ReportMonthNotComplete, cx_reports_send


def parse_month(value):
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        month = None
    if month is None or len(value) != 7:
        raise CommandError(
            _("Месяц «%(value)s» не распознан: укажите его как ГГГГ-ММ, например 2026-03.")
            % {"value": value}
        )
    return month


class Command(BaseCommand):
    help = _(
        "Отправляет каждому руководителю с подразделением в профиле отчёт о клиентском опыте "
        "его подразделения за последний завершённый месяц (уведомление на портале и письмо, "
        "если он их получает). Каждому — один раз за месяц: повторный запуск ничего не "
        "отправляет дважды. Запускать 2-го числа каждого месяца (или ежедневно)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month",
            metavar=_("ГГГГ-ММ"),
            help=_("Месяц отчёта (по умолчанию — последний завершённый месяц с данными)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Только посчитать, кому ушёл бы отчёт: ничего не отправлять и не записывать."),
        )

    def handle(self, *args, **options):
        month = parse_month(options["month"]) if options["month"] else None
        try:
            run = cx_reports_send(month=month, dry_run=options["dry_run"])
        except ReportMonthNotComplete:
            raise CommandError(
                _("Месяц %(month)s ещё не закончился: отчёт строится за завершённый месяц.")
                % {"month": month_label(month)}
            ) from None
        if run.month is None:
            self.stdout.write(_("Ответов клиентов нет: отчёты не отправлены."))
            return
        label = month_label(run.month)
        if run.no_data:
            self.stdout.write(
                _(
                    "За %(month)s ответов клиентов нет (ещё не загружены?): отчёты не "
                    "отправлены; запустите команду после загрузки."
                )
                % {"month": label}
            )
            return
        heading = (
            _("Пробный запуск, отчёты за %(month)s: ничего не отправлено и не записано.")
            if run.dry_run
            else _("Отчёты о клиентском опыте за %(month)s.")
        )
        self.stdout.write(heading % {"month": label})
        lines = [
            (_("руководителей с подразделением"), run.heads),
            (_("отправлено сейчас") if not run.dry_run else _("было бы отправлено"), run.sent),
            (_("получили раньше"), run.already),
        ]
        for text, count in lines:
            self.stdout.write(f"  {text}: {count}")
