"""The CX pulse on the home page: the region's index for everyone, nothing personal."""

import datetime as dt

import pytest

from tests.dashboards.factories import BAD, GOOD, responses, save

FEBRUARY = dt.date(2026, 2, 1)


@pytest.fixture
def feedback(region):
    save(
        responses(region["first"], 40, month=FEBRUARY, **GOOD, comment="Личный отзыв Иванова"),
        responses(region["first"], 30, **GOOD),
        responses(region["south"], 10, **BAD, comment="Грубый специалист Сидорчук"),
    )
    return region


def test_staff_see_the_region_index_its_stars_trend_and_change(staff_client, feedback):
    response = staff_client.get("/")
    pulse = response.context["pulse"]
    # March: 30 good + 10 bad = 75.0; February: 40 good = 100.0 → −25.0
    assert pulse["month"] == dt.date(2026, 3, 1)
    assert pulse["cx"].value == pytest.approx(75)
    assert pulse["change"] == pytest.approx(-25)
    assert len(pulse["trend"]) == 12
    assert pulse["trend"][-2][1].value == pytest.approx(100)
    html = response.content.decode()
    assert "Пульс клиентского опыта" in html
    assert "75,0" in html
    assert "−25,0" in html
    assert "3 звезды из 5" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"' in html
    assert "март 2026" in html


def test_staff_see_no_comments_offices_or_people(staff_client, feedback):
    html = staff_client.get("/").content.decode()
    assert "Иванова" not in html
    assert "Сидорчук" not in html
    assert "ЦЗН Первый" not in html
    assert "Южный отдел" not in html
    assert "Подробно по подразделениям" not in html  # no link for staff


def test_managers_get_a_link_to_the_dashboard(client_for, manager, feedback):
    html = client_for(manager).get("/").content.decode()
    assert "Подробно по подразделениям и группам" in html


def test_no_feedback_no_pulse(staff_client):
    response = staff_client.get("/")
    assert response.context["pulse"] is None
    assert "Пульс клиентского опыта" not in response.content.decode()


def test_few_answers_are_marked(staff_client, region):
    save(responses(region["first"], 5, **GOOD))
    html = staff_client.get("/").content.decode()
    assert "слишком мало для надёжной оценки" in html
