from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from articles.models import Attachment
from articles.services import attachment_extract_text
from search.services import search_index_articles

BAR_WIDTH = 30
INDEX_EVERY = 50  # articles


class Command(BaseCommand):
    help = _(
        "Извлекает текст вложений для поиска. Без параметров — только те, что ещё "
        "не обработаны (например, добавленные до появления извлечения)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help=_("Все вложения заново."))
        which.add_argument(
            "--failed",
            action="store_true",
            help=_("Вложения, из которых текст извлечь не удалось, и необработанные."),
        )

    def handle(self, *args, **options):
        attachments = Attachment.objects.order_by("pk")
        status = Attachment.ExtractionStatus
        if options["failed"]:
            attachments = attachments.filter(extraction_status__in=[status.FAILED, status.PENDING])
        elif not options["all"]:
            attachments = attachments.filter(extraction_status=status.PENDING)
        # Only the primary keys up front: each attachment is loaded on its turn,
        # so the command's memory does not grow with the extracted text.
        ids = list(attachments.values_list("pk", flat=True))
        counts = dict.fromkeys(status.values, 0)
        to_index = set()
        for done, pk in enumerate(ids, start=1):
            attachment = Attachment.objects.filter(pk=pk).first()
            if attachment is not None:  # deleted meanwhile
                counts[attachment_extract_text(attachment=attachment).status] += 1
                to_index.add(attachment.article_id)
            if len(to_index) >= INDEX_EVERY or done == len(ids):
                # The new text is searchable as the command goes, not only at its end.
                search_index_articles(article_ids=to_index)
                to_index = set()
            self._progress(done, len(ids))
        if ids:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Обработано вложений: %(total)d. Текст извлечён — %(ok)d, текста нет — "
                    "%(empty)d, не удалось — %(failed)d, формат без текста — %(unsupported)d."
                )
                % {"total": len(ids), **counts}
            )
        )

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "█" * filled + "·" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stdout.flush()
