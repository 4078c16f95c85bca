"""Reads: the article page's blocks, the owner's desk and the health figures."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.models import Acknowledgement, AcknowledgementRound, Article, Section
from contributions.models import Helpfulness, ReviewReminder
from ideas.models import Idea
from notifications.models import Subscription
from onboarding.selectors import onboarding_step_params, onboarding_step_sql
from people.audiences import member_sql
from people.models import Profile
from people.roles import is_editor
from questions.models import Question
from search.models import SearchQuery


def can_review(user, article):
    """The article's owner and every editor may confirm it is still true."""
    return is_editor(user) or (user.is_authenticated and article.owner_id == user.pk)


def helpfulness_of(*, article, user):
    return Helpfulness.objects.filter(article=article, user=user).first()


def article_helpfulness_counts(*, article):
    """«Да» and «нет» on ``article``, for its current version and for all
    versions, and each reason of «нет» counted: one query."""
    current = Q(article_version=article.version)
    aggregates = {
        "yes": Count("id", filter=Q(helpful=True)),
        "no": Count("id", filter=Q(helpful=False)),
        "yes_current": Count("id", filter=Q(helpful=True) & current),
        "no_current": Count("id", filter=Q(helpful=False) & current),
    }
    for reason in Helpfulness.Reason.values:
        no = Q(helpful=False, reason=reason)
        aggregates[f"{reason}"] = Count("id", filter=no)
        aggregates[f"{reason}_current"] = Count("id", filter=no & current)
    row = Helpfulness.objects.filter(article_id=article.pk).aggregate(**aggregates)
    row["reasons"] = [
        {"label": label, "current": row[f"{value}_current"], "all": row[value]}
        for value, label in Helpfulness.Reason.choices
    ]
    return row


def with_helpfulness_totals(articles):
    """``articles`` annotated with ``helpful_yes`` and ``helpful_no`` (all
    versions), as subqueries: the database counts only the rows it returns."""
    answers = Helpfulness.objects.filter(article=OuterRef("pk")).order_by().values("article")

    def counted(**condition):
        return Coalesce(
            Subquery(answers.filter(**condition).annotate(n=Count("id")).values("n")[:1]), 0
        )

    return articles.annotate(helpful_yes=counted(helpful=True), helpful_no=counted(helpful=False))


@dataclass(frozen=True)
class ReaderState:
    """What the article page shows differently for the person reading it."""

    helpful: bool | None  # their «был ли полезен?» answer; None: not answered
    reason: str
    acknowledged: bool  # they acknowledged the version the document now requires
    has_questions: bool  # the article has a live question (not per person)
    # Of a mandatory article only (otherwise None / False / ""):
    ack_version: int | None = None  # the latest version they acknowledged
    acknowledged_at: datetime | None = None  # when they acknowledged the required one
    in_audience: bool = False  # the document is mandatory for them
    round_summary: str = ""  # «что изменилось» of the re-acknowledgement round in force
    idea_count: int = 0  # ideas that name the article, merged duplicates left out
    office_id: int | None = None  # the office of their profile: whose views they count in
    follows_article: bool = False  # «Следить» on this article
    follows_section: bool = False  # «Следить» on its section or one above it
    # The article, or a section on its path, is targeted at them («Для вас»).
    for_you: bool = False
    # «Путь новичка»: the step this article is on the person's path in its period, or None.
    path_step_id: int | None = None


