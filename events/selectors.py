"""Reads of events: who an event is for, the filters, the month grid, the
lists, the home block and the feed.

«Для меня» is the audience rule of ``people.audiences`` (office subtrees,
positions, roles; nothing chosen: everyone), computed in SQL by
``member_sql`` inside the statement that reads the events — one
uncorrelated subquery listing the events' audiences that hold the person,
so membership costs no query of its own whatever the numbers. As with
the targeting of materials it is discovery, not access: everyone sees
every event."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from events.models import Event
from people.audiences import member_sql
from people.models import AudienceOffice, AudiencePosition, AudienceRole
from people.roles import is_editor

# The columns an event's card shows (lists, the calendar, the home block).
CARD_FIELDS = (
    "id",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "all_day",
    "place",
    "online_url",
    "audience_id",
    "organiser_office_id",
    "organiser_office__title",
)


def _audiences_of(user):
    """SQL listing the events' audiences that hold ``user`` (a RawSQL)."""
    quote = connection.ops.quote_name
    events = quote(Event._meta.db_table)
    condition, order = member_sql(audience="ev_me.audience_id", user="%s")
    users = sum(1 for name in order if name == "user")
    # Only the model's table name and member_sql's text; the person is a parameter.
    sql = (
        f"SELECT ev_me.audience_id FROM {events} ev_me"  # noqa: S608
        f" WHERE ev_me.audience_id IS NOT NULL AND {condition}"
    )
    return RawSQL(sql, [user.pk] * users)  # noqa: S611


def for_me(user):
    """A filter: the events for ``user`` — for everyone, or with an audience
    that holds them."""
    return Q(audience__isnull=True) | Q(audience_id__in=_audiences_of(user))


