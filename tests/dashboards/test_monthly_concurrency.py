"""Several runs of send_cx_reports at once on PostgreSQL: each head is told once."""

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from dashboards import services
from dashboards.models import CxReportSent
from notifications.models import Kind, Notification
from people import roles
from tests.dashboards.conftest import make_head
from tests.dashboards.factories import GOOD, make_office, responses, save

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent writes need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_tell_each_head_once(monkeypatch):
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 4, 2))
    # A transactional test empties the tables, the roles' groups included.
    Group.objects.get_or_create(name=roles.MANAGER)
    centre = make_office("Управляющий центр")
    offices = [make_office(f"ЦЗН {n}", parent=centre) for n in range(3)]
    save(*(responses(office, 30, **GOOD) for office in offices))
    heads = [make_head(office) for office in offices for _ in range(2)]
    runs = 4
    barrier = threading.Barrier(runs)
    results, errors = [], []

    def send():
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            results.append(services.cx_reports_send())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(run.sent for run in results) == len(heads)
    assert all(run.sent + run.already == len(heads) for run in results)
    assert CxReportSent.objects.count() == len(heads)
    told = list(
        Notification.objects.filter(kind=Kind.CX_REPORT).values_list("recipient_id", flat=True)
    )
    assert sorted(told) == sorted(head.pk for head in heads)