@cache
def _reader_state_sql(mandatory=False, targeted=False, reasked=False, onboarding=False, for_you=0):
    """One statement of scalar subqueries, built from the models' own table
    and column names so a rename cannot leave it behind — with only the
    parts the article needs: the marks of a mandatory one, the audience
    lookups of a targeted one, the round in force of one asked again, and
    the ``for_you`` target audiences on the article's path («Для вас»). Each
    shape is built once; params come from ``_reader_state_params``."""
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    answer = (
        f"FROM {table(Helpfulness)} WHERE {column(Helpfulness, 'article')} = %s"
        f" AND {column(Helpfulness, 'user')} = %s"
    )
    marks = (
        f"FROM {table(Acknowledgement)} WHERE {column(Acknowledgement, 'article')} = %s"
        f" AND {column(Acknowledgement, 'user')} = %s"
    )
    links = Idea.articles.through
    version = column(Acknowledgement, "article_version")
    rounds = AcknowledgementRound
    # Only the models' own names go into the text (S608 cannot see that).
    parts = [
        f"(SELECT {column(Helpfulness, 'helpful')} {answer})",
        f"(SELECT {column(Helpfulness, 'reason')} {answer})",
        f"EXISTS (SELECT 1 FROM {table(Question)} WHERE {column(Question, 'article')} = %s"  # noqa: S608
        f" AND {column(Question, 'deleted_at')} IS NULL)",
        # The ideas the page lists (ideas.selectors.article_ideas), counted.
        f"(SELECT COUNT(*) FROM {table(links)} JOIN {table(Idea)}"  # noqa: S608
        f" ON {table(Idea)}.{quote(Idea._meta.pk.column)} = {column(links, 'idea')}"
        f" WHERE {column(links, 'article')} = %s AND {column(Idea, 'status')} <> %s)",
        # The reader's office: the article's views are counted per office.
        f"(SELECT {column(Profile, 'office')} FROM {table(Profile)}"  # noqa: S608
        f" WHERE {column(Profile, 'user')} = %s)",
        # «Следить»: the reader follows the article, or a section at or above its own.
        f"EXISTS (SELECT 1 FROM {table(Subscription)} WHERE {column(Subscription, 'article')}"  # noqa: S608
        f" = %s AND {column(Subscription, 'user')} = %s)",
        f"EXISTS (SELECT 1 FROM {table(Subscription)} JOIN {table(Section)} AS followed"  # noqa: S608
        f" ON followed.{quote(Section._meta.pk.column)} = {column(Subscription, 'section')}"
        f" JOIN {table(Section)} AS own ON own.{quote(Section._meta.pk.column)} = %s"
        f" WHERE {column(Subscription, 'user')} = %s"
        f" AND followed.{column(Section, 'tree_id')} = own.{column(Section, 'tree_id')}"
        f" AND followed.{column(Section, 'lft')} <= own.{column(Section, 'lft')}"
        f" AND followed.{column(Section, 'rght')} >= own.{column(Section, 'rght')})",
    ]
    if mandatory:
        parts += [
            f"(SELECT MAX({version}) {marks})",
            f"(SELECT MIN({column(Acknowledgement, 'acknowledged_at')}) {marks}"
            f" AND {version} >= %s)",
        ]
    if targeted:
        member, _order = member_sql(audience="%s", user="%s")
        parts.append(f"CASE WHEN {member} THEN 1 ELSE 0 END")
    if reasked:
        parts.append(
            f"(SELECT {column(rounds, 'summary')} FROM {table(rounds)}"  # noqa: S608
            f" WHERE {column(rounds, 'article')} = %s AND {column(rounds, 'article_version')} = %s)"
        )
    if for_you:
        member, _order = member_sql(audience="%s", user="%s")
        parts.append(f"CASE WHEN {' OR '.join([member] * for_you)} THEN 1 ELSE 0 END")
    if onboarding:
        parts.append(onboarding_step_sql())
    return "SELECT " + ", ".join(parts)


def _reader_state_shape(article):
    mandatory = bool(article.mandatory)
    return (
        mandatory,
        mandatory and article.mandatory_audience_id is not None,
        mandatory and article.ack_required_version > 0,
        article.is_published,  # «Путь новичка» skips the others
    )


def _reader_state_params(article, user, shape, targets=()):
    mandatory, targeted, reasked, onboarding = shape
    params = [*[article.pk, user.pk] * 2, article.pk]
    params += [article.pk, Idea.Status.DUPLICATE.value, user.pk]
    params += [article.pk, user.pk, article.section_id, user.pk]
    if mandatory:
        params += [article.pk, user.pk, article.pk, user.pk, article.ack_required_version]
    if targeted:
        _member, order = member_sql(audience="%s", user="%s")
        params += [article.mandatory_audience_id if n == "audience" else user.pk for n in order]
    if reasked:
        params += [article.pk, article.ack_required_version]
    _member, order = member_sql(audience="%s", user="%s")
    for audience_id in targets:
        params += [audience_id if n == "audience" else user.pk for n in order]
    if onboarding:
        params += onboarding_step_params(article_id=article.pk, user=user)
    return params


