"""Reads of questions and error reports: the article page, «Мои вопросы и
сообщения», the owner's desk and «Здоровье базы знаний». Each costs a fixed
number of queries, whatever the number of questions and answers."""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from articles.models import Article
from questions.models import Answer, ErrorReport, Question

DESK_LIMIT = 50
MY_LIMIT = 100
UNANSWERED_DAYS = 7
UNANSWERED_LIMIT = 30

_PERSON = ("author", "author__profile", "author__profile__position")
# The columns a question or an answer shows: its author's name and position.
# Fewer columns make the page's two queries cheaper to build and to read.
_PERSON_COLUMNS = (
    "author__id",
    "author__username",
    "author__first_name",
    "author__last_name",
    "author__profile__id",
    "author__profile__position__id",
    "author__profile__position__title",
)
_QUESTION_COLUMNS = (
    "id",
    "article_id",
    "text",
    "created_at",
    "resolved_at",
    "best_answer_id",
    "faq_article_id",
    "deleted_at",
    *_PERSON_COLUMNS,
)
# The FAQ article made of a question, as plain values (no second Article row).
_FAQ = {
    "faq_title": F("faq_article__title"),
    "faq_slug": F("faq_article__slug"),
    "faq_section_slug": F("faq_article__section__slug"),
    "faq_status": F("faq_article__status"),
    "faq_deleted_at": F("faq_article__deleted_at"),
}


def _live_answers():
    answers = Answer.objects.alive().select_related(*_PERSON)
    return Prefetch(
        "answers",
        queryset=answers.only("id", "question_id", "text", "created_at", *_PERSON_COLUMNS).order_by(
            "created_at", "pk"
        ),
        to_attr="live_answers",
    )


def article_questions(article):
    """The live questions of ``article`` with their live answers and the
    authors' profiles: two queries (one when there are no questions — Django
    skips the prefetch of nothing)."""
    return list(
        Question.objects.alive()
        .filter(article=article)
        .select_related(*_PERSON)
        .only(*_QUESTION_COLUMNS)
        .annotate(**_FAQ)
        .prefetch_related(_live_answers())
        .order_by("created_at", "pk")
    )


def question_for_answer_page(pk, *, user):
    """A question (deleted too) on an article ``user`` may see, with its
    live answers, or None."""
    questions = Question.objects.filter(pk=pk, article__in=Article.objects.visible_to(user))
    return (
        questions.select_related(*_PERSON, "article__section")
        .annotate(**_FAQ)
        .prefetch_related(_live_answers())
        .first()
    )


def _alive_answers():
    return Answer.objects.alive().filter(question=OuterRef("pk"))


def my_questions(*, user, limit=MY_LIMIT):
    """``user``'s questions on articles they may still see, newest first, with
    the number of answers: one query."""
    return list(
        Question.objects.alive()
        .filter(author=user, article__in=Article.objects.visible_to(user))
        .select_related("article__section")
        .annotate(answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)))
        .order_by("-created_at", "-pk")[:limit]
    )


def my_error_reports(*, user, limit=MY_LIMIT):
    return list(
        ErrorReport.objects.filter(author=user, article__deleted_at__isnull=True)
        .select_related("article__section")
        .order_by("-created_at", "-pk")[:limit]
    )


def _limited(queryset, limit):
    """Up to ``limit`` rows and whether there were more, in one query."""
    rows = list(queryset[: limit + 1])
    return {"rows": rows[:limit], "more": len(rows) > limit}


def desk_open_questions(*, user, limit=DESK_LIMIT):
    """Open questions on the articles ``user`` owns, oldest first (they have
    waited longest): one query."""
    return _limited(
        Question.objects.open()
        .filter(article__owner=user, article__deleted_at__isnull=True)
        .select_related("article__section", *_PERSON)
        .annotate(answer_count=Count("answers", filter=Q(answers__deleted_at__isnull=True)))
        .order_by("created_at", "pk"),
        limit,
    )


def desk_error_reports(*, user, limit=DESK_LIMIT):
    """Open error reports on the articles ``user`` owns, oldest first: one query."""
    return _limited(
        ErrorReport.objects.filter(
            status=ErrorReport.Status.OPEN,
            article__owner=user,
            article__deleted_at__isnull=True,
        )
        .select_related("article__section", *_PERSON)
        .order_by("created_at", "pk"),
        limit,
    )


def unanswered_questions(*, now=None, days=UNANSWERED_DAYS, limit=UNANSWERED_LIMIT):
    """Open questions on published articles with no answer for over ``days``
    days, oldest first, and how many there are: two queries."""
    now = now or timezone.now()
    waiting = Question.objects.open().filter(
        ~Exists(_alive_answers()),
        created_at__lt=now - timedelta(days=days),
        article__status=Article.Status.PUBLISHED,
        article__deleted_at__isnull=True,
    )
    return {
        "count": waiting.count(),
        "rows": list(
            waiting.select_related("article__section").order_by("created_at", "pk")[:limit]
        ),
        "days": days,
    }
