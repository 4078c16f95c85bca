from django.utils.translation import gettext as _

from contributions.services import ReminderRunConflict, review_reminders_send
from kb_portal.management.daily import DailyCommand


class Command(DailyCommand):
    help = _(
        "Напоминает ответственным о сроке проверки материалов (за несколько дней и когда "
        "срок прошёл) и сообщает редакторам раздела о сильно просроченных. Запускать раз "
        "в день; повторный запуск ничего не отправляет дважды."
    )
    conflict = ReminderRunConflict

    def run(self, *, today, dry_run, options):
        return review_reminders_send(today=today, dry_run=dry_run)

    def done_heading(self):
        return _("Напоминания об актуализации за %(day)s.")

    def lines(self, run):
        return [
            (_("срок проверки подходит, материалов"), run.soon),
            (_("срок проверки прошёл, материалов"), run.overdue),
            (_("из них без ответственного (редакторам)"), run.unowned),
            (_("эскалация редакторам раздела, материалов"), run.escalated),
            (_("получателей"), run.people),
            (_("уведомлений"), run.notifications),
        ]

    def warnings(self, run):
        if not run.nobody:
            return []
        return [
            _("Не отправлено напоминаний: %(count)s — нет ни редакторов, ни администраторов.")
            % {"count": run.nobody}
        ]
