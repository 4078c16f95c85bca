"""Reads of cases: the lists and the dashboard's figures.

Who sees which is the office scope (`people.scopes`): the working group and
administrators every case; a Руководитель the cases of the office of their
profile and its sub-offices; a Руководитель without an office none (the page
says why); anyone else is refused.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Case
from people.scopes import can_have_scope


def can_view_cases(user):
    """Those with an office scope: managers, the working group, administrators."""
    return can_have_scope(user)


def cases_visible(scope):
    if scope.no_office:
        return Case.objects.none()
    return Case.objects.filter(scope.office_filter())


def cases_list(scope, *, status="", office=None, overdue=False, today=None):
    """The cases of ``scope`` that pass the filters; overdue first, then by deadline."""
    today = today or timezone.localdate()
    cases = cases_visible(scope)
    if status == "open":
        cases = cases.filter(status__in=Case.OPEN)
    elif status:
        cases = cases.filter(status=status)
    if office is not None:
        cases = cases.filter(
            office__tree_id=office.tree_id,
            office__lft__gte=office.lft,
            office__rght__lte=office.rght,
        )
    if overdue:
        cases = cases.filter(status__in=Case.OPEN, due_date__lt=today)
    return cases.select_related("office", "assignee", "rule", "response").order_by("due_date", "pk")


def case_assignees(case, user):
    """Who may be made responsible: active staff of the case's office subtree,
    the person changing the case and whoever is responsible now."""
    office = case.office
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                profile__office__tree_id=office.tree_id,
                profile__office__lft__gte=office.lft,
                profile__office__rght__lte=office.rght,
            )
            | Q(pk=user.pk)
            | Q(pk=case.assignee_id)
        )
        .order_by("last_name", "first_name", "username")
    )


def case_history(case, limit=20):
    return list(case.history.select_related("history_user").order_by("-history_date")[:limit])


# --- The dashboard's two figures ---------------------------------------------------------


@dataclass
class ClosedFigures:
    """Cases closed in a period: how many, how many by their deadline, the median days."""

    closed: int = 0
    on_time: int = 0
    median_days: float | None = None

    @property
    def on_time_share(self):
        return round(100 * self.on_time / self.closed) if self.closed else None


@dataclass
class CaseFigures(ClosedFigures):
    open: int = 0
    overdue: int = 0


def _closed_cases(*, office_ids, start, end):
    """(office id, the day it was closed, days from opening to closing, on
    time) of each case of ``office_ids`` closed between the dates ``start``
    and ``end`` (inclusive), in one query. The one rule: a case is on time
    when it was closed on or before its due date, both days in the portal's
    time zone."""
    tz = timezone.get_current_timezone()
    rows = Case.objects.filter(
        office_id__in=office_ids,
        status__in=Case.CLOSED,
        closed_at__date__gte=start,
        closed_at__date__lte=end,
    ).values_list("office_id", "created_at", "closed_at", "due_date")
    for office_id, created_at, closed_at, due_date in rows.order_by():
        closed_on = closed_at.astimezone(tz).date()
        days = (closed_at - created_at).total_seconds() / 86400
        yield office_id, closed_on, days, closed_on <= due_date


def _closed_figures(items):
    """ClosedFigures of [(days, on time)]."""
    return ClosedFigures(
        closed=len(items),
        on_time=sum(1 for _days, on_time in items if on_time),
        median_days=round(statistics.median(days for days, _on in items), 1) if items else None,
    )


def case_figures(*, targets, start, end, today=None):
    """For each row key of ``targets`` ({key: [office ids]}): the cases closed
    between the dates ``start`` and ``end`` (inclusive), the share of them
    closed by their deadline, the median days from opening to closing, and the
    cases open now and overdue now. Two queries, whatever the rows."""
    today = today or timezone.localdate()
    wanted = {office_id for ids in targets.values() for office_id in ids}
    if not wanted:
        return {}
    closed = defaultdict(list)
    for office_id, _closed_on, days, on_time in _closed_cases(
        office_ids=wanted, start=start, end=end
    ):
        closed[office_id].append((days, on_time))
    open_rows = {
        office_id: (count, late)
        for office_id, count, late in Case.objects.filter(
            office_id__in=wanted, status__in=Case.OPEN
        )
        .order_by()
        .values_list("office_id")
        .annotate(count=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)))
    }
    figures = {}
    for key, ids in targets.items():
        done = _closed_figures([item for office_id in ids for item in closed.get(office_id, ())])
        figures[key] = CaseFigures(
            closed=done.closed,
            on_time=done.on_time,
            median_days=done.median_days,
            open=sum(open_rows[o][0] for o in ids if o in open_rows),
            overdue=sum(open_rows[o][1] for o in ids if o in open_rows),
        )
    return figures


def case_figures_by_month(*, targets, start, end):
    """``case_figures``' closed cases month by month: for each row key of
    ``targets`` ({key: [office ids]}), {the first day of each month from
    ``start``'s to ``end``'s: ClosedFigures of the cases closed in it}, the
    months cut to the dates ``start`` and ``end`` (inclusive). The same rule,
    one query for all the months and rows."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=31)).replace(day=1)
    wanted = {office_id for ids in targets.values() for office_id in ids}
    closed = defaultdict(list)
    if wanted:
        for office_id, closed_on, days, on_time in _closed_cases(
            office_ids=wanted, start=start, end=end
        ):
            closed[office_id, closed_on.replace(day=1)].append((days, on_time))
    return {
        key: {
            month: _closed_figures(
                [item for office_id in ids for item in closed.get((office_id, month), ())]
            )
            for month in months
        }
        for key, ids in targets.items()
    }
