"""Demo questions (answered, resolved, one turned into a published FAQ, one
waiting) and error reports (one open, one fixed), through the services."""

from articles.models import Article
from questions.models import ErrorReport, Question
from questions.services import (
    answer_mark_best,
    answer_post,
    error_report_close,
    error_report_submit,
    question_ask,
    question_resolve,
    question_to_faq,
)
from search.services import search_index_articles

PHONE_SCRIPT = "skript-telefonnogo-razgovora"
MEETING_STANDARD = "standart-vstrechi-klienta-v-czn"

# (article slug, asker, question, [(who answers, answer)], what happens next)
QUESTIONS = [
    (
        PHONE_SCRIPT,
        "sotrudnik",
        "Что отвечать, если клиент звонит не по адресу — например, по вопросу пенсии?",
        [
            (
                "redaktor",
                "Вежливо объясните, какая организация занимается вопросом, и продиктуйте "
                "её телефон из раздела «Полезные контакты».\n\nНе переводите звонок, не "
                "убедившись, что там ответят: клиент не должен звонить трижды.",
            )
        ],
        "faq",
    ),
    (
        MEETING_STANDARD,
        "sotrudnik",
        "Нужно ли провожать клиента до кабинета, если в зале ожидания очередь?",
        [
            (
                "rabgruppa",
                "Да, если клиент пришёл впервые или просит помочь. Администратор зала "
                "может попросить коллегу подменить его на пару минут.",
            )
        ],
        "resolved",
    ),
    (
        MEETING_STANDARD,
        "rukovoditel",
        "Как отмечать в журнале клиентов, которые пришли без записи?",
        [],
        "",
    ),
]

# (article slug, reporter, what is wrong, quote, closed as (status, comment) or None)
REPORTS = [
    (
        PHONE_SCRIPT,
        "sotrudnik",
        "В разделе о завершении разговора указан старый номер горячей линии.",
        "8 800 000-00-00",
        None,
    ),
    (
        MEETING_STANDARD,
        "rabgruppa",
        "Опечатка: «сопровжение» вместо «сопровождение».",
        "",
        ("fixed", "Исправили, спасибо!"),
    ),
]


def _article(slug):
    return Article.objects.published().filter(slug=slug).select_related("section").first()


def seed_questions(users):
    """Create what is missing; return counts of what was created."""
    created = {"questions": 0, "answers": 0, "error_reports": 0}
    editor = users["redaktor"]
    for slug, asker, text, answers, outcome in QUESTIONS:
        article = _article(slug)
        if article is None or Question.objects.filter(article=article, text=text).exists():
            continue
        question = question_ask(article=article, author=users[asker], text=text)
        created["questions"] += 1
        for login, answer_text in answers:
            answer = answer_post(question=question, author=users[login], text=answer_text)
            created["answers"] += 1
        if outcome == "resolved":
            answer_mark_best(answer=answer, by=editor)
            question_resolve(question=question, by=users[asker])
        elif outcome == "faq":
            faq = question_to_faq(question=question, by=editor)
            # The editor checked the draft and published it.
            faq.status = Article.Status.PUBLISHED
            faq._history_user = editor
            faq.save()
            search_index_articles(article_ids=[faq.pk])
            question_resolve(question=question, by=editor)
    for slug, login, text, quote, closed in REPORTS:
        article = _article(slug)
        if article is None or ErrorReport.objects.filter(article=article, text=text).exists():
            continue
        report = error_report_submit(article=article, author=users[login], text=text, quote=quote)
        created["error_reports"] += 1
        if closed:
            status, comment = closed
            error_report_close(report=report, by=editor, status=status, comment=comment)
    return created