def with_targeting(queryset, user):
    """Each event with ``targeted``: it names an audience and ``user`` is in
    it (the «для вас» mark; an event for everyone is not marked)."""
    return queryset.annotate(
        targeted=Case(
            When(audience_id__in=_audiences_of(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def cards(queryset):
    return queryset.select_related("organiser_office").only(*CARD_FIELDS)


@dataclass(frozen=True)
class Filters:
    """The valid filters of the pages (``events.forms.EventFilterForm``)."""

    month: date | None = None  # the first day of the month
    mine: bool = False
    office_id: int | None = None  # the organiser's office, with the offices under it
    office_tree: tuple | None = None  # its (tree_id, lft, rght)
    format: str = ""
    kind: str = ""

    def query(self, **changes):
        """The filters as a query string (``?…``, or "" for none), with
        ``changes`` (e.g. another month)."""
        values = {
            "month": self.month.strftime("%Y-%m") if self.month else "",
            "mine": "1" if self.mine else "",
            "office": self.office_id or "",
            "format": self.format,
            "kind": self.kind,
        }
        for name, value in changes.items():
            values[name] = value.strftime("%Y-%m") if isinstance(value, date) else value
        kept = {name: value for name, value in values.items() if value}
        return "?" + urlencode(kept) if kept else ""

    @property
    def any(self):
        return bool(self.mine or self.office_id or self.format or self.kind)


def filtered(queryset, filters, user):
    if filters.mine:
        queryset = queryset.filter(for_me(user))
    if filters.office_tree is not None:
        tree_id, lft, rght = filters.office_tree
        queryset = queryset.filter(
            organiser_office__tree_id=tree_id,
            organiser_office__lft__gte=lft,
            organiser_office__lft__lte=rght,
        )
    if filters.format == Event.Format.ONLINE:
        queryset = queryset.exclude(online_url="")
    elif filters.format == Event.Format.OFFLINE:
        queryset = queryset.exclude(place="")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset


# --- The month calendar ------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class Month:
    first: date  # the month's first day
    weeks: list  # of lists of seven Days, Monday first
    events: list  # the month's events in order (the list under the grid, the phone's view)

    @property
    def previous(self):
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        return (self.first + timedelta(days=32)).replace(day=1)


def month_grid(first, events, today):
    """The weeks (Monday to Sunday) covering the month of ``first``, each day
    with the ``events`` taking place on it by the local calendar (an event of
    several days on each of them)."""
    weeks = [
        [Day(day=day, in_month=day.month == first.month, is_today=day == today) for day in week]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    ]
    days = {cell.day: cell for week in weeks for cell in week}
    for event in events:
        day = max(event.first_day, weeks[0][0].day)
        while day <= event.last_day and day in days:
            days[day].events.append(event)
            day += timedelta(days=1)
    return weeks


def month_calendar(*, first, filters, user, today=None):
    """The month of ``first`` with its filtered events (one query)."""
    today = today or timezone.localdate()
    weeks_range = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    shown_from, shown_to = weeks_range[0][0], weeks_range[-1][-1]
    events = list(
        with_targeting(
            cards(filtered(Event.objects.between(shown_from, shown_to), filters, user)), user
        ).order_by("starts_at", "id")
    )
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    in_month = [e for e in events if e.first_day <= last and e.last_day >= first]
    return Month(first=first, weeks=month_grid(first, events, today), events=in_month)


# --- Lists ----------------------------------------------------------------------------


def event_list(*, filters, user, past, now=None):
    """Upcoming events (not ended yet, soonest first) or past ones (latest
    first), filtered; a month narrows either to that month."""
    now = now or timezone.now()
    events = filtered(Event.objects.all(), filters, user)
    if filters.month is not None:
        last = (filters.month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        events = events.between(filters.month, last)
    if past:
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    return with_targeting(cards(events), user)


def upcoming_for(user, *, limit=5, now=None):
    """The next few events for ``user``'s audience, for the home page (one query)."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    events = Event.objects.filter(for_me(user), ends_at__gte=now).order_by("starts_at", "id")
    return list(with_targeting(cards(events), user)[:limit])


# --- One event ---------------------------------------------------------------------


def event_for_page(*, pk, user):
    """The event with its organiser, report and «для вас» mark, or None."""
    return with_targeting(
        Event.objects.select_related(
            "organiser_user", "organiser_office", "report__section"
        ).filter(pk=pk),
        user,
    ).first()


def visible_report(event, user):
    """The event's report article if ``user`` may open it, else None (read
    with the event: no query)."""
    report = event.report
    if report is None or report.deleted_at is not None:
        return None
    if report.status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED) or is_editor(user):
        return report
    return None


def event_materials(*, event, user):
    """The event's materials ``user`` may open, by title (one query)."""
    return list(
        Article.objects.visible_to(user)
        .filter(events=event)
        .select_related("section")
        .only("id", "title", "slug", "kind", "status", "section__slug", "section__title")
        .order_by("title", "id")
    )


@dataclass(frozen=True)
class AudienceNames:
    offices: list
    positions: list
    roles: list

    @property
    def everyone(self):
        return not (self.offices or self.positions or self.roles)


def audience_names(audience_id):
    """What the event's audience names, in words (three small queries; none
    for an event for everyone)."""
    if audience_id is None:
        return AudienceNames([], [], [])
    return AudienceNames(
        offices=list(
            AudienceOffice.objects.filter(audience_id=audience_id)
            .order_by("office__tree_id", "office__lft")
            .values_list("office__title", flat=True)
        ),
        positions=list(
            AudiencePosition.objects.filter(audience_id=audience_id)
            .order_by("position__title")
            .values_list("position__title", flat=True)
        ),
        roles=list(
            AudienceRole.objects.filter(audience_id=audience_id)
            .order_by("role__name")
            .values_list("role__name", flat=True)
        ),
    )


# --- The feed ---------------------------------------------------------------------

# How far back the calendar feed reaches: a calendar keeps what it has seen,
# and recent past events stay visible in it.
FEED_DAYS_BACK = 90


def feed_events(*, user, now=None):
    """The events for ``user`` from FEED_DAYS_BACK days ago on (one query)."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(for_me(user), ends_at__gte=now - timedelta(days=FEED_DAYS_BACK))
        .select_related("organiser_office", "organiser_user")
        .order_by("starts_at", "id")
    )
