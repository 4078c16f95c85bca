from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.services import trash_purge


class Command(BaseCommand):
    help = _(
        "Удаляет навсегда материалы и разделы, пролежавшие в корзине дольше "
        "TRASH_RETENTION_DAYS дней. Запускайте раз в сутки (cron, systemd timer)."
    )

    def handle(self, *args, **options):
        articles, sections = trash_purge()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Корзина очищена: удалено материалов — %(articles)d, разделов — "
                    "%(sections)d (старше %(days)d дн.)."
                )
                % {
                    "articles": articles,
                    "sections": sections,
                    "days": settings.TRASH_RETENTION_DAYS,
                }
            )
        )
