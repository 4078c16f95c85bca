from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.services import trash_purge
from events.services import event_trash_purge


class Command(BaseCommand):
    help = _(
        "Удаляет навсегда материалы, разделы и мероприятия, пролежавшие в корзине дольше "
        "TRASH_RETENTION_DAYS дней. Запускайте раз в сутки (cron, systemd timer)."
    )

    def handle(self, *args, **options):
        articles, sections = trash_purge()
        events = event_trash_purge()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Корзина очищена: удалено материалов — %(articles)d, разделов — "
                    "%(sections)d, мероприятий — %(events)d (старше %(days)d дн.)."
                )
                % {
                    "articles": articles,
                    "sections": sections,
                    "events": events,
                    "days": settings.TRASH_RETENTION_DAYS,
                }
            )
        )
