"""Reads of the idea bank: the list, the working group's agenda and figures.

Each function costs a fixed number of queries whatever the number of ideas,
votes or comments: counters are denormalised on ``Idea`` and per-row extras
(the latest decision, the office) come through joins, not per-row queries.
"""

import calendar
import re
from bisect import bisect_right
from datetime import date, timedelta

import Stemmer
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from taggit.models import Tag

from articles.selectors import is_possible_tag_slug
from ideas.models import Idea, ReviewMeeting, Vote

Status = Idea.Status

SORTS = ("votes", "new", "decided")
LONG_WAIT_DAYS = 30
AGENDA_LIMIT = 100
DEFAULT_VOTE_THRESHOLD = 10

LIST_COLUMNS = (
    "id",
    "title",
    "status",
    "vote_count",
    "comment_count",
    "created_at",
    "decided_at",
    "duplicate_of_id",
    "author_id",
    "office_id",
    "office__title",
    "latest_decision_id",
    "latest_decision__outcome",
    "latest_decision__rationale",
)

# The agenda sorts every waiting idea: only narrow columns, no long texts.
AGENDA_COLUMNS = (
    "id",
    "title",
    "status",
    "vote_count",
    "ice_score",
    "created_at",
    "status_changed_at",
    "first_reviewed_at",
    "office_id",
    "office__title",
)


def vote_threshold():
    """IDEAS_VOTE_THRESHOLD: from this many votes an idea is flagged on the agenda."""
    return getattr(settings, "IDEAS_VOTE_THRESHOLD", DEFAULT_VOTE_THRESHOLD)


def idea_list(*, status="", office_ids=None, tag="", sort="votes"):
    """Ideas for the list page.

    Without a status filter, merged duplicates are left out: their votes and
    discussion live on with the original. «Недавно решённые» lists only ideas
    with a decision, latest first. ``office_ids`` is an office with all its
    sub-offices (see ``office_subtree_ids``).
    """
    ideas = Idea.objects.select_related("office", "latest_decision").only(*LIST_COLUMNS)
    if status in Status.values:
        ideas = ideas.filter(status=status)
    else:
        ideas = ideas.exclude(status=Status.DUPLICATE)
    if office_ids is not None:
        ideas = ideas.filter(office_id__in=office_ids)
    if tag:
        if not is_possible_tag_slug(tag):
            return ideas.none()  # no tag has such a slug, and PostgreSQL refuses NUL
        ideas = ideas.filter(tags__slug=tag)
    if sort == "new":
        return ideas.order_by("-created_at", "-id")
    if sort == "decided":
        return ideas.filter(decided_at__isnull=False).order_by("-decided_at", "-id")
    return ideas.order_by("-vote_count", "-created_at", "-id")


def office_subtree_ids(office, offices):
    """Ids of ``office`` and everything under it, from an already loaded list
    of offices (MPTT columns), so the idea query needs no join."""
    return [
        other.pk
        for other in offices
        if other.tree_id == office.tree_id and office.lft <= other.lft <= other.rght <= office.rght
    ]


TAGS_CACHE_KEY = "ideas:filter-tags"
TAGS_CACHE_SECONDS = 300


