"""«Шаблоны текста по видам материалов»: the model, editors' permissions and a
first template for the kinds whose text has a fixed shape; a presentation's
text per slide for its preview on the article page."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone

EDITOR = "Редактор"
ADMINISTRATOR = "Администратор"
PERMISSIONS = {
    # No delete: an editor empties a template instead, and its history stays.
    EDITOR: ("add", "change", "view"),
    ADMINISTRATOR: ("view",),
}


def _h(title, hint):
    return f"<h2>{title}</h2><p>{hint}</p>"


TEMPLATES = {
    "case": (
        _h("Ситуация", "Кто обратился, с чем пришёл, что было не так. Без имён и личных данных.")
        + _h("Что сделали", "Шаги по порядку: кто, что и в какой срок сделал.")
        + _h("Результат", "Чем закончилось для клиента; цифры, если есть (срок, оценка, отзыв).")
        + _h("Что повторить", "Что из этого стоит делать всем ЦЗН и чего избегать.")
    ),
    "standard": (
        _h("Назначение", "Для какой ситуации стандарт и кому он нужен.")
        + _h("Порядок действий", "Шаги по порядку, по одному действию в шаге.")
        + _h("Что сказать клиенту", "Фразы скрипта; чего не говорить.")
        + _h("Сроки и документы", "Нормативный срок каждого шага; документы и основания.")
        + _h("Как проверить", "По каким признакам видно, что стандарт выполнен.")
    ),
    "profile": (
        _h("Кто они", "Кто входит в группу, сколько их обращается, откуда узнают о нас.")
        + _h("Типичные ситуации", "С чем приходят чаще всего.")
        + _h("Потребности и ожидания", "Чего ждут от службы занятости.")
        + _h("Боли", "Что мешает и раздражает; где клиент теряется.")
        + _h("Что помогает", "Что работает лучше всего: слова, действия, сервисы.")
        + _h("Услуги и меры поддержки", "Какие услуги и меры положены этой группе.")
    ),
    "route": (
        _h("Для кого маршрут", "Клиентская группа и жизненная ситуация.")
        + _h("Этапы", "От первого обращения до результата: что делает клиент на каждом этапе.")
        + _h("Точки контакта", "Где клиент встречается с нами: очно, ЕЦП, телефон, Госуслуги.")
        + _h("Болевые точки", "Где клиент ждёт, возвращается или не понимает, что дальше.")
        + _h("Что мы делаем", "Кто отвечает за этап и какой срок у него.")
    ),
    "faq": (
        _h("Вопрос", "Как его задают клиенты или сотрудники, своими словами.")
        + _h("Короткий ответ", "Один-два абзаца простым языком.")
        + _h("Подробнее", "Исключения, основания, ссылки на документы и связанные материалы.")
    ),
    "report": (
        _h("Что за событие", "Название, дата, место, кто участвовал.")
        + _h("Главное", "Три-пять итогов или решений.")
        + _h("Фото и видео", "Что на снимках и в ролике; подписи — в названиях вложений.")
        + _h("Что дальше", "Следующие шаги, ответственные и сроки.")
    ),
}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, actions in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        codenames = [f"{action}_articletemplate" for action in actions]
        perms = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        if perms.count() != len(codenames):
            raise RuntimeError(f"Missing permissions for articles.articletemplate: {codenames}")
        group.permissions.add(*perms)

    ArticleTemplate = apps.get_model("articles", "ArticleTemplate")
    HistoricalArticleTemplate = apps.get_model("articles", "HistoricalArticleTemplate")
    now = timezone.now()
    for kind, body in TEMPLATES.items():
        template, created = ArticleTemplate.objects.get_or_create(
            kind=kind, defaults={"body": body}
        )
        if created:
            # A migration's models send no signals: the first version goes
            # into the history by hand, so that it can be restored later.
            HistoricalArticleTemplate.objects.create(
                id=template.pk,
                kind=template.kind,
                body=template.body,
                modified_at=template.modified_at,
                history_date=now,
                history_type="+",
                history_change_reason="шаблон, с которым начинается портал",
            )


def unseed(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    perms = Permission.objects.filter(
        content_type__app_label="articles", codename__endswith="_articletemplate"
    )
    for group in Group.objects.filter(name__in=list(PERMISSIONS)):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_target_audience"),
        ("people", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("document", "документ"),
                            ("standard", "стандарт / инструкция / скрипт"),
                            ("case", "кейс"),
                            ("profile", "профиль клиентской группы"),
                            ("route", "маршрут клиента"),
                            ("algorithm", "алгоритм оказания услуги"),
                            ("faq", "вопрос-ответ"),
                            ("literature", "литература"),
                            ("video", "видео"),
                            ("podcast", "подкаст"),
                            ("presentation", "презентация"),
                            ("external", "внешний материал"),
                            ("report", "фото/видеоотчёт"),
                            ("contact", "контакт"),
                        ],
                        error_messages={"unique": "Шаблон для этого вида материала уже есть."},
                        max_length=20,
                        unique=True,
                        verbose_name="вид материала",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        blank=True,
                        help_text="С него начинается текст нового материала этого вида: заголовки разделов и подсказки, что в них написать. Пустой текст — шаблона нет.",
                        verbose_name="текст шаблона",
                    ),
                ),
                ("modified_at", models.DateTimeField(auto_now=True, verbose_name="изменён")),
            ],
            options={
                "verbose_name": "шаблон текста",
                "verbose_name_plural": "шаблоны текста по видам материалов",
                "ordering": ["kind"],
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="slides",
            field=models.JSONField(
                blank=True, default=list, editable=False, verbose_name="текст слайдов"
            ),
        ),
        migrations.CreateModel(
            name="HistoricalArticleTemplate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("document", "документ"),
                            ("standard", "стандарт / инструкция / скрипт"),
                            ("case", "кейс"),
                            ("profile", "профиль клиентской группы"),
                            ("route", "маршрут клиента"),
                            ("algorithm", "алгоритм оказания услуги"),
                            ("faq", "вопрос-ответ"),
                            ("literature", "литература"),
                            ("video", "видео"),
                            ("podcast", "подкаст"),
                            ("presentation", "презентация"),
                            ("external", "внешний материал"),
                            ("report", "фото/видеоотчёт"),
                            ("contact", "контакт"),
                        ],
                        db_index=True,
                        error_messages={"unique": "Шаблон для этого вида материала уже есть."},
                        max_length=20,
                        verbose_name="вид материала",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        blank=True,
                        help_text="С него начинается текст нового материала этого вида: заголовки разделов и подсказки, что в них написать. Пустой текст — шаблона нет.",
                        verbose_name="текст шаблона",
                    ),
                ),
                (
                    "modified_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="изменён"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical шаблон текста",
                "verbose_name_plural": "historical шаблоны текста по видам материалов",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed, unseed),
    ]
