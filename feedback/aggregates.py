"""Monthly slices: the pre-aggregated counts the dashboard reads."""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from feedback.models import (
    SCORE_FIELDS,
    FeedbackResponse,
    MonthlySlice,
    ProblemSolved,
    ServiceSlice,
)

SLICE_KEY = ("month", "office_id", "client_type", "client_group", "channel")
SERVICE_SLICE_KEY = ("month", "office_id", "client_type", "service_id")
# Each slice table with the response fields it is grouped by.
SLICE_TABLES = ((MonthlySlice, SLICE_KEY), (ServiceSlice, SERVICE_SLICE_KEY))


def slice_aggregates():
    """The COUNT/SUM expressions that fill one MonthlySlice from responses."""
    aggregates = {"responses": Count("pk")}
    for field in SCORE_FIELDS:
        aggregates[f"{field}_n"] = Count(field)
        aggregates[f"{field}_fav"] = Count("pk", filter=Q(**{f"{field}__gte": 4}))
    aggregates["csat_sum"] = Sum("csat", default=0)
    aggregates["ces_sum"] = Sum("ces", default=0)
    aggregates["nps_n"] = Count("nps")
    aggregates["nps_promoters"] = Count("pk", filter=Q(nps__gte=9))
    aggregates["nps_detractors"] = Count("pk", filter=Q(nps__lte=6))
    aggregates["solved_n"] = Count("pk", filter=~Q(problem_solved=""))
    aggregates["solved_yes"] = Count("pk", filter=Q(problem_solved=ProblemSolved.YES))
    aggregates["on_time_n"] = Count("on_time")
    aggregates["on_time_yes"] = Count("pk", filter=Q(on_time=True))
    aggregates["wait_n"] = Count("wait_minutes")
    aggregates["wait_sum"] = Sum("wait_minutes", default=0)
    aggregates["complaints"] = Count("pk", filter=Q(complaint=True))
    aggregates["complaints_justified"] = Count(
        "pk", filter=Q(complaint=True, complaint_justified=True)
    )
    return aggregates


# The first key of the PostgreSQL advisory locks that serialise slice
# rebuilds ("kb"); the second is 0 for «all months», YYYYMM for one month.
SLICE_LOCK = 0x6B62


@transaction.atomic
def slices_refresh(*, keys=None):
    """Rebuild the slices of the given (month, office_id) pairs, or all of them.

    Call it inside the transaction that changed the responses, so that the
    slices and the raw rows are committed together or not at all. Returns the
    number of slices written.

    Two transactions rebuilding the same month at once (two imports, two
    rollbacks) would both delete the old slices and both insert new ones,
    and the second would fail on the unique key: each takes a lock on its
    months first, held until it commits, so the second waits, then counts
    the first one's committed responses too.
    """
    if keys is None:
        _slices_lock(None)
        return _slices_rebuild(Q())
    offices_by_month = defaultdict(set)
    for month, office_id in keys:
        offices_by_month[month].add(office_id)
    _slices_lock(offices_by_month)
    written = 0
    for month, office_ids in sorted(offices_by_month.items()):
        # One month at a time keeps the IN lists short and the SQL flat.
        written += _slices_rebuild(Q(month=month, office_id__in=sorted(office_ids)))
    return written


def _slices_lock(months):
    """Wait for the transaction-long locks of ``months`` (None: of every
    month), taken in month order so that two rebuilds never deadlock.
    SQLite needs none: it lets one transaction write at a time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if months is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [SLICE_LOCK])
            return
        # A rebuild of everything excludes the rebuilds of single months.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [SLICE_LOCK])
        for month in sorted(months):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [SLICE_LOCK, month.year * 100 + month.month]
            )


def _slices_rebuild(match):
    """Replace the slices of both tables for the responses ``match`` selects;
    return the number of month slices written."""
    written = 0
    for model, key in SLICE_TABLES:
        model.objects.filter(match).delete()
        count = _slices_build(model, key, FeedbackResponse.objects.filter(match))
        if model is MonthlySlice:
            written = count
    return written


def _slices_build(model, key, responses):
    """Insert the slices of ``responses`` with one INSERT … SELECT … GROUP BY:
    the counting stays in the database and no row travels through Python,
    which matters at a million responses."""
    rows = responses.order_by().values(*key).annotate(**slice_aggregates())
    select, params = rows.query.sql_with_params()
    names = [*key, *rows.query.annotation_select]
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in names
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({columns}) {select}",
            params,
        )
        return cursor.rowcount


def touched_keys(responses):
    """The (month, office_id) pairs of a queryset of responses."""
    return set(responses.order_by().values_list("month", "office_id").distinct())
