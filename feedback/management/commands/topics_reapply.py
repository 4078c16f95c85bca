"""Tag every stored comment again with the topics as they are now.

    manage.py topics_reapply [--topic ID ...]

The admin runs it in the background after a topic is saved (with the ids of
the topics changed); without ``--topic`` every topic is re-applied, e.g.
after a bulk change of the dictionary or a restore from backup.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from feedback.topics import topics_reapply


class Command(BaseCommand):
    help = _("Заново размечает темами все сохранённые комментарии.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--topic",
            type=int,
            action="append",
            dest="topics",
            help=_("номер темы (можно несколько раз); без него — все темы"),
        )

    def handle(self, *args, topics=None, **options):
        written, took = topics_reapply(topic_ids=topics)
        self.stdout.write(
            _("Связей комментариев с темами записано: %(count)s за %(seconds).1f с.")
            % {"count": written, "seconds": took}
        )
