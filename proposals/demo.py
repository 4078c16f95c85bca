"""Demo proposals, one or more in each state, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Section
from proposals.models import Proposal
from proposals.services import (
    proposal_accept,
    proposal_reject,
    proposal_return,
    proposal_submit,
    proposal_withdraw,
)

# (author, index of the published article, what changes, rationale, decision, comment)
EDITS = [
    (
        "sotrudnik",
        2,
        {"summary_suffix": " Указан телефон горячей линии."},
        "Добавил телефон горячей линии: клиенты спрашивают его чаще всего.",
        "pending",
        "",
    ),
    (
        "rabgruppa",
        3,
        {"summary_suffix": " Сроки — по приказу 2026 года."},
        "Сроки изменились с нового года.",
        "returned",
        "Укажите номер и дату приказа, на который ссылаетесь.",
    ),
    (
        "sotrudnik",
        4,
        {"summary_suffix": " Проверено на приёме в ЦЗН."},
        "Уточнил по опыту приёма.",
        "accepted",
        "",
    ),
    (
        "rukovoditel",
        2,
        {"summary_suffix": " Срочно!"},
        "Нужно выделить важное.",
        "rejected",
        "Материал и так помечен как обязательный; восклицания в кратком описании не нужны.",
    ),
    (
        "sotrudnik",
        5,
        {"summary_suffix": " Черновая правка."},
        "Хотела уточнить, но передумала.",
        "withdrawn",
        "",
    ),
]
NEW_TITLE = "Памятка: как записаться на приём через ЕЦП"


def seed_proposals(users):
    """Create what is missing; return the count of created proposals."""
    created = 0
    editor = users["redaktor"]
    articles = list(Article.objects.published().select_related("section").order_by("id")[:6])
    for login, index, change, rationale, decision, comment in EDITS:
        if index >= len(articles):
            continue
        article = Article.objects.select_related("section").get(pk=articles[index].pk)
        author = users[login]
        if Proposal.objects.filter(author=author, article=article, rationale=rationale).exists():
            continue
        proposal = proposal_submit(
            author=author,
            article=article,
            title=article.title,
            summary=(article.summary + change["summary_suffix"]).strip(),
            body=article.body,
            rationale=rationale,
        )
        _decide(proposal, decision, editor=editor, author=author, comment=comment)
        created += 1
    section = Section.objects.order_by("tree_id", "lft").first()
    if section is not None and not Proposal.objects.filter(title=NEW_TITLE).exists():
        upload = SimpleUploadedFile(
            "памятка-ецп.txt", "Шаг 1. Войдите на портал «Работа России».".encode()
        )
        proposal_submit(
            author=users["rabgruppa"],
            section=section,
            kind=Article.Kind.STANDARD,
            title=NEW_TITLE,
            summary="Пошагово: запись на приём к специалисту через портал.",
            body="<p>Войдите на портал, выберите «Записаться на приём» и удобное время.</p>",
            rationale="Клиенты часто спрашивают, а памятки нет.",
            uploads=[upload],
        )
        created += 1
    return {"proposals": created}


def _decide(proposal, decision, *, editor, author, comment):
    if decision == "accepted":
        proposal_accept(proposal=proposal, by=editor)
    elif decision == "returned":
        proposal_return(proposal=proposal, by=editor, comment=comment)
    elif decision == "rejected":
        proposal_reject(proposal=proposal, by=editor, reason=comment)
    elif decision == "withdrawn":
        proposal_withdraw(proposal=proposal, by=author)
