"""Reads for the CX dashboard and the home page pulse.

Everything the filters can express (period, office subtree, client type,
group, channel) is a key of `MonthlySlice`, so the index, the trend, the
office ranking and the group/channel breakdowns come from summed slice
counts — exact shares, a few thousand rows at most. Only the breakdown by
service and the comments read raw `FeedbackResponse` rows, filtered by month
range and office (both indexed). The number of queries does not depend on the
amount of data.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dashboards import cx as cxm
from dashboards.forms import PeriodKind, add_months, last_complete, months_between, this_month
from feedback.aggregates import slice_aggregates
from feedback.models import (
    Channel,
    ClientGroup,
    FeedbackResponse,
    ImportBatch,
    MonthlySlice,
    OperationalIndicator,
    ResponseTopic,
    ServiceSlice,
    Topic,
)
from people.models import Office
from people.scopes import Scope, office_scope, offices_marked

_NO_SERVICE = _("услуга не указана")
TREND_MONTHS = 12
# The stamp changes with every import, so entries need no short expiry; the
# limit only keeps stale ones from piling up.
CACHE_SECONDS = 60 * 60 * 6
COMMENTS_LIMIT = 30
# Operational indicators that add up over months; the others are averaged.
SUMMED_INDICATORS = {
    OperationalIndicator.Code.CONTACTS,
    OperationalIndicator.Code.COMPLAINTS,
    OperationalIndicator.Code.JUSTIFIED_COMPLAINTS,
    OperationalIndicator.Code.EMPLOYED,
    OperationalIndicator.Code.VACANCIES,
}

_SUMS = {name: Sum(name) for name in cxm.COUNT_FIELDS}


def data_stamp():
    """What the cached figures depend on, in one cheap query: (token, latest month).

    `slices_refresh` deletes and re-creates the slices an import touches, so
    every import raises the slices' highest id (ids are never reused:
    AUTOINCREMENT on SQLite, a sequence on PostgreSQL). A rollback may only
    delete, so the batches' count and latest finish/rollback times count
    too; operational indicators are imported without slices, so their count,
    highest id and sum count as well. Every part is an index lookup or a
    small table: no scan of the slices. ``latest`` is the newest month with
    responses, or None.
    """
    slices = MonthlySlice._meta.db_table
    batches = ImportBatch._meta.db_table
    indicators = OperationalIndicator._meta.db_table
    topics = Topic._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {slices}), (SELECT MAX(month) FROM {slices}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {batches}), (SELECT MAX(id) FROM {batches}), "
            f"(SELECT MAX(finished_at) FROM {batches}), "
            f"(SELECT MAX(rolled_back_at) FROM {batches}), "
            f"(SELECT COUNT(*) FROM {indicators}), (SELECT MAX(id) FROM {indicators}), "
            f"(SELECT SUM(value) FROM {indicators}), "
            # Topics: renamed (changed_at) or re-applied to the comments (tagged_at).
            f"(SELECT MAX(changed_at) FROM {topics}), (SELECT MAX(tagged_at) FROM {topics})"
        )
        last_slice, latest, *rest = cursor.fetchone()
    if isinstance(latest, str):  # SQLite hands dates back as text in raw queries
        latest = dt.date.fromisoformat(latest)
    return ".".join(str(part) for part in (last_slice, *rest)), latest


def _settings_token():
    return repr(
        (
            sorted(settings.CX_GROUP_WEIGHTS.items()),
            settings.CX_CITIZEN_WEIGHT,
            settings.CX_EMPLOYER_WEIGHT,
            settings.CX_MIN_RESPONSES,
            get_language(),
        )
    )


def cache_key(name, stamp, parts):
    """The cache key of figures ``name`` for the data stamp, settings and ``parts``."""
    raw = f"{name}|{stamp}|{_settings_token()}|{parts}"
    return f"dashboards:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(name, stamp, parts, compute, timeout=CACHE_SECONDS):
    """``compute()`` through Django's cache, keyed by the data stamp and ``parts``."""
    key = cache_key(name, stamp, parts)
    hit = cache.get(key)
    if hit is None:
        hit = (compute(),)  # a tuple, so that a computed None is cached too
        cache.set(key, hit, timeout)
    return hit[0]