def article_reader_state(*, article, user, targets=()):
    """The person's answer, acknowledgement (and whether the document is
    theirs to read), whether anyone asked a question, how many ideas name
    the article and the person's office, and whether one of ``targets`` (the
    target audience ids on the article's path) holds the person, in one
    small statement. Written as SQL on purpose: the same subqueries as ORM
    annotations on the article query cost ~0.8 ms of query compilation per
    page view (bench/pages.py), more than the rest of the article's queries
    together; the values are parameters, never text."""
    shape = _reader_state_shape(article)
    targets = tuple(targets)
    with connection.cursor() as cursor:
        cursor.execute(
            _reader_state_sql(*shape, for_you=len(targets)),
            _reader_state_params(article, user, shape, targets),
        )
        row = list(cursor.fetchone())
    helpful, reason, has_questions, idea_count, office_id = row[:5]
    follows_article, follows_section = row[5:7]
    mandatory, targeted, reasked, onboarding = shape
    rest = iter(row[7:])
    ack_version, acknowledged_at = (next(rest), next(rest)) if mandatory else (None, None)
    member = next(rest) if targeted else mandatory  # for everyone: everyone's
    summary = next(rest) if reasked else ""
    for_you = next(rest) if targets else False
    path_step_id = next(rest) if onboarding else None
    if isinstance(acknowledged_at, str):  # SQLite returns an aggregate's datetime as text
        acknowledged_at = parse_datetime(acknowledged_at).replace(tzinfo=UTC)
    return ReaderState(
        helpful=None if helpful is None else bool(helpful),
        reason=reason or "",
        acknowledged=acknowledged_at is not None,
        has_questions=bool(has_questions),
        ack_version=ack_version,
        acknowledged_at=acknowledged_at,
        in_audience=bool(member),
        round_summary=summary or "",
        idea_count=idea_count,
        office_id=office_id,
        follows_article=bool(follows_article),
        follows_section=bool(follows_section),
        for_you=bool(for_you),
        path_step_id=path_step_id,
    )


def reader_helpfulness(*, article, state):
    """The person's answer from ``state`` (unsaved; for display), or None."""
    if state.helpful is None:
        return None
    return Helpfulness(article=article, helpful=state.helpful, reason=state.reason)


# --- «Мои материалы»: the owner's desk --------------------------------------------

DESK_UPCOMING_DAYS = 30
DESK_UNHELPFUL_DAYS = 90
DESK_UNHELPFUL_LIMIT = 50


def with_reminders(articles):
    """Set ``reminders`` on each article: stage -> the day that reminder went
    out for its current review date (one query)."""
    for article in articles:
        article.reminders = {}
    if not articles:
        return articles
    by_id = {article.pk: article for article in articles}
    rows = ReviewReminder.objects.filter(
        article_id__in=list(by_id), review_due=F("article__review_due")
    ).values_list("article_id", "stage", "sent_on")
    for article_id, stage, sent_on in rows:
        by_id[article_id].reminders[stage] = sent_on
    return articles


def owner_desk(*, user, today=None):
    """What the owner of articles should look at: reviews that are late or
    near (with the reminders already sent about them), and the recent «нет»
    answers. Five queries, whatever the numbers."""
    today = today or timezone.localdate()
    mine = Article.objects.filter(owner=user)
    if not mine.exists():
        return None
    due = list(
        mine.published()
        .filter(review_due__lte=today + timedelta(days=DESK_UPCOMING_DAYS))
        .select_related("section")
        .only("id", "title", "slug", "review_due", "section__slug")
        .order_by("review_due", "title")
    )
    with_reminders(due)
    since = timezone.now() - timedelta(days=DESK_UNHELPFUL_DAYS)
    unhelpful = Helpfulness.objects.filter(
        article__owner=user,
        article__deleted_at__isnull=True,
        helpful=False,
        answered_at__gte=since,
    )
    return {
        "overdue": [article for article in due if article.review_due < today],
        "upcoming": [article for article in due if article.review_due >= today],
        "unhelpful": list(
            unhelpful.select_related("article__section")
            .only(
                "id",
                "reason",
                "text",
                "answered_at",
                "article__id",
                "article__title",
                "article__slug",
                "article__section__slug",
            )
            .order_by("-answered_at", "-pk")[:DESK_UNHELPFUL_LIMIT]
        ),
        "unhelpful_count": unhelpful.count(),
    }


# --- «Здоровье базы знаний»: figures for editors -------------------------------------

HEALTH_NO_OWNER_LIMIT = 50
HEALTH_LEAST_HELPFUL_LIMIT = 10
HEALTH_MIN_ANSWERS = 3
HEALTH_ZERO_SEARCH_DAYS = 28
HEALTH_ZERO_SEARCH_LIMIT = 30


