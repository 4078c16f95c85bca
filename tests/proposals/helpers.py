"""Builders for proposals, through the services the app uses."""

from proposals.services import proposal_submit


def propose_edit(article, author, **changes):
    values = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "rationale": "Исправил срок подачи.",
    }
    values.update(changes)
    return proposal_submit(author=author, article=article, **values)


def propose_new(section, author, uploads=(), **values):
    defaults = {
        "title": "Памятка по пособию",
        "summary": "Кратко о пособии.",
        "body": "<p>Текст памятки.</p>",
        "rationale": "Такой памятки нет.",
        "kind": "document",
    }
    defaults.update(values)
    return proposal_submit(author=author, section=section, uploads=uploads, **defaults)