def offices_all(*, user=None):
    """Every office in tree order (one query; a region has a few dozen).
    With ``user``, each is marked whether it is that person's office (see
    ``people.scopes.offices_marked``), in the same query."""
    offices = Office.objects.only(
        "id", "title", "kind", "parent_id", "tree_id", "lft", "rght", "level"
    ).order_by("tree_id", "lft")
    if user is not None:
        offices = offices_marked(user=user, offices=offices)
    return list(offices)


@dataclass
class OfficeTree:
    offices: list

    def __post_init__(self):
        self.by_id = {office.pk: office for office in self.offices}

    @property
    def token(self):
        """Changes when an office is renamed or moved: part of the cache key."""
        return hashlib.sha256(
            repr(
                [(o.pk, o.title, o.parent_id, o.tree_id, o.lft, o.rght) for o in self.offices]
            ).encode()
        ).hexdigest()

    def subtree(self, office):
        return [
            o
            for o in self.offices
            if o.tree_id == office.tree_id and office.lft <= o.lft and o.rght <= office.rght
        ]

    def ancestors(self, office):
        chain = []
        parent = self.by_id.get(office.parent_id)
        while parent is not None:
            chain.append(parent)
            parent = self.by_id.get(parent.parent_id)
        return chain[::-1]

    def children(self, office):
        if office is None:
            return [o for o in self.offices if o.parent_id is None]
        return [o for o in self.offices if o.parent_id == office.pk]

    def row_of(self, rows):
        """{office id: the row (one of ``rows``) whose subtree holds it}."""
        mapping = {}
        for row in rows:
            for o in self.subtree(row):
                mapping[o.pk] = row.pk
        return mapping


@dataclass
class DashboardScope:
    """What of the office tree a person's dashboard covers.

    ``region``: the person sees the whole region (the working group,
    administrators, a manager of the root office), so «весь регион» is a
    choice and ``tree`` holds every office. Otherwise ``tree`` is the
    subtree of the person's office, the dashboard opens on that office and
    no other can be chosen. ``tree`` is None for a manager without an office.
    """

    scope: Scope
    tree: OfficeTree | None
    region: bool

    @property
    def no_office(self):
        return self.tree is None

    @property
    def key(self):
        """Part of every cache key: figures are never shared across scopes."""
        return "all" if self.region else self.scope.key

    @property
    def default_office_id(self):
        """The office a view without one opens on (None: the region)."""
        return None if self.region else self.scope.office.pk

    def allows(self, office_id):
        """Whether the office ``office_id`` may be shown (None: the default)."""
        return office_id is None or (self.tree is not None and office_id in self.tree.by_id)


def dashboard_scope(*, user):
    """The DashboardScope of ``user`` (``people.scopes.office_scope``) and
    the offices in it: one query, the same one that reads the tree."""
    offices = offices_all(user=user)
    return _dashboard_scope(office_scope(user=user, offices=offices), offices)


def office_dashboard_scope(*, office, offices):
    """What a head of ``office`` sees, of ``offices`` (all of them): for the
    monthly report, which is about the office of the person's profile."""
    return _dashboard_scope(Scope(office=office), offices)


def _dashboard_scope(scope, offices):
    if scope.no_office:
        return DashboardScope(scope=scope, tree=None, region=False)
    region = scope.is_whole(offices)
    if not region:
        offices = [office for office in offices if scope.contains(office)]
    return DashboardScope(scope=scope, tree=OfficeTree(offices), region=region)


