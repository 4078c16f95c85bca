"""Reads of «Путь новичка»: whose path is current, the person's progress and
the managers' view of their office.

The rules, in one place:

- A path is for the people who hold its ``position``; only an active path
  counts, and of its steps only those whose article is published and not
  deleted (the others stay in the editors' admin, marked, and are skipped).
- A person's *start* is ``Profile.started_on``, or the day they were
  registered on the portal when it is empty. The path is *current* for
  ``ONBOARDING_DAYS`` days from the start (the start day and that many
  days after it) until every step is marked «Изучено».
- After the period a path not done is *overdue* (for managers); the person
  still sees it on ``/onboarding/`` and may still mark steps.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article
from onboarding.models import ReadingPath, ReadingPathProgress, ReadingPathStep
from people.models import Profile


def period_cutoff(today=None):
    """The earliest start whose path is still current ``today``."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.ONBOARDING_DAYS)


def start_of(*, started_on, date_joined):
    """A person's start: the date in their profile, else the day they joined."""
    if started_on is not None:
        return started_on
    return timezone.localdate(date_joined) if date_joined is not None else None


def started_since(cutoff, prefix=""):
    """A filter on Profile (through ``prefix``): the person started on
    ``cutoff`` or later (``started_on``, else the day they joined)."""
    joined_since = timezone.make_aware(datetime.combine(cutoff, time.min))
    return Q(**{f"{prefix}started_on__gte": cutoff}) | Q(
        **{f"{prefix}started_on__isnull": True, f"{prefix}user__date_joined__gte": joined_since}
    )


def visible_steps(prefix=""):
    """A filter on ReadingPathStep (through ``prefix``): its article is one
    staff can read (published, not deleted)."""
    return Q(
        **{
            f"{prefix}article__status": Article.Status.PUBLISHED,
            f"{prefix}article__deleted_at__isnull": True,
        }
    )


@dataclass
class PathStep:
    step: ReadingPathStep
    number: int  # 1-based among the path's visible steps
    done_at: datetime | None

    @property
    def article(self):
        return self.step.article

    @property
    def done(self):
        return self.done_at is not None


@dataclass
class PathProgress:
    """One path as a person sees it."""

    path: ReadingPath
    start: date | None
    steps: list[PathStep] = field(default_factory=list)
    today: date | None = None

    @property
    def total(self):
        return len(self.steps)

    @property
    def done_count(self):
        return sum(1 for step in self.steps if step.done)

    @property
    def is_done(self):
        return self.done_count == self.total

    @property
    def minutes_left(self):
        return sum(step.step.expected_minutes for step in self.steps if not step.done)

    @property
    def minutes_total(self):
        return sum(step.step.expected_minutes for step in self.steps)

    @property
    def next_step(self):
        return next((step for step in self.steps if not step.done), None)

    @property
    def percent(self):
        return round(100 * self.done_count / self.total) if self.total else 100

    @property
    def ends_on(self):
        """The last day of the period (None without a start)."""
        if self.start is None:
            return None
        return self.start + timedelta(days=settings.ONBOARDING_DAYS)

    @property
    def in_period(self):
        return self.ends_on is not None and (self.today or timezone.localdate()) <= self.ends_on

    @property
    def is_current(self):
        return self.in_period and not self.is_done


def _person_steps(user, *, cutoff=None):
    """The visible steps of the active paths for ``user``'s position, each
    with the person's mark and start (one query). ``cutoff``: only if the
    person started on it or later."""
    condition = Q(path__is_active=True, path__position__staff__user=user) & visible_steps()
    if cutoff is not None:
        condition &= started_since(cutoff, prefix="path__position__staff__")
    return (
        ReadingPathStep.objects.filter(condition)
        .annotate(
            done_at=Subquery(
                ReadingPathProgress.objects.filter(user=user, step=OuterRef("pk")).values(
                    "done_at"
                )[:1]
            ),
            person_started_on=Subquery(Profile.objects.filter(user=user).values("started_on")[:1]),
        )
        .select_related("path", "article__section")
        .only(
            "id",
            "order",
            "expected_minutes",
            "path__id",
            "path__title",
            "path__description",
            "article__id",
            "article__title",
            "article__slug",
            "article__summary",
            "article__section__id",
            "article__section__slug",
            "article__section__title",
        )
        .order_by("path__title", "path_id", "order", "id")
    )


