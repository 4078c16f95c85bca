"""Reads of cases: the lists and the dashboard's figures.

Who sees which is the office scope (`people.scopes`): the working group and
administrators every case; a Руководитель the cases of the office of their
profile and its sub-offices; a Руководитель without an office none (the page
says why); anyone else is refused.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

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
class CaseFigures:
    closed: int = 0
    on_time: int = 0
    median_days: float | None = None
    open: int = 0
    overdue: int = 0

    @property
    def on_time_share(self):
        return round(100 * self.on_time / self.closed) if self.closed else None


def case_figures(*, targets, start, end, today=None):
    """For each row key of ``targets`` ({key: [office ids]}): the cases closed
    between the dates ``start`` and ``end`` (inclusive), the share of them
    closed by their deadline, the median days from opening to closing, and the
    cases open now and overdue now. Two queries, whatever the rows."""
    today = today or timezone.localdate()
    wanted = {office_id for ids in targets.values() for office_id in ids}
    if not wanted:
        return {}
    tz = timezone.get_current_timezone()
    closed = defaultdict(list)
    rows = Case.objects.filter(
        office_id__in=wanted,
        status__in=Case.CLOSED,
        closed_at__date__gte=start,
        closed_at__date__lte=end,
    ).values_list("office_id", "created_at", "closed_at", "due_date")
    for office_id, created_at, closed_at, due_date in rows.order_by():
        on_time = closed_at.astimezone(tz).date() <= due_date
        closed[office_id].append(((closed_at - created_at).total_seconds() / 86400, on_time))
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
        durations = [item for office_id in ids for item in closed.get(office_id, ())]
        figures[key] = CaseFigures(
            closed=len(durations),
            on_time=sum(1 for _days, on_time in durations if on_time),
            median_days=(
                round(statistics.median(days for days, _on in durations), 1) if durations else None
            ),
            open=sum(open_rows[o][0] for o in ids if o in open_rows),
            overdue=sum(open_rows[o][1] for o in ids if o in open_rows),
        )
    return figures
