"""Two managers rebuild the slices of the same month × office at once — two
rollbacks, two imports — each in a thread with its own real connection:
both succeed, and the slices equal a rebuild from the raw responses."""

import threading

import pytest
from django.db import connection, connections

from feedback import services
from feedback.aggregates import slices_refresh
from feedback.models import FeedbackResponse, ImportBatch, MonthlySlice, ServiceSlice
from tests.feedback.factories import csv_bytes, feedback_row, import_file

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
    ),
    pytest.mark.django_db(transaction=True),
]

GROUPS = ["соискатель", "безработный", "инвалид", "молодёжь/студент", "предпенсионер 50+"]
CHANNELS = ["очно", "ЕЦП", "ЕПГУ", "телефон"]


def _rows(tag, count=400):
    """Many slices of one month and office: every group × channel × day."""
    return [
        feedback_row(
            external_id=f"{tag}-{i}",
            submitted_at=f"{1 + i % 28:02d}.03.2026 10:00",
            client_group=GROUPS[i % len(GROUPS)],
            channel=CHANNELS[i // len(GROUPS) % len(CHANNELS)],
            csat=str(1 + i % 5),
        )
        for i in range(count)
    ]


def _slices():
    fields = [f.attname for f in MonthlySlice._meta.fields if f.name != "id"]
    service_fields = [f.attname for f in ServiceSlice._meta.fields if f.name != "id"]
    return (
        sorted(MonthlySlice.objects.values_list(*fields)),
        sorted(ServiceSlice.objects.values_list(*service_fields)),
    )


def _at_once(action, items):
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            action(item)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _assert_slices_match_raw():
    left = _slices()
    slices_refresh()
    assert left == _slices()


@pytest.mark.parametrize("trial", range(3))
def test_two_rollbacks_of_the_same_month_and_office_both_succeed(office, trial):
    keep = import_file(csv_bytes(_rows("keep", 50)))
    batches = [import_file(csv_bytes(_rows(f"{trial}-{n}"))) for n in range(2)]
    assert all(batch.status == "imported" for batch in batches)

    errors = _at_once(lambda batch: services.batch_rollback(batch=batch, user=None), batches)

    assert errors == []
    statuses = ImportBatch.objects.filter(pk__in=[b.pk for b in batches]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {"rolled_back"}
    assert set(FeedbackResponse.objects.values_list("batch", flat=True)) == {keep.pk}
    _assert_slices_match_raw()
    assert sum(MonthlySlice.objects.values_list("responses", flat=True)) == 50


@pytest.mark.parametrize("trial", range(3))
def test_two_imports_of_the_same_month_and_office_both_succeed(office, trial):
    import_file(csv_bytes(_rows("before", 50)))
    batches = [import_file(csv_bytes(_rows(f"{trial}-{n}")), confirm=False) for n in range(2)]

    errors = _at_once(lambda batch: services.batch_confirm(batch=batch), batches)

    assert errors == []
    for batch in batches:
        batch.refresh_from_db()
        assert (batch.status, batch.rows_imported) == ("imported", 400), batch.error
    assert FeedbackResponse.objects.count() == 850
    _assert_slices_match_raw()
    assert sum(MonthlySlice.objects.values_list("responses", flat=True)) == 850
