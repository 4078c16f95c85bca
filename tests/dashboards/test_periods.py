"""Default periods: the last complete ones, never the sliver of a month just begun.

«Today» is fixed through ``dashboards.forms.today`` (the one place the
dashboard reads the date). On 1 December a month of one day must not be
compared with a whole month, on the home page or on the dashboard.
"""

import datetime as dt

import pytest

from dashboards.forms import PeriodKind, last_complete
from tests import vnu
from tests.dashboards.factories import BAD, GOOD, responses, save

DECEMBER = dt.date(2026, 12, 1)
NOVEMBER = dt.date(2026, 11, 1)
SEPTEMBER = dt.date(2026, 9, 1)


@pytest.fixture
def first_of_december(monkeypatch):
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 12, 1))


@pytest.fixture
def autumn(region, first_of_december):
    """Whole months of good answers, then one day of December with bad ones."""
    months = [dt.date(2026, m, 1) for m in range(6, 12)]
    save(
        *(responses(region["first"], 40, month=month, **GOOD) for month in months),
        responses(region["first"], 40, month=DECEMBER, day=1, **BAD),
    )
    return region


@pytest.mark.parametrize(
    ("kind", "latest", "expected"),
    [
        (PeriodKind.MONTH, DECEMBER, (NOVEMBER, NOVEMBER)),
        (PeriodKind.QUARTER, DECEMBER, (dt.date(2026, 7, 1), SEPTEMBER)),
        (PeriodKind.YEAR, DECEMBER, (dt.date(2025, 1, 1), dt.date(2025, 12, 1))),
        # Data that ends earlier: the last complete period that has it.
        (PeriodKind.QUARTER, dt.date(2026, 3, 1), (dt.date(2026, 1, 1), dt.date(2026, 3, 1))),
        (PeriodKind.MONTH, None, (NOVEMBER, NOVEMBER)),
    ],
)
def test_last_complete_period(kind, latest, expected):
    period = last_complete(kind, latest=latest, current_month=DECEMBER)
    assert (period.start, period.end) == expected
    assert not period.is_partial(DECEMBER)


def test_the_dashboard_opens_on_the_last_complete_quarter(manager_client, autumn):
    response = manager_client.get("/dashboards/cx/")
    report = response.context["report"]
    assert report.filters.period.label == "III квартал 2026"
    assert not report.partial
    assert report.cx.value == pytest.approx(100)  # no December answers in it
    assert report.trend[-1][0] == SEPTEMBER  # the trend ends with a whole month
    html = response.content.decode()
    assert 'class="cx-partial"' not in html
    assert 'value="2026-07"' in html  # the form shows the period it opened on


def test_a_period_without_a_month_defaults_to_the_last_complete_one(manager_client, autumn):
    report = manager_client.get("/dashboards/cx/?period=month").context["report"]
    assert report.filters.period.start == NOVEMBER
    assert report.change is not None


def test_a_partial_period_is_labelled_and_shows_no_change(manager_client, autumn):
    response = manager_client.get("/dashboards/cx/?period=month&month=2026-12")
    report = response.context["report"]
    assert report.partial
    assert report.previous.value == pytest.approx(100)
    assert report.change is None  # −100 against November would be no trend
    html = response.content.decode()
    assert "неполный период: данные по 1 декабря 2026" in html
    assert "Период ещё не закончился" in html
    assert "cx-card__change" not in html  # no card shows a change
    assert "cx-change--down" not in html  # nor does the office ranking


def test_a_partial_month_in_the_trend_is_marked(manager_client, autumn):
    response = manager_client.get("/dashboards/cx/?period=quarter&month=2026-12")
    report = response.context["report"]
    assert report.trend[-1][0] == DECEMBER
    assert report.is_partial_month(DECEMBER) and not report.is_partial_month(NOVEMBER)
    html = response.content.decode()
    chart = html.split('class="chart chart--line"', 1)[1].split("</svg>", 1)[0]
    assert "chart__dot--partial" in chart
    assert "chart__line--partial" in chart  # joined by a dashed line, not the trend's
    assert "декабрь 2026: 0,0 (неполный месяц)" in chart
    assert "неполный месяц" in html.split('id="trend-table-caption"', 1)[1]


