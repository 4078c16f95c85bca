"""The CX dashboard's cases block: per office, the share of cases closed on
time and the median days to close, for the period shown."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cases import selectors
from cases.models import Case
from cases.selectors import case_figures
from tests.cases.factories import make_case, make_head
from tests.dashboards.factories import GOOD, responses, save

URL = "/dashboards/cx/?period=month&month=2026-03"


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, 0))


def _closed(office, *, opened, closed, due):
    return make_case(
        office,
        created_at=_at(opened),
        due_date=dt.date(2026, 3, due),
        status=Case.Status.RESOLVED,
        action_taken="Разобрались",
        closed_at=_at(closed),
    )


@pytest.fixture
def closed_cases(region):
    office, other = region["office"], region["other"]
    _closed(office, opened=2, closed=4, due=9)  # 2 days, on time
    _closed(office, opened=2, closed=12, due=9)  # 10 days, late
    _closed(office, opened=3, closed=6, due=10)  # 3 days, on time
    _closed(other, opened=5, closed=6, due=12)  # 1 day, on time
    make_case(office, due_date=timezone.localdate() - dt.timedelta(days=1))  # open, overdue
    # Closed in February: outside March.
    make_case(
        office,
        created_at=_at(1) - dt.timedelta(days=30),
        due_date=dt.date(2026, 2, 10),
        status=Case.Status.RESOLVED,
        action_taken="x",
        closed_at=_at(1) - dt.timedelta(days=20),
    )
    return region


def test_figures_per_office_and_subtree(closed_cases):
    region = closed_cases
    subtree = [region["north"].pk, region["office"].pk, region["sibling"].pk]
    figures = case_figures(
        targets={"north": subtree, "south": [region["south"].pk, region["other"].pk]},
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
    )
    north = figures["north"]
    assert (north.closed, north.on_time, north.on_time_share) == (3, 2, 67)
    assert north.median_days == 3.0
    assert (north.open, north.overdue) == (1, 1)
    south = figures["south"]
    assert (south.closed, south.on_time_share, south.median_days) == (1, 100, 1.0)
    assert (south.open, south.overdue) == (0, 0)


def test_no_closed_case_has_no_share_and_no_median(region):
    figures = case_figures(
        targets={"x": [region["office"].pk]}, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert figures["x"].on_time_share is None
    assert figures["x"].median_days is None


def test_figures_by_month_are_case_figures_month_by_month_in_one_query(
    closed_cases, django_assert_num_queries
):
    region = closed_cases
    office = region["office"]
    # Closed at 00:30 on 1 April in Samara (still 31 March in UTC): April's,
    # and on time against a due date of 1 April.
    make_case(
        office,
        created_at=_at(30),
        due_date=dt.date(2026, 4, 1),
        status=Case.Status.RESOLVED,
        action_taken="x",
        closed_at=timezone.make_aware(dt.datetime(2026, 4, 1, 0, 30)),
    )
    subtree = [region["north"].pk, office.pk, region["sibling"].pk]
    targets = {"north": subtree, "south": [region["south"].pk, region["other"].pk]}
    months = [dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    with django_assert_num_queries(1):
        by_month = selectors.case_figures_by_month(
            targets=targets, start=months[0], end=dt.date(2026, 4, 30)
        )
    assert list(by_month["north"]) == months
    for month in months:
        end = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        whole = case_figures(targets=targets, start=month, end=end)
        for key in targets:
            got, want = by_month[key][month], whole[key]
            assert (got.closed, got.on_time, got.median_days) == (
                want.closed,
                want.on_time,
                want.median_days,
            )
    march, april = by_month["north"][months[1]], by_month["north"][months[2]]
    assert (march.closed, march.on_time_share) == (3, 67)
    assert (april.closed, april.on_time) == (1, 1)
    assert by_month["north"][months[0]].closed == 1  # February's
    assert by_month["south"][months[2]].on_time_share is None


def test_figures_by_month_keep_to_the_dates(closed_cases):
    """A period from 5 March: the case closed on 4 March is not in it."""
    office = closed_cases["office"]
    by_month = selectors.case_figures_by_month(
        targets={"x": [office.pk]}, start=dt.date(2026, 3, 5), end=dt.date(2026, 3, 31)
    )
    assert list(by_month["x"]) == [dt.date(2026, 3, 1)]
    assert by_month["x"][dt.date(2026, 3, 1)].closed == 2


def test_figures_by_month_without_offices_are_empty_months(db):
    by_month = selectors.case_figures_by_month(
        targets={"x": []}, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert by_month == {"x": {dt.date(2026, 3, 1): selectors.ClosedFigures()}}


def _responses(region):
    save(*(responses(region[name], 5, **GOOD) for name in ("office", "sibling", "other")))


def test_the_dashboard_shows_the_block(closed_cases, client_for):
    _responses(closed_cases)
    manager = make_head(closed_cases["root"])  # the regional manager
    html = client_for(manager).get(URL).content.decode()
    assert "Обращения к разбору" in html
    assert "Закрыто в срок, %" in html
    rows = client_for(manager).get(URL).context["case_rows"]
    labels = dict(rows)
    assert labels["Все подразделения"].closed == 4
    assert labels["Северный отдел"].on_time_share == 67
    assert labels["Южный отдел"].median_days == 1.0


def test_a_head_sees_the_cases_of_their_subtree_only(closed_cases, client_for, north_head):
    _responses(closed_cases)
    rows = dict(client_for(north_head).get(URL).context["case_rows"])
    assert set(rows) == {"Северный отдел", "ЦЗН Ленинского района"}
    assert rows["Северный отдел"].closed == 3  # not the south's one


@pytest.mark.parametrize("count", [2, 40])
def test_the_block_costs_two_queries_whatever_the_cases(region, django_assert_num_queries, count):
    _responses(region)
    for i in range(count):
        _closed(region["office"] if i % 2 else region["other"], opened=2, closed=5, due=9)
    client = Client()
    client.force_login(make_head(region["root"]))
    client.get(URL)
    cache.clear()
    client.get(URL)  # the figures back in the cache; the cases block never is
    # user, roles, offices, data stamp + closed cases, open cases
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert dict(response.context["case_rows"])["Все подразделения"].closed == count
