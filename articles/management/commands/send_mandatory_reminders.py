from django.utils.translation import gettext as _

from articles.services import MandatoryReminderConflict, mandatory_reminders_send
from kb_portal.management.daily import DailyCommand


class Command(DailyCommand):
    help = _(
        "Напоминает сотрудникам об обязательных документах, с которыми они ещё не "
        "ознакомились: за 7 дней и за 1 день до срока. Запускать раз в день; повторный "
        "запуск ничего не отправляет дважды, пропущенный день наверстывается."
    )
    conflict = MandatoryReminderConflict

    def run(self, *, today, dry_run, options):
        return mandatory_reminders_send(today=today, dry_run=dry_run)

    def done_heading(self):
        return _("Напоминания об обязательных документах за %(day)s.")

    def lines(self, run):
        return [
            (_("документов, по которым напомнили"), run.documents),
            (_("получателей"), run.people),
            (_("уведомлений"), run.notifications),
        ]