def test_the_cache_follows_the_month(manager_client, autumn, monkeypatch):
    """The same URL on another day of the month must not reuse a stale «partial»."""
    assert (
        manager_client.get("/dashboards/cx/?period=month&month=2026-12").context["report"].partial
    )
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2027, 1, 2))
    report = manager_client.get("/dashboards/cx/?period=month&month=2026-12").context["report"]
    assert not report.partial
    assert report.change == pytest.approx(-100)


def test_the_report_uses_the_month_its_cache_key_names(manager_client, autumn, monkeypatch):
    """A request at midnight of the 1st: the report is built for the month
    the view read (and keyed its cache on), not for the one that began after."""
    days = iter([dt.date(2026, 12, 31)])
    monkeypatch.setattr("dashboards.forms.today", lambda: next(days, dt.date(2027, 1, 1)))
    report = manager_client.get("/dashboards/cx/?period=month&month=2026-12").context["report"]
    assert report.current_month == DECEMBER
    assert report.partial


def test_the_pulse_shows_the_last_complete_month(staff_client, autumn):
    response = staff_client.get("/")
    pulse = response.context["pulse"]
    assert pulse["month"] == NOVEMBER
    assert not pulse["partial"]
    assert pulse["cx"].value == pytest.approx(100)
    assert pulse["trend"][-1][0] == NOVEMBER
    html = response.content.decode()
    assert "ноябрь 2026" in html
    assert "−100,0" not in html


def test_the_pulse_of_a_first_month_is_marked_partial(staff_client, region, first_of_december):
    save(responses(region["first"], 40, month=DECEMBER, day=1, **GOOD))
    response = staff_client.get("/")
    pulse = response.context["pulse"]
    assert (pulse["month"], pulse["partial"], pulse["change"]) == (DECEMBER, True, None)
    assert "неполный месяц" in response.content.decode()


def test_the_pulse_headline_is_the_last_complete_month_even_without_its_answers(
    staff_client, manager_client, region, monkeypatch
):
    """15 December, November not imported yet: the last complete month is
    November for the pulse as for /cx/ and the dashboard, shown as having no
    answers — not October in its place (the pulse's own rule used to pick
    the newest complete month that had answers)."""
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 12, 15))
    save(
        responses(region["first"], 40, month=SEPTEMBER, **GOOD),
        responses(region["first"], 40, month=dt.date(2026, 10, 1), **GOOD),
        responses(region["first"], 40, month=DECEMBER, day=10, **BAD),
    )
    response = staff_client.get("/")
    pulse = response.context["pulse"]
    assert (pulse["month"], pulse["partial"]) == (NOVEMBER, False)
    assert pulse["cx"].value is None
    assert pulse["change"] is None
    assert pulse["trend"][-1][0] == NOVEMBER
    assert pulse["trend"][-2][1].value == pytest.approx(100)  # October stays in the trend
    html = response.content.decode()
    pulse_html = html.split('class="cx-pulse', 1)[1].split("</section>", 1)[0]
    assert "ноябрь 2026" in pulse_html
    assert "Ответов клиентов за месяц нет." in pulse_html
    assert "За прошлый месяц данных нет." not in pulse_html
    assert "октябрь 2026" not in pulse_html.split("</h2>", 1)[0]
    assert not vnu.check({"home, a month without answers": response.content})

    assert staff_client.get("/cx/").context["summary"].period.start == NOVEMBER
    report = manager_client.get("/dashboards/cx/?period=month").context["report"]
    assert report.filters.period.start == NOVEMBER
