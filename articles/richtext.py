"""One definition of the rich text articles may hold.

The same extension list configures the editor (what an editor can make) and
the sanitiser (what is kept), so the two can never disagree. The sanitiser
runs in ``Article.save()`` too, so HTML that arrives by import or from code is
cleaned exactly like HTML from the admin.
"""

import json
from functools import cache

import nh3
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Image": True,
    "Figure": True,
    "Caption": True,
    "History": True,
}


# django-prose-editor names its toolbar buttons in English and outside its
# translation catalogue; static/js/prose-editor-ru.js swaps these names (the
# editor's English on the left) for the Russian ones.
EDITOR_LABELS = {
    "bold": _("Полужирный"),
    "italic": _("Курсив"),
    "underline": _("Подчёркнутый"),
    "strike": _("Зачёркнутый"),
    "subscript": _("Нижний индекс"),
    "superscript": _("Верхний индекс"),
    "paragraph": _("Обычный абзац"),
    "Paragraph": _("Обычный абзац"),
    "unordered list": _("Маркированный список"),
    "ordered list": _("Нумерованный список"),
    "blockquote": _("Цитата"),
    "horizontal rule": _("Горизонтальная линия"),
    "figure": _("Изображение с подписью"),
    "insert link": _("Вставить ссылку"),
    "remove link": _("Убрать ссылку"),
    "Insert table": _("Вставить таблицу"),
    "Insert Table": _("Вставить таблицу"),
    "Add column": _("Добавить столбец"),
    "Delete column": _("Удалить столбец"),
    "Add row": _("Добавить строку"),
    "Delete row": _("Удалить строку"),
    "Merge cells": _("Объединить ячейки"),
    "Split cell": _("Разделить ячейку"),
    "Toggle header cell": _("Сделать ячейку заголовком или обычной"),
    "Delete table": _("Удалить таблицу"),
    "undo": _("Отменить"),
    "redo": _("Повторить"),
    "edit HTML": _("Править HTML"),
    "question_mark": _("Вид абзаца"),
    "Add caption": _("Добавить подпись"),
    "Remove caption": _("Убрать подпись"),
    "Edit Image": _("Изменить изображение"),
    "Browse...": _("Выбрать…"),
    "Cancel": _("Отмена"),
    "List properties": _("Свойства списка"),
    "Toggle fullscreen": _("Во весь экран"),
}


def editor_labels_json():
    """EDITOR_LABELS in the current language, for the editor's page."""
    labels = {english: str(russian) for english, russian in EDITOR_LABELS.items()}
    for level in EXTENSIONS["Heading"]["levels"]:
        heading = gettext("Заголовок %(level)d") % {"level": level}
        labels[f"heading {level}"] = labels[f"Heading {level}"] = heading
    return json.dumps(labels, ensure_ascii=False)


@cache
def _cleaner():
    allow = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    allow["url_schemes"] = {"http", "https", "mailto", "tel"}
    allow["link_rel"] = "noopener noreferrer"
    allow["attributes"] = {
        tag: set(attrs) - {"rel", "target"} for tag, attrs in allow["attributes"].items()
    }
    return nh3.Cleaner(**allow, attribute_filter=_local_images_only)


def _local_images_only(tag, attribute, value):
    # Images come from the portal itself (an attachment's address): an outside
    # address would make every reader's browser call out of the intranet.
    if (
        tag == "img"
        and attribute == "src"
        and not (value.startswith("/") and not value.startswith("//"))
    ):
        return None
    return value


def sanitize_html(html):
    """Rich text safe to show: no scripts, event handlers or javascript: URLs."""
    if not html:
        return ""
    cleaned = _cleaner().clean(html).strip()
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


def plain_text(value):
    """Text with every tag removed, for fields meant to be plain."""
    return " ".join(strip_tags(value or "").split())
