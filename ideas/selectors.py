"""Reads of the idea bank: the list, the working group's agenda and figures.

Each function costs a fixed number of queries whatever the number of ideas,
votes or comments: counters are denormalised on ``Idea`` and per-row extras
(the latest decision, the office) come through joins, not per-row queries.
"""

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

import Stemmer
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import formats, timezone
from taggit.models import Tag

from articles.selectors import is_possible_tag_slug
from dashboards import cx as cxm
from dashboards.forms import (
    PeriodKind,
    add_months,
    last_complete,
    month_label,
    months_between,
    this_month,
)
from feedback.models import MonthlySlice
from ideas.models import Idea, Implementation, ReviewMeeting, Vote

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


# --- Ideas beside the articles they name ----------------------------------------------

# Ideas an article page lists at most (newest first).
ARTICLE_IDEAS_LIMIT = 20


def article_ideas(*, article_id, limit=ARTICLE_IDEAS_LIMIT):
    """Ideas that name the article, for its page: number, title, status.

    Every signed-in person may open every idea; merged duplicates are left
    out, as in the idea list, since their discussion lives on with the
    original. ``contributions.selectors.article_reader_state`` counts the
    same ideas (``idea_count``), so the page runs this only when there are
    some."""
    return list(
        Idea.objects.filter(articles=article_id)
        .exclude(status=Status.DUPLICATE)
        .only("id", "title", "status")
        .order_by("-created_at", "-id")[:limit]
    )


# --- An implemented idea and its office's index ---------------------------------------

# Complete months compared before and after an implementation.
IMPLEMENTATION_MONTHS = 3


def implementation_of(idea):
    """The idea's ``Implementation`` (read with it through select_related), or None."""
    try:
        return idea.implementation
    except Implementation.DoesNotExist:
        return None


def implementation_articles(implementation):
    """The articles the implementation changed that are still published."""
    return list(
        implementation.articles.published()
        .select_related("section")
        .only("id", "title", "slug", "section__slug")
        .order_by("title")
    )


@dataclass
class CxWindow:
    """The CX index of an office over some complete months (the dashboard's
    ``cx_index``: its value, 95 % interval and ``enough`` for greying)."""

    months: list  # first days of the months, oldest first; may be empty
    cx: cxm.Cx | None

    @property
    def label(self):
        """«март — май 2026», «ноябрь 2026 — январь 2027», «ноябрь 2026»."""
        if not self.months:
            return ""
        first, last = self.months[0], self.months[-1]
        if first == last:
            return month_label(first)
        if first.year == last.year:
            return f"{formats.date_format(first, 'F').lower()} — {month_label(last)}"
        return f"{month_label(first)} — {month_label(last)}"


@dataclass
class ImplementationCx:
    """The office's index in the complete months before and after the
    implementation; the month of implementation itself is in neither."""

    month: date  # of the implementation
    before: CxWindow
    after: CxWindow
    wanted: int  # months in each window when all are complete

    @property
    def month_label(self):
        return month_label(self.month)

    @property
    def first_after(self):
        """The first month after the implementation (the one to wait for)."""
        return month_label(add_months(self.month, 1))

    @property
    def change(self):
        """After minus before, when both rest on enough answers; else None."""
        before, after = self.before.cx, self.after.cx
        if not before or not after or before.value is None or after.value is None:
            return None
        if not (before.enough and after.enough):
            return None
        return after.value - before.value


def implementation_cx(*, office, implemented_on, months=IMPLEMENTATION_MONTHS, current_month=None):
    """The CX index of ``office`` (with its sub-offices, as the dashboard's
    office filter) in the ``months`` complete months before the month of
    ``implemented_on`` and in up to ``months`` complete months after it.

    One query over the dashboard's monthly slices; the figures are the
    dashboard's own ``dashboards.cx.cx_index``, so they equal what the
    dashboard shows for the same office and months."""
    # The dashboard's one definition of the last complete month.
    last = last_complete(PeriodKind.MONTH, latest=None, current_month=current_month or this_month())
    month = implemented_on.replace(day=1)
    before = months_between(add_months(month, -months), add_months(month, -1))
    after = [
        m for m in months_between(add_months(month, 1), add_months(month, months)) if m <= last.end
    ]
    rows = (
        MonthlySlice.objects.filter(
            month__gte=before[0],
            month__lte=after[-1] if after else before[-1],
            office__in=office.get_descendants(include_self=True).values("pk"),
        )
        .order_by()
        .values_list("month", "client_type")
        .annotate(**{name: Sum(name) for name in cxm.COUNT_FIELDS})
    )
    sums = {"before": {}, "after": {}}
    for row_month, client_type, *values in rows:
        if row_month == month:
            continue  # the month of implementation has days before and after it
        side = "before" if row_month < month else "after"
        counts = sums[side].setdefault(client_type, cxm.empty_counts())
        cxm.add_counts(counts, dict(zip(cxm.COUNT_FIELDS, values, strict=True)))
    return ImplementationCx(
        month=month,
        before=CxWindow(before, cxm.cx_index(sums["before"])),
        after=CxWindow(after, cxm.cx_index(sums["after"]) if after else None),
        wanted=months,
    )


def meeting_decisions(*, meeting):
    """The meeting's decisions; a «реализовано» one with what changed and
    when (its Implementation, in the same query)."""
    implementation = Implementation.objects.filter(decision=OuterRef("pk"))
    return list(
        meeting.decisions.select_related("idea", "responsible", "merged_into")
        .annotate(
            implementation_changes=Subquery(implementation.values("changes")[:1]),
            implementation_on=Subquery(implementation.values("implemented_on")[:1]),
        )
        .order_by("created_at", "id")
    )
