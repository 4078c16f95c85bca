import sys
import time

from django.core.management.base import BaseCommand

from search.services import search_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Строит поисковый индекс заново: все живые материалы, их вложения и словарь опечаток."

    def handle(self, *args, **options):
        started = time.monotonic()
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False

        def progress(done, total):
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            line = f"[{bar}] {done}/{total}"
            if interactive:
                sys.stdout.write(f"\r{line}")
                sys.stdout.flush()
            else:
                self.stdout.write(line)

        count = search_rebuild(progress=progress)
        if interactive:
            sys.stdout.write("\n")
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Проиндексировано материалов: {count} за {seconds:.1f} с.")
        )