def percent(part, total):
    """``part`` of ``total`` as a whole percent; None when there is nothing."""
    return round(100 * part / total) if total else None


def health_totals(*, today):
    """Published articles: how many, with an owner, with a review date, overdue."""
    row = Article.objects.published().aggregate(
        total=Count("id"),
        with_owner=Count("id", filter=Q(owner__isnull=False)),
        with_review=Count("id", filter=Q(review_due__isnull=False)),
        overdue=Count("id", filter=Q(review_due__lt=today)),
    )
    row["without_owner"] = row["total"] - row["with_owner"]
    for key in ("with_owner", "with_review", "overdue"):
        row[f"{key}_percent"] = percent(row[key], row["total"])
    return row


def health_by_section(*, today):
    """Overdue share per top-level section, worst first (two queries)."""
    counts = {
        row["section__tree_id"]: row
        for row in Article.objects.published()
        .values("section__tree_id")
        .annotate(total=Count("id"), overdue=Count("id", filter=Q(review_due__lt=today)))
        .order_by()
    }
    rows = []
    for root in Section.objects.filter(level=0).only("id", "title", "slug", "tree_id"):
        row = counts.get(root.tree_id, {"total": 0, "overdue": 0})
        rows.append(
            {
                "section": root,
                "total": row["total"],
                "overdue": row["overdue"],
                "overdue_percent": percent(row["overdue"], row["total"]),
            }
        )
    rows.sort(key=lambda r: (-(r["overdue_percent"] or 0), -r["overdue"], r["section"].title))
    return rows


def health_without_owner(*, limit=HEALTH_NO_OWNER_LIMIT):
    return list(
        Article.objects.published()
        .filter(owner__isnull=True)
        .select_related("section")
        .only("id", "title", "slug", "section__slug", "section__title")
        .order_by("section__tree_id", "section__lft", "title")[:limit]
    )


def health_least_helpful(*, limit=HEALTH_LEAST_HELPFUL_LIMIT, min_answers=HEALTH_MIN_ANSWERS):
    """The published articles with the largest share of «нет» (at least
    ``min_answers`` answers and one «нет»), in one grouped query."""
    return list(
        Helpfulness.objects.filter(
            article__status=Article.Status.PUBLISHED, article__deleted_at__isnull=True
        )
        .values("article_id", "article__title", "article__slug", "article__section__slug")
        .annotate(
            answers=Count("id"),
            yes=Count("id", filter=Q(helpful=True)),
            no=Count("id", filter=Q(helpful=False)),
        )
        .filter(answers__gte=min_answers, no__gt=0)
        .annotate(no_share=ExpressionWrapper(F("no") * 1.0 / F("answers"), FloatField()))
        .order_by("-no_share", "-no", "article__title")[:limit]
    )


def health_zero_searches(*, now=None, limit=HEALTH_ZERO_SEARCH_LIMIT):
    """First-page searches of the last four weeks that found nothing, grouped."""
    now = now or timezone.now()
    return list(
        SearchQuery.objects.filter(
            created_at__gte=now - timedelta(days=HEALTH_ZERO_SEARCH_DAYS), results=0, page=1
        )
        .values("query")
        .annotate(times=Count("id"), last=Max("created_at"))
        .order_by("-times", "-last", "query")[:limit]
    )


def health_reminders():
    """Published articles whose owner was reminded for the current review date,
    per stage (soon, overdue, escalation); one grouped query."""
    counts = dict.fromkeys(ReviewReminder.Stage.values, 0)
    rows = (
        ReviewReminder.objects.filter(
            article__status=Article.Status.PUBLISHED,
            article__deleted_at__isnull=True,
            review_due=F("article__review_due"),
        )
        .values("stage")
        .annotate(articles=Count("article_id", distinct=True))
        .order_by()
    )
    for row in rows:
        counts[row["stage"]] = row["articles"]
    return counts


def kb_health(*, today=None):
    """Every figure of «Здоровье базы знаний»: six queries in all."""
    today = today or timezone.localdate()
    return {
        "totals": health_totals(today=today),
        "reminders": health_reminders(),
        "escalation_days": settings.REVIEW_ESCALATION_DAYS,
        "sections": health_by_section(today=today),
        "without_owner": health_without_owner(),
        "least_helpful": health_least_helpful(),
        "zero_searches": health_zero_searches(),
    }
