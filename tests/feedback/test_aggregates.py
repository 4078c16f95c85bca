"""Monthly slices agree with the raw responses they summarise."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.aggregates import slices_refresh
from feedback.models import FeedbackResponse, MonthlySlice, Service, ServiceSlice
from people.models import Office

pytestmark = pytest.mark.django_db


def _response(office, key, day, **fields):
    submitted = timezone.make_aware(dt.datetime(2026, 3, day, 10, 0))
    values = {"client_group": "jobseeker", "channel": "in_person", **fields}
    return FeedbackResponse.objects.create(
        source="survey",
        dedup_key=key,
        submitted_at=submitted,
        month=dt.date(2026, 3, 1),
        office=office,
        client_type="citizen",
        **values,
    )


def test_slice_counts_answers_and_favourable_ones_blank_is_not_zero():
    office = Office.objects.create(title="ЦЗН Тест", code="t1", kind="job_centre")
    _response(office, "a", 1, csat=5, nps=10, problem_solved="yes", wait_minutes=10)
    _response(office, "b", 2, csat=3, nps=6, problem_solved="no", wait_minutes=20)
    _response(office, "c", 3, csat=None, nps=None)  # no answer, not 0

    assert slices_refresh() == 1
    row = MonthlySlice.objects.get()
    assert (row.responses, row.csat_n, row.csat_fav, row.csat_sum) == (3, 2, 1, 8)
    assert (row.nps_n, row.nps_promoters, row.nps_detractors) == (2, 1, 1)
    assert (row.solved_n, row.solved_yes) == (2, 1)
    assert (row.wait_n, row.wait_sum) == (2, 30)


def test_refresh_of_some_keys_leaves_other_offices_alone():
    first = Office.objects.create(title="ЦЗН 1", code="t1", kind="job_centre")
    second = Office.objects.create(title="ЦЗН 2", code="t2", kind="job_centre")
    _response(first, "a", 1, csat=5)
    _response(second, "b", 1, csat=4)
    slices_refresh()
    FeedbackResponse.objects.filter(office=first).delete()

    slices_refresh(keys={(dt.date(2026, 3, 1), first.pk)})

    assert list(MonthlySlice.objects.values_list("office_id", "csat_fav")) == [(second.pk, 1)]


def test_service_slices_count_per_service_and_follow_a_refresh_of_some_keys():
    office = Office.objects.create(title="ЦЗН Тест", code="t1", kind="job_centre")
    service = Service.objects.create(code="training", title="Профессиональное обучение")
    _response(office, "a", 1, csat=5, service=service, client_group="youth")
    _response(office, "b", 2, csat=2, service=service, channel="phone")
    _response(office, "c", 3, csat=4)  # no service

    slices_refresh()
    rows = ServiceSlice.objects.values_list("service_id", "responses", "csat_n", "csat_fav")
    # One row per service, whatever the client group or channel.
    assert sorted(rows, key=str) == sorted([(service.pk, 2, 2, 1), (None, 1, 1, 1)], key=str)

    FeedbackResponse.objects.filter(dedup_key="a").delete()
    slices_refresh(keys={(dt.date(2026, 3, 1), office.pk)})
    assert ServiceSlice.objects.get(service=service).responses == 1