def report_cached(*, filters, seen, stamp, latest, current_month):
    """``cx_report`` for ``filters`` within the DashboardScope ``seen``,
    through the cache; ``report.cache_key`` is its key (the page caches its
    rendered figures under it). ``stamp`` and ``latest``: ``data_stamp()``."""
    # The month in progress is part of the key: whether the period is still
    # partial (and its change hidden) changes on the 1st of a month. The
    # scope too: the tree, the ancestors and the rows depend on it, and one
    # office's figures must never reach a person of another office.
    parts = f"{filters.cache_key()}|{latest}|{current_month}|{seen.tree.token}|{seen.key}"
    report = cached(
        "report",
        stamp,
        parts,
        lambda: cx_report(filters, seen.tree, latest_month=latest, current_month=current_month),
    )
    # The rendered figures depend on exactly what the report does: the page
    # caches that fragment under the same key.
    report.cache_key = cache_key("report", stamp, parts)
    return report


def _slices(filters, start, end, office_ids):
    queryset = MonthlySlice.objects.filter(month__gte=start, month__lte=end)
    if office_ids is not None:
        queryset = queryset.filter(office_id__in=office_ids)
    for name in ("client_type", "client_group", "channel"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    return queryset.order_by()


def _responses(filters, office_ids):
    period = filters.period
    queryset = FeedbackResponse.objects.filter(month__gte=period.start, month__lte=period.end)
    if office_ids is not None:
        queryset = queryset.filter(office_id__in=office_ids)
    for name in ("client_type", "client_group", "channel"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    return queryset


@dataclass
class Row:
    """One line of a breakdown: a label, its CX figures and, for offices, more."""

    key: object
    label: str
    cx: cxm.Cx
    rank: int | None = None
    office: Office | None = None
    cells: list = field(default_factory=list)  # heat map: a Cx per month
    indicators: dict = field(default_factory=dict)
    own: bool = False  # the selected office's own responses, not its sub-offices'
    previous: cxm.Cx | None = None  # the same row in the previous period (offices)
    lag: object = None  # offices: a Lag, the group this one lags the slice most in

    @property
    def change(self):
        if self.previous is None or self.cx.value is None or self.previous.value is None:
            return None
        return self.cx.value - self.previous.value

    def lag_against(self, baseline):
        """The group in which this row falls furthest below ``baseline``
        ({code: GroupScore}, the whole slice's): (code, its score, the gap),
        or None. Every office is weakest in the same group when that group
        is low everywhere; the gap says where this one lags the others."""
        gaps = [
            (g.value - baseline[code].value, code, g.value)
            for code, g in cxm.weighted_groups(self.cx).items()
            if g.value is not None and baseline.get(code) and baseline[code].value is not None
        ]
        if not gaps:
            return None
        gap, code, value = min(gaps)
        return Lag(code, value, gap)


@dataclass(frozen=True)
class Lag:
    code: str
    value: float
    gap: float  # points against the whole slice, < 0 when below it

    @property
    def title(self):
        return cxm.GROUP_TITLES[self.code]

    @property
    def short(self):
        return cxm.GROUP_SHORT[self.code]


def _rank(rows):
    """Rank the rows with enough answers by index; the others go last, unranked."""
    ranked = sorted(
        (r for r in rows if r.cx.enough and r.cx.value is not None),
        key=lambda r: (-round(r.cx.value, 1), r.label),
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    others = sorted((r for r in rows if r.rank is None), key=lambda r: r.label)
    return ranked + others


def _by_type(rows_by_key):
    """{key: {client_type: counts}} -> {key: Cx}."""
    return {key: cxm.cx_index(by_type) for key, by_type in rows_by_key.items()}


@dataclass
class Report:
    filters: object
    office: Office | None
    ancestors: list
    trend_months: list
    cx: cxm.Cx
    previous: cxm.Cx
    groups: dict
    trend: list  # of (month, Cx)
    offices: list  # of Row
    client_groups: list
    services: list
    channels: list
    comments: list
    latest_month: object
    current_month: object  # the month in progress when the report was made
    topics: list = field(default_factory=list)  # of TopicRow

    @property
    def partial(self):
        """The period has not ended: its figures are not comparable with a whole one."""
        return self.filters.period.is_partial(self.current_month)

    @property
    def change(self):
        """The change of the index to the previous period; None for a partial period."""
        if self.partial or self.cx.value is None or self.previous.value is None:
            return None
        return self.cx.value - self.previous.value

    def is_partial_month(self, month):
        return month >= self.current_month


def cx_report(filters, tree, *, latest_month=None, current_month=None, with_comments=True):
    """Everything the dashboard shows for ``filters`` (and exports)."""
    period = filters.period
    current_month = current_month or this_month()
    office = tree.by_id.get(filters.office_id) if filters.office_id else None
    office_ids = [o.pk for o in tree.subtree(office)] if office else None

    trend_start = add_months(period.end, -(TREND_MONTHS - 1))
    trend_start = min(trend_start, period.start)
    window_start = min(trend_start, period.previous().start)
    trend_months = months_between(trend_start, period.end)

    # 1. month × office × client type over the trend window and the previous period.
    # Sums are kept as lists (fast to add) and become count dicts at the end.
    rows = (
        _slices(filters, window_start, period.end, office_ids)
        .values_list("month", "office_id", "client_type")
        .annotate(**_SUMS)
    )
    # Rows of the office table: the children of the chosen office or, for
    # the whole region with a single root, the root's children; the parent's
    # own responses (if any) make one more row.
    parent = office or (roots[0] if len(roots := tree.children(None)) == 1 else None)
    row_offices = tree.children(parent)
    own_row = parent is not None
    row_of = tree.row_of(row_offices)
    if own_row:
        row_of.setdefault(parent.pk, "own")
    width = len(cxm.COUNT_FIELDS)
    zero = [0] * width
    by_month_office = {}  # (month, row key or None, client type) -> sums
    for month, office_id, client_type, *values in rows:
        key = (month, row_of.get(office_id), client_type)
        so_far = by_month_office.get(key)
        by_month_office[key] = (
            values if so_far is None else [a + b for a, b in zip(so_far, values, strict=True)]
        )

    def add(target, key, values):
        so_far = target.get(key, zero)
        target[key] = [a + b for a, b in zip(so_far, values, strict=True)]

    prev = period.previous()
    current, previous, by_month, by_office, by_office_month = {}, {}, {}, {}, {}
    prev_by_office = {}
    for (month, row_key, client_type), values in by_month_office.items():
        in_period = period.start <= month <= period.end
        in_previous = prev.start <= month <= prev.end
        if in_period:
            add(current, client_type, values)
        if in_previous:
            add(previous, client_type, values)
        if month >= trend_start:
            add(by_month, (month, client_type), values)
        if row_key is None:
            continue
        if in_period:
            add(by_office, (row_key, client_type), values)
        if in_previous:
            add(prev_by_office, (row_key, client_type), values)
        if month >= trend_start:
            add(by_office_month, (row_key, month, client_type), values)

    current = _as_counts(current)
    previous = _as_counts(previous)
    by_month = _nest(by_month)
    by_office = _nest(by_office)
    prev_by_office = _nest(prev_by_office)
    by_office_month = {
        (row_key, month): by_type
        for (row_key, month), by_type in _nest(by_office_month, depth=2).items()
    }

    cx_now = cxm.cx_index(current)
    trend = [(month, cxm.cx_index(by_month.get(month, {}))) for month in trend_months]

    office_rows = []
    indicator_targets = {}
    for row_office in row_offices:
        if row_office.pk not in by_office and not _has_months(by_office_month, row_office.pk):
            continue
        office_rows.append(Row(row_office.pk, row_office.title, _cx(by_office, row_office.pk)))
        office_rows[-1].office = row_office
        indicator_targets[row_office.pk] = [o.pk for o in tree.subtree(row_office)]
    if own_row and ("own" in by_office or _has_months(by_office_month, "own")):
        own = Row("own", parent.title, _cx(by_office, "own"), office=parent, own=True)
        office_rows.append(own)
        indicator_targets["own"] = [parent.pk]
    groups = cxm.weighted_groups(cx_now)
    for row in office_rows:
        row.previous = _cx(prev_by_office, row.key)
        row.lag = row.lag_against(groups)
        row.cells = [
            cxm.cx_cell(by_office_month.get((row.key, month), {})) for month in trend_months
        ]
    attach_indicators(office_rows, indicator_targets, period)

    # 2. client groups and 3. channels over the period
    client_groups = _breakdown(
        filters,
        office_ids,
        "client_group",
        {**dict(ClientGroup.choices), EMPLOYERS_ROW: _("работодатели")},
        employers_apart=True,
    )
    channels = _breakdown(filters, office_ids, "channel", dict(Channel.choices))
    # 4. services from raw responses
    services = _services(filters, office_ids)
    # 5. comments, 6. indicators (in attach_indicators)
    comments = latest_comments(filters, office_ids) if with_comments else []
    # 7. comment topics over the period and the one before
    topics = topic_rows(
        filters,
        office_ids,
        responses=cx_now.responses,
        previous_responses=cxm.cx_index(previous).responses,
    )

    return Report(
        filters=filters,
        office=office,
        ancestors=tree.ancestors(office) if office else [],
        trend_months=trend_months,
        cx=cx_now,
        previous=cxm.cx_index(previous),
        groups=groups,
        trend=trend,
        offices=_rank(office_rows),
        client_groups=client_groups,
        services=services,
        channels=channels,
        comments=comments,
        latest_month=latest_month,
        current_month=current_month,
        topics=topics,
    )


def _as_counts(by_type):
    return {
        key: dict(zip(cxm.COUNT_FIELDS, values, strict=True)) for key, values in by_type.items()
    }


def _nest(sums, depth=1):
    """{(*key, client_type): sums} -> {key: {client_type: counts}}."""
    nested = defaultdict(dict)
    for key, values in sums.items():
        outer = key[0] if depth == 1 else key[:depth]
        nested[outer][key[-1]] = dict(zip(cxm.COUNT_FIELDS, values, strict=True))
    return nested


def _has_months(by_office_month, key):
    return any(row_key == key for row_key, _month in by_office_month)


def _cx(by_key, key):
    return cxm.cx_index(by_key.get(key, {}))


# The key of the employers' row of the client-group breakdown.
EMPLOYERS_ROW = "employers"


def _breakdown(filters, office_ids, name, labels, *, employers_apart=False):
    """Rows of ``name``'s values over the period, ranked.

    Client groups (job seeker, youth…) describe citizens; an employer's
    answer carries «иное» only because the field must hold something. With
    ``employers_apart`` employers make one row of their own, so «иное» is
    the few citizens outside the named groups, not every employer.
    """
    period = filters.period
    rows = (
        _slices(filters, period.start, period.end, office_ids)
        .values_list(name, "client_type")
        .annotate(**_SUMS)
    )
    grouped = defaultdict(lambda: defaultdict(cxm.empty_counts))
    for key, client_type, *values in rows:
        if employers_apart and client_type == cxm.EMPLOYER:
            key = EMPLOYERS_ROW
        cxm.add_counts(grouped[key][client_type], dict(zip(cxm.COUNT_FIELDS, values, strict=True)))
    result = [Row(key, str(labels.get(key, key)), cx) for key, cx in _by_type(grouped).items()]
    return _rank(result)


# What a breakdown row shows (index, stars, interval, CSAT, NPS, responses):
# the raw service query computes only these counters, the rest stay 0.
BREAKDOWN_FIELDS = (
    *(
        name
        for name in cxm.COUNT_FIELDS
        if name.endswith(("_n", "_fav")) and not name.startswith(("on_time", "wait"))
    ),
    "responses",
    "nps_promoters",
    "nps_detractors",
    "solved_yes",
)


def _services(filters, office_ids):
    """The breakdown by service: from the service slices, or from the raw
    responses when a client group or channel narrows the slice (the service
    slices are not split by those)."""
    if filters.client_group or filters.channel:
        aggregates = slice_aggregates()
        rows = (
            _responses(filters, office_ids)
            .order_by()
            .values_list("service_id", "service__title", "client_type")
            .annotate(**{name: aggregates[name] for name in BREAKDOWN_FIELDS})
        )
    else:
        period = filters.period
        slices = ServiceSlice.objects.filter(month__gte=period.start, month__lte=period.end)
        if office_ids is not None:
            slices = slices.filter(office_id__in=office_ids)
        if filters.client_type:
            slices = slices.filter(client_type=filters.client_type)
        rows = (
            slices.order_by()
            .values_list("service_id", "service__title", "client_type")
            .annotate(**{name: Sum(name) for name in BREAKDOWN_FIELDS})
        )
    grouped = defaultdict(lambda: defaultdict(cxm.empty_counts))
    titles = {}
    for service_id, title, client_type, *values in rows:
        titles[service_id] = title
        grouped[service_id][client_type].update(zip(BREAKDOWN_FIELDS, values, strict=True))
    return _rank(
        [Row(key, titles.get(key) or str(_NO_SERVICE), cx) for key, cx in _by_type(grouped).items()]
    )


def latest_comments(filters, office_ids, limit=COMMENTS_LIMIT):
    """The newest ``limit`` comments of the slice, lowest CSAT first.

    Only the dashboard shows them; they carry no personal data (responses
    hold none), only the client's own words.
    """
    comments = list(
        _responses(filters, office_ids)
        .exclude(comment="")
        .select_related("office", "service")
        .only(
            "submitted_at",
            "office__title",
            "service__title",
            "client_type",
            "client_group",
            "channel",
            "csat",
            "nps",
            "problem_solved",
            "comment",
        )
        .order_by("-submitted_at", "-pk")[:limit]
    )
    comments.sort(key=lambda r: (r.csat is None, r.csat or 0, -r.submitted_at.timestamp()))
    return comments


@dataclass
class TopicRow:
    """A topic of the period's comments: how many, how negative, how it moved.

    ``share`` is the part of all the period's responses (not only the
    commented ones) whose comment has the topic, so that periods with more
    answers compare fairly; the change is in percentage points of it.
    """

    topic_id: int
    name: str
    count: int
    negative: int
    previous_count: int
    responses: int
    previous_responses: int
    url: str = ""

    @property
    def share(self):
        return 100 * self.count / self.responses if self.responses else None

    @property
    def previous_share(self):
        if not self.previous_responses:
            return None
        return 100 * self.previous_count / self.previous_responses

    @property
    def negative_share(self):
        return 100 * self.negative / self.count if self.count else None

    @property
    def enough(self):
        return self.count >= settings.CX_MIN_RESPONSES

    @property
    def change(self):
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share


def _topic_links(filters, office_ids, start, end):
    links = ResponseTopic.objects.filter(month__gte=start, month__lte=end)
    if office_ids is not None:
        links = links.filter(office_id__in=office_ids)
    for name in ("client_type", "client_group", "channel"):
        if getattr(filters, name):
            links = links.filter(**{name: getattr(filters, name)})
    return links.order_by()


def topic_rows(filters, office_ids, *, responses, previous_responses):
    """The topics of the slice's comments, most mentioned first (one query:
    the period and the previous one counted together from the links)."""
    period = filters.period
    before = period.previous()
    in_period = Q(month__gte=period.start)
    rows = (
        _topic_links(filters, office_ids, before.start, period.end)
        .values_list("topic_id", "topic__name")
        .annotate(
            count=Count("id", filter=in_period),
            negative=Count("id", filter=in_period & Q(negative=True)),
            previous_count=Count("id", filter=Q(month__lt=period.start)),
        )
    )
    result = [
        TopicRow(
            topic_id=topic_id,
            name=name,
            count=count,
            negative=negative,
            previous_count=previous_count,
            responses=responses,
            previous_responses=previous_responses,
        )
        for topic_id, name, count, negative, previous_count in rows
        if count
    ]
    result.sort(key=lambda row: (-row.count, row.name))
    return result


def topics_active():
    """The active topics, in the dictionary's order (for the comments filter)."""
    return list(Topic.objects.filter(is_active=True).only("id", "name"))


def topic_comments(filters, office_ids, *, topic_id=None, terms=()):
    """The slice's commented responses, newest first (a queryset to page):
    of one topic, and holding every term of ``terms`` (the search analysis
    of what was typed)."""
    responses = _responses(filters, office_ids).exclude(comment="")
    if topic_id is not None:
        period = filters.period
        links = _topic_links(filters, office_ids, period.start, period.end).filter(
            topic_id=topic_id
        )
        responses = responses.filter(pk__in=links.values("response_id"))
    for term in terms:
        responses = responses.filter(comment_terms__contains=f" {term} ")
    return (
        responses.select_related("office", "service")
        .only(
            "submitted_at",
            "office__title",
            "service__title",
            "client_type",
            "client_group",
            "channel",
            "csat",
            "nps",
            "problem_solved",
            "complaint",
            "comment",
        )
        .order_by("-submitted_at", "-pk")
    )


def topics_of_responses(response_ids):
    """{response id: [topic names]} for a page of comments (one query)."""
    found = defaultdict(list)
    links = (
        ResponseTopic.objects.filter(response_id__in=response_ids)
        .order_by("topic__order", "topic__name")
        .values_list("response_id", "topic__name")
    )
    for response_id, name in links:
        found[response_id].append(name)
    return found


def attach_indicators(rows, targets, period):
    """Operational indicators per office row for the period (one query)."""
    wanted = {office_id for ids in targets.values() for office_id in ids}
    if not wanted:
        return
    values = (
        OperationalIndicator.objects.filter(
            month__gte=period.start, month__lte=period.end, office_id__in=wanted
        )
        .order_by()
        .values_list("office_id", "code")
        .annotate(total=Sum("value"), months=Count("id"))
    )
    per_office = defaultdict(dict)
    for office_id, code, total, months in values:
        per_office[office_id][code] = (total, months)
    for row in rows:
        merged = {}
        for office_id in targets[row.key]:
            for code, (total, months) in per_office.get(office_id, {}).items():
                so_far = merged.get(code, (0, 0))
                merged[code] = (so_far[0] + total, so_far[1] + months)
        row.indicators = {
            code: (total if code in SUMMED_INDICATORS else total / months)
            for code, (total, months) in merged.items()
        }


def pulse(months=TREND_MONTHS):
    """The region's index for the home page, cached by the data stamp.

    The month shown is the last complete one, by the same rule as the
    dashboard and /cx/ (``dashboards.forms.last_complete``): on the 1st, the
    month just begun has a day of answers, not a figure to compare with a
    whole month; a complete month without answers is shown as such, not
    replaced by an older one. Only when there is nothing before the month in
    progress is that month shown, marked partial and without a change. One
    query when cached (the stamp), two when not. None without feedback.
    """
    stamp, latest = data_stamp()
    current_month = this_month()
    return cached(
        "pulse",
        stamp,
        f"{months}|{current_month}",
        lambda: _pulse(months, current_month, latest=latest),
    )


def _pulse(months, current_month, *, latest):
    rows = (
        MonthlySlice.objects.filter(month__lte=current_month)
        .order_by()
        .values_list("month", "client_type")
        .annotate(**_SUMS)
        .order_by("-month")[: (months + 2) * 2]
    )
    by_month = defaultdict(lambda: defaultdict(cxm.empty_counts))
    for month, client_type, *values in rows:
        cxm.add_counts(
            by_month[month][client_type], dict(zip(cxm.COUNT_FIELDS, values, strict=True))
        )
    if not by_month:
        return None
    if any(month < current_month for month in by_month):
        shown = last_complete(PeriodKind.MONTH, latest=latest, current_month=current_month).start
    else:
        shown = current_month  # the first month of data, still in progress
    partial = shown >= current_month
    window = months_between(add_months(shown, -(months - 1)), shown)
    trend = [(month, cxm.cx_index(by_month.get(month, {}))) for month in window]
    current = trend[-1][1]
    before = cxm.cx_index(by_month.get(add_months(shown, -1), {}))
    change = (
        current.value - before.value
        if current.value is not None and before.value is not None and not partial
        else None
    )
    return {
        "month": shown,
        "partial": partial,
        "cx": current,
        "trend": trend,
        "change": change,
        "previous": before,
    }
