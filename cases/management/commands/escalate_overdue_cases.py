from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cases.services import cases_escalate_overdue


class Command(BaseCommand):
    help = _(
        "Сообщить руководителям вышестоящего подразделения о просроченных обращениях "
        "к разбору. Повторный запуск не шлёт повторных уведомлений."
    )

    def handle(self, *args, **options):
        count = cases_escalate_overdue()
        self.stdout.write(_("Передано выше просроченных обращений: %(count)s") % {"count": count})
