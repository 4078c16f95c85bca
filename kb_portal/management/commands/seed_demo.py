from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kb_portal.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo

# What each count of seed_demo() is, for the person running the command.
LABELS = {
    "offices": gettext_lazy("подразделений"),
    "users": gettext_lazy("пользователей"),
    "sections": gettext_lazy("разделов"),
    "articles": gettext_lazy("материалов"),
    "attachments": gettext_lazy("вложений"),
    "ideas": gettext_lazy("идей"),
    "votes": gettext_lazy("голосов"),
    "comments": gettext_lazy("комментариев"),
    "meetings": gettext_lazy("заседаний"),
    "decisions": gettext_lazy("решений"),
    "services": gettext_lazy("услуг"),
    "feedback": gettext_lazy("отзывов клиентов"),
    "indicators": gettext_lazy("операционных показателей"),
    "cases": gettext_lazy("обращений к разбору"),
    "helpfulness": gettext_lazy("оценок полезности"),
    "reviews": gettext_lazy("проверок актуальности"),
    "review_reminders": gettext_lazy("напоминаний об актуализации"),
    "questions": gettext_lazy("вопросов"),
    "answers": gettext_lazy("ответов"),
    "error_reports": gettext_lazy("сообщений о неточностях"),
    "proposals": gettext_lazy("предложений"),
    "positions": gettext_lazy("должностей"),
    "staff": gettext_lazy("сотрудников (для отчётов)"),
    "acknowledgements": gettext_lazy("отметок об ознакомлении"),
    "ack_rounds": gettext_lazy("повторных ознакомлений"),
    "mandatory_reminders": gettext_lazy("напоминаний об ознакомлении"),
    "view_days": gettext_lazy("счётчиков просмотров"),
    "subscriptions": gettext_lazy("подписок"),
    "article_updates": gettext_lazy("существенных изменений"),
    "reading_paths": gettext_lazy("путей новичка"),
    "reading_path_marks": gettext_lazy("отметок «изучено» на пути новичка"),
    "events": gettext_lazy("мероприятий"),
    "algorithm_nodes": gettext_lazy("узлов алгоритмов"),
    "expert": gettext_lazy("профилей клиентских групп и карт пути клиента"),
    "kb_import": gettext_lazy("материалов из импорта общего диска"),
}


class Command(BaseCommand):
    help = _("Заполняет портал демонстрационными данными (повторный запуск ничего не меняет).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_("Разрешить запуск при DEBUG=0 (создаёт пользователей с известным паролем)."),
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                _(
                    "Демо-данные создают пользователей с известным паролем. При DEBUG=0 "
                    "запустите с --allow-production, если это действительно нужно."
                )
            )
        created = seed_demo()
        summary = ", ".join(f"{LABELS.get(name, name)}: {count}" for name, count in created.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("Демо-данные готовы. Создано — %(summary)s.") % {"summary": summary}
            )
        )
        self.stdout.write(
            _("Вход для демонстрации (пароль у всех: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for username, role, *_rest in DEMO_USERS:
            self.stdout.write(f"  {role:<16} {username}")