def person_paths(*, user, today=None, current_only=False):
    """The paths for ``user``'s position with their progress (one query,
    whatever the number of steps). ``current_only``: only those current
    today (the home page's block)."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    cutoff = period_cutoff(today) if current_only else None
    paths = {}
    for step in _person_steps(user, cutoff=cutoff):
        progress = paths.get(step.path_id)
        if progress is None:
            start = start_of(started_on=step.person_started_on, date_joined=user.date_joined)
            progress = paths[step.path_id] = PathProgress(path=step.path, start=start, today=today)
        progress.steps.append(
            PathStep(step=step, number=len(progress.steps) + 1, done_at=step.done_at)
        )
    result = list(paths.values())
    if current_only:
        result = [progress for progress in result if progress.is_current]
    return result


# --- The managers' page ---------------------------------------------------------


@dataclass
class PersonRow:
    profile: Profile
    path: ReadingPath
    start: date | None
    total: int
    done: int
    last_mark: datetime | None
    overdue: bool

    @property
    def is_done(self):
        return self.total > 0 and self.done >= self.total


def progress_rows(*, scope, today=None):
    """Per person of ``scope`` who has a path and started within the last
    two periods (the period and as long again, so an overdue path stays in
    sight for a while), per path: steps done of all, the last mark and
    whether the period passed with steps left. Three queries whatever the
    numbers of people, paths and steps."""
    if scope.no_office:
        return []
    today = today or timezone.localdate()
    cutoff = period_cutoff(today)
    window = cutoff - timedelta(days=settings.ONBOARDING_DAYS)
    paths = list(
        ReadingPath.objects.filter(is_active=True)
        .annotate(total=Count("steps", filter=visible_steps(prefix="steps__")))
        .only("id", "title", "position_id")
        .order_by("title", "id")
    )
    paths = [path for path in paths if path.total]
    if not paths:
        return []
    by_position = {}
    for path in paths:
        by_position.setdefault(path.position_id, []).append(path)
    people = (
        Profile.objects.filter(
            scope.office_filter(),
            started_since(window),
            position_id__in=list(by_position),
        )
        .select_related("user", "position", "office")
        .only(
            "id",
            "started_on",
            "position__title",
            "office__title",
            "user__id",
            "user__first_name",
            "user__last_name",
            "user__username",
            "user__date_joined",
        )
        .order_by("office__title", "user__last_name", "user__first_name", "user__username")
    )
    people = list(people)
    if not people:
        return []
    marks = (
        ReadingPathProgress.objects.filter(
            visible_steps(prefix="step__"),
            step__path_id__in=[path.pk for path in paths],
            user__profile__in=Profile.objects.filter(
                scope.office_filter(), started_since(window), position_id__in=list(by_position)
            ),
        )
        .values("user_id", "step__path_id")
        .annotate(done=Count("id"), last=Max("done_at"))
        .order_by()
    )
    done = {(row["user_id"], row["step__path_id"]): (row["done"], row["last"]) for row in marks}
    rows = []
    for profile in people:
        start = start_of(started_on=profile.started_on, date_joined=profile.user.date_joined)
        for path in by_position[profile.position_id]:
            count, last = done.get((profile.user_id, path.pk), (0, None))
            rows.append(
                PersonRow(
                    profile=profile,
                    path=path,
                    start=start,
                    total=path.total,
                    done=count,
                    last_mark=last,
                    overdue=count < path.total and start is not None and start < cutoff,
                )
            )
    return rows


# --- The article page's note ------------------------------------------------------
# A part of contributions.selectors.article_reader_state's one statement, so
# that a person without a path costs the article page no query at all.


@cache
def onboarding_step_sql():
    """A scalar subquery: the step the article (first %s) is on an active
    path for the person's (second %s) position, while the person's period
    lasts: a start date on or after the third %s, or none and the fourth %s
    true (they joined since: known from the request's user, so no join to
    the users' table). Built from the models' own names; values are
    parameters."""
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return f"{table(model)}.{quote(model._meta.get_field(name).column)}"

    step, path, profile = ReadingPathStep, ReadingPath, Profile
    started = column(profile, "started_on")
    # Only the models' own names go into the text (S608 cannot see that).
    return (
        f"(SELECT {column(step, 'id')} FROM {table(step)}"  # noqa: S608
        f" JOIN {table(path)} ON {column(path, 'id')} = {column(step, 'path')}"
        f" JOIN {table(profile)} ON {column(profile, 'position')} = {column(path, 'position')}"
        f" WHERE {column(step, 'article')} = %s AND {column(profile, 'user')} = %s"
        f" AND {column(path, 'is_active')} = %s"
        f" AND ({started} >= %s OR ({started} IS NULL AND %s))"
        f" ORDER BY {column(path, 'title')}, {column(path, 'id')} LIMIT 1)"
    )


def onboarding_step_params(*, article_id, user, today=None):
    cutoff = period_cutoff(today)
    joined_since = timezone.make_aware(datetime.combine(cutoff, time.min))
    joined_recently = user.date_joined is not None and user.date_joined >= joined_since
    cutoff = connection.ops.adapt_datefield_value(cutoff)
    return [article_id, user.pk, True, cutoff, joined_recently]


@dataclass
class StepNote:
    """«Шаг k из M пути новичка» on an article page."""

    progress: PathProgress
    item: PathStep


def article_step_note(*, user, step_id):
    """The note for the step ``step_id`` (from the reader state), or None
    when its path is done or the step is hidden (one query)."""
    if step_id is None:
        return None
    for progress in person_paths(user=user, current_only=True):
        for item in progress.steps:
            if item.step.pk == step_id:
                return StepNote(progress=progress, item=item)
    return None