def filter_tags():
    """Tags used on ideas, for the filter. Collecting them reads every tagged
    item, so the list is cached; a submit or an edit drops it at once, and
    the timeout covers tags changed in the admin."""
    tags = cache.get(TAGS_CACHE_KEY)
    if tags is None:
        tags = list(
            Tag.objects.filter(idea__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        cache.set(TAGS_CACHE_KEY, tags, TAGS_CACHE_SECONDS)
    return tags


def voted_idea_ids(*, user, idea_ids):
    return set(
        Vote.objects.filter(user=user, idea_id__in=list(idea_ids)).values_list("idea_id", flat=True)
    )


_stemmer = Stemmer.Stemmer("russian")
_WORD = re.compile(r"\w{4,}")


def _stems(text, limit=6):
    stems = []
    for word in _WORD.findall(text.lower()):
        stem = _stemmer.stemWord(word)
        if len(stem) >= 3 and stem not in stems:
            stems.append(stem)
    return stems[:limit]


def similar_ideas(*, text, limit=5, exclude_pk=None):
    """Open ideas whose titles share word stems with ``text``, best match first.

    Matching is on Snowball stems, case-insensitively for Cyrillic on SQLite
    too (whose LIKE folds only ASCII): both the lower-case and the capitalised
    form of each stem are looked for.
    """
    stems = _stems(text)
    if not stems:
        return []
    condition = Q()
    for stem in stems:
        condition |= Q(title__contains=stem) | Q(title__contains=stem.capitalize())
    candidates = (
        Idea.objects.exclude(status=Status.DUPLICATE)
        .filter(condition)
        .exclude(pk=exclude_pk)
        .only("id", "title", "status", "vote_count")
        .order_by("-vote_count", "-id")[:50]
    )

    def score(idea):
        title = idea.title.lower()
        return sum(stem in title for stem in stems)

    ranked = sorted(candidates, key=lambda idea: (-score(idea), -idea.vote_count))
    return ranked[:limit]


def add_month(day):
    """The same day next month, or the month's last day when it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_schedule(*, today=None):
    """The last meeting, when the next one is due (a month later) and whether
    that date has passed."""
    today = today or timezone.localdate()
    last = ReviewMeeting.objects.order_by("-held_on", "-id").first()
    if last is None:
        return {"last": None, "due": None, "overdue": True, "days_overdue": None}
    due = add_month(last.held_on)
    return {
        "last": last,
        "due": due,
        "overdue": due < today,
        "days_overdue": (today - due).days if due < today else 0,
    }


def review_agenda(*, last_meeting=None, now=None):
    """Ideas waiting for the working group's answer, in the order to discuss
    them: those waiting longer than 30 days first, then by ICE score (when
    scored), then by votes, then the oldest first.

    Each idea carries the reasons it is on the agenda (``agenda_reasons``).
    Returns (ideas, total): at most AGENDA_LIMIT ideas are listed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=LONG_WAIT_DAYS)
    threshold = vote_threshold()
    waiting = (
        Idea.objects.filter(status__in=Idea.AWAITING)
        .select_related("office")
        .only(*AGENDA_COLUMNS)
        .annotate(
            waiting_from=Case(
                When(first_reviewed_at__isnull=True, then=F("created_at")),
                default=F("status_changed_at"),
            ),
            long_wait=Case(
                When(
                    Q(first_reviewed_at__isnull=True, created_at__lt=cutoff)
                    | Q(first_reviewed_at__isnull=False, status_changed_at__lt=cutoff),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by(
            "-long_wait",
            F("ice_score").desc(nulls_last=True),
            "-vote_count",
            "waiting_from",
            "id",
        )
    )
    ideas = list(waiting[: AGENDA_LIMIT + 1])
    total = len(ideas) if len(ideas) <= AGENDA_LIMIT else waiting.count()
    ideas = ideas[:AGENDA_LIMIT]
    since = last_meeting.held_on if last_meeting else None
    for idea in ideas:
        idea.waited_days = (now - idea.waiting_from).days
        reasons = []
        if idea.long_wait:
            reasons.append("long_wait")
        if since is None or timezone.localtime(idea.created_at).date() > since:
            reasons.append("new")
        if idea.status == Status.UNDER_REVIEW:
            reasons.append("under_review")
        if idea.first_reviewed_at is not None:
            reasons.append("rework")
        if idea.vote_count >= threshold:
            reasons.append("popular")
        idea.agenda_reasons = reasons
    return ideas, total


def _month_start(moment):
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def review_speed_by_month(*, months=12, now=None):
    """Per month of submission: how many ideas came in, and the share the
    working group answered within 30 days («доля идей, рассмотренных в течение
    30 дней»). Ideas younger than 30 days without an answer are not yet late,
    so they are left out of the share (and shown as «ещё в сроке»).

    Counted in Python over one year's (created, first answered) pairs: one
    cheap query on an indexed column, and months in the region's time zone
    the same way on SQLite and PostgreSQL.
    """
    now = now or timezone.now()
    starts = [_month_start(timezone.localtime(now))]
    for _ in range(months - 1):
        starts.insert(0, _month_start(starts[0] - timedelta(days=1)))
    limit = timedelta(days=LONG_WAIT_DAYS)
    rows = {}
    pairs = Idea.objects.filter(created_at__gte=starts[0]).values_list(
        "created_at", "first_reviewed_at"
    )
    for created_at, reviewed_at in pairs.iterator(chunk_size=2000):
        key = starts[bisect_right(starts, created_at) - 1]
        row = rows.setdefault(key, {"month": key, "total": 0, "in_time": 0, "pending": 0})
        row["total"] += 1
        if reviewed_at is not None and reviewed_at - created_at <= limit:
            row["in_time"] += 1
        elif reviewed_at is None and now - created_at < limit:
            row["pending"] += 1
    result = []
    for key in sorted(rows, reverse=True):
        row = rows[key]
        row["due"] = row["total"] - row["pending"]
        row["share"] = round(100 * row["in_time"] / row["due"]) if row["due"] else None
        result.append(row)
    return result


def recent_meetings(limit=12):
    return list(
        ReviewMeeting.objects.annotate(decision_count=Count("decisions")).order_by(
            "-held_on", "-id"
        )[:limit]
    )


def status_history(idea, limit=200):
    """The idea's status changes from its history: who, when, why."""
    records = list(
        idea.history.select_related("history_user")
        .only(
            "history_id",
            "history_date",
            "history_change_reason",
            "status",
            "status_comment",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
        )
        .order_by("history_date", "history_id")[:limit]
    )
    changes, previous = [], None
    for record in records:
        if record.status != previous:
            record.status_label = Status(record.status).label
            changes.append(record)
            previous = record.status
    return changes
