"""Monthly slices: the pre-aggregated counts the dashboard reads."""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from feedback.models import SCORE_FIELDS, FeedbackResponse, MonthlySlice, ProblemSolved

SLICE_KEY = ("month", "office_id", "client_type", "client_group", "channel")


def _slice_aggregates():
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


@transaction.atomic
def slices_refresh(*, keys=None, batch_size=5000):
    """Rebuild the slices of the given (month, office_id) pairs, or all of them.

    Call it inside the transaction that changed the responses, so that the
    slices and the raw rows are committed together or not at all. Returns the
    number of slices written.
    """
    if keys is None:
        MonthlySlice.objects.all().delete()
        return _slices_build(FeedbackResponse.objects.all(), batch_size)
    offices_by_month = defaultdict(set)
    for month, office_id in keys:
        offices_by_month[month].add(office_id)
    written = 0
    for month, office_ids in sorted(offices_by_month.items()):
        # One month at a time keeps the IN lists short and the SQL flat.
        match = Q(month=month, office_id__in=sorted(office_ids))
        MonthlySlice.objects.filter(match).delete()
        written += _slices_build(FeedbackResponse.objects.filter(match), batch_size)
    return written


def _slices_build(responses, batch_size):
    """Insert the slices of ``responses`` with one INSERT … SELECT … GROUP BY:
    the counting stays in the database and no row travels through Python,
    which matters at a million responses."""
    rows = responses.order_by().values(*SLICE_KEY).annotate(**_slice_aggregates())
    select, params = rows.query.sql_with_params()
    names = [*SLICE_KEY, *rows.query.annotation_select]
    columns = ", ".join(
        connection.ops.quote_name(MonthlySlice._meta.get_field(name).column) for name in names
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MonthlySlice._meta.db_table} ({columns}) {select}",
            params,
        )
        return cursor.rowcount


def touched_keys(responses):
    """The (month, office_id) pairs of a queryset of responses."""
    return set(responses.order_by().values_list("month", "office_id").distinct())
