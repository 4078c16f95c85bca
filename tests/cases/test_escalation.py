"""Overdue cases go to the heads of the parent office, once."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from notifications.models import Kind, Notification
from tests.cases.factories import make_case, make_head


def _run():
    out = StringIO()
    call_command("escalate_overdue_cases", stdout=out)
    return out.getvalue()


def test_overdue_cases_are_escalated_to_the_parent_office_once(region, head, north_head):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = [make_case(region["office"], due_date=yesterday) for _ in range(2)]
    make_case(region["office"])  # not due yet
    make_case(
        region["office"],
        due_date=yesterday,
        status=Case.Status.RESOLVED,
        action_taken="Сделано",
        closed_at=timezone.now(),
    )  # closed: nothing to escalate
    assert "2" in _run()
    (note,) = Notification.objects.filter(kind=Kind.CASE_OVERDUE)
    assert note.recipient == north_head  # the parent's head, not the office's own
    assert "ЦЗН Ленинского района" in note.text and "2" in note.text
    assert f"office={region['office'].pk}" in note.url
    for case in late:
        case.refresh_from_db()
        assert case.escalated_at is not None
        assert case.history.first().history_change_reason == "передано выше: просрочено"
    # Idempotent: a second run tells nobody again.
    assert "0" in _run()
    assert Notification.objects.filter(kind=Kind.CASE_OVERDUE).count() == 1


def test_escalation_skips_a_parent_without_heads(region):
    top = make_head(region["root"])
    make_case(region["office"], due_date=timezone.localdate() - dt.timedelta(days=3))
    _run()
    # Северный отдел has no head: the region's head hears of it.
    assert Notification.objects.get(kind=Kind.CASE_OVERDUE).recipient == top
