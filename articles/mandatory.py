"""Reads of mandatory reading: which documents a person must read, in which
state each is for them, and who in a document's audience still has to.

The rules, in one place:

- A document is *in force* when it is published, not deleted and marked
  mandatory. Its audience is ``Article.mandatory_audience`` (None: everyone;
  the membership rule is ``people.audiences``).
- The *required version* is ``Article.ack_required_version``: that of the
  latest re-acknowledgement round, 0 before any (any acknowledgement counts).
  A person has *read* the document when they hold an acknowledgement of that
  version or a later one; older ones stay on record for their version.
- Deadline (``mandatory_deadline``, a date, inclusive): read by the end of
  that day (the region's time zone) is on time, later is late; not read
  after it is overdue.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Acknowledgement, AcknowledgementRound, Article
from articles.selectors import with_sections
from people.audiences import AudienceSpec, audience_spec, member_sql, members


class State:
    READ = "read"
    WAITING = "waiting"
    OVERDUE = "overdue"


def deadline_cutoff(deadline):
    """The first moment after ``deadline`` (a date, inclusive): an
    acknowledgement before it is on time. None without a deadline."""
    if deadline is None:
        return None
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))


def is_in_force(article):
    return article.mandatory and article.is_published and article.deleted_at is None


def reading_state(*, deadline, acknowledged, today=None):
    if acknowledged:
        return State.READ
    today = today or timezone.localdate()
    return State.OVERDUE if deadline is not None and deadline < today else State.WAITING


@dataclass(frozen=True)
class MandatorySnapshot:
    """A mandatory document as stored before a change: whether it was in
    force and for whom, so that a change tells only those it concerns."""

    in_force: bool = False
    spec: AudienceSpec = field(default_factory=AudienceSpec)


def mandatory_snapshot(*, article_id):
    """The stored state of article ``article_id`` (None: a new article)."""
    if article_id is None:
        return MandatorySnapshot()
    row = (
        Article.all_objects.filter(pk=article_id)
        .select_related("mandatory_audience")
        .only("mandatory", "status", "deleted_at", "mandatory_audience")
        .first()
    )
    if row is None:
        return MandatorySnapshot()
    return MandatorySnapshot(in_force=is_in_force(row), spec=audience_spec(row.mandatory_audience))


def _member_filter(user):
    """A filter on Article: the article's audience includes ``user``."""
    quote = connection.ops.quote_name
    column = f"{quote(Article._meta.db_table)}.{quote('mandatory_audience_id')}"
    sql, order = member_sql(audience=column, user="%s")
    params = [user.pk for name in order if name == "user"]
    # The text holds table and column names only; the person is a parameter.
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


def _valid_mark():
    """Exists: the outer article's reader acknowledged its required version."""
    return Acknowledgement.objects.filter(
        article=OuterRef("pk"), article_version__gte=OuterRef("ack_required_version")
    )


def mandatory_for(user):
    """The documents in force for ``user`` (a queryset of articles)."""
    return Article.objects.published().mandatory().filter(_member_filter(user))


def mandatory_unacknowledged(user, tree, limit=10):
    """Mandatory documents ``user`` must still read, those due first (one query)."""
    articles = (
        mandatory_for(user)
        .filter(~Exists(_valid_mark().filter(user=user)))
        .for_cards("mandatory_deadline", "ack_required_version")
        .order_by(F("mandatory_deadline").asc(nulls_last=True), "-published_at", "id")[:limit]
    )
    today = timezone.localdate()
    cards = with_sections(articles, tree)
    for article in cards:
        article.reading_state = reading_state(
            deadline=article.mandatory_deadline, acknowledged=False, today=today
        )
    return cards


@dataclass
class ReadingRow:
    """One document on «/mandatory/» for the person reading it."""

    article: Article
    state: str
    read_at: datetime | None  # when they acknowledged the required version
    read_late: bool
    old_version: int | None  # the version they read before a round asked again
    round: AcknowledgementRound | None  # the round in force, when re-asked

    @property
    def reasked(self):
        return self.state != State.READ and self.old_version is not None


STATE_ORDER = {State.OVERDUE: 0, State.WAITING: 1, State.READ: 2}


def mandatory_rows(*, user, tree):
    """Every document in force for ``user`` with its state for them: overdue
    first, then waiting, then read, each by deadline. Three queries whatever
    the numbers."""
    articles = with_sections(
        mandatory_for(user)
        .for_cards("mandatory_deadline", "ack_required_version")
        .order_by(F("mandatory_deadline").asc(nulls_last=True), "title", "id"),
        tree,
    )
    if not articles:
        return []
    by_id = {article.pk: article for article in articles}
    marks = {}  # article id -> (latest version, first time of a valid mark)
    rows = Acknowledgement.objects.filter(user=user, article_id__in=list(by_id)).values_list(
        "article_id", "article_version", "acknowledged_at"
    )
    for article_id, version, at in rows:
        latest, valid_at = marks.get(article_id, (None, None))
        latest = version if latest is None else max(latest, version)
        if version >= by_id[article_id].ack_required_version:
            valid_at = at if valid_at is None else min(valid_at, at)
        marks[article_id] = (latest, valid_at)
    rounds = {
        r.article_id: r
        for r in AcknowledgementRound.objects.filter(
            article_id__in=[a.pk for a in articles if a.ack_required_version],
            article_version=F("article__ack_required_version"),
        ).only("id", "article_id", "article_version", "summary", "started_at")
    }
    today = timezone.localdate()
    result = []
    for article in articles:
        latest, read_at = marks.get(article.pk, (None, None))
        cutoff = deadline_cutoff(article.mandatory_deadline)
        result.append(
            ReadingRow(
                article=article,
                state=reading_state(
                    deadline=article.mandatory_deadline,
                    acknowledged=read_at is not None,
                    today=today,
                ),
                read_at=read_at,
                read_late=bool(read_at and cutoff and read_at >= cutoff),
                old_version=latest if read_at is None else None,
                round=rounds.get(article.pk),
            )
        )
    result.sort(key=lambda row: STATE_ORDER[row.state])  # stable: deadline order within
    return result


def is_member(*, article, user):
    """Whether the document ``article`` is for ``user`` (one query; none when
    it is for everyone)."""
    if not user.is_active:
        return False
    if article.mandatory_audience_id is None:
        return True
    sql, order = member_sql(audience="%s", user="%s")
    params = [article.mandatory_audience_id if name == "audience" else user.pk for name in order]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {sql} THEN 1 ELSE 0 END", params)
        return bool(cursor.fetchone()[0])


def audience_of(article):
    """The spec of ``article``'s audience (everyone without one)."""
    if article.mandatory_audience_id is None:
        return AudienceSpec()
    return audience_spec(article.mandatory_audience)


def unread_member_ids(*, article, spec=None):
    """Ids of the active people in ``article``'s audience without a valid
    acknowledgement, streamed in id order (the audience may be thousands)."""
    spec = audience_of(article) if spec is None else spec
    readers = Acknowledgement.objects.filter(
        article=article, article_version__gte=article.ack_required_version, user=OuterRef("pk")
    )
    people = members(spec).filter(~Exists(readers)).order_by("pk").values_list("pk", flat=True)
    return people.iterator(chunk_size=2000)
