from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.services import article_views_flush


class Command(BaseCommand):
    help = _(
        "Переносит просмотры материалов, накопленные в кэше за сегодня и вчера, "
        "в счётчики по дням и подразделениям. Запускайте каждые 10 минут и после "
        "полуночи (cron, systemd timer); повторный запуск ничего не считает дважды."
    )

    def handle(self, *args, **options):
        result = article_views_flush()
        self.stdout.write(
            self.style.SUCCESS(
                _("Просмотры перенесены: %(views)d (просмотрено счётчиков: %(rows)d).") % result
            )
        )
