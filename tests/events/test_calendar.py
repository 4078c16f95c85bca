"""The month calendar: weeks from Monday, the days of the month and their
neighbours, each event on the local days it takes place on (an evening
event in Samara is not on the next UTC day), today marked, months turned."""

from datetime import date

import pytest

from events.models import Event
from events.selectors import Filters, month_calendar
from tests.events.factories import local, make_event

pytestmark = pytest.mark.django_db


def _month(user, year=2026, month=3, today=date(2026, 3, 18), filters=None):
    return month_calendar(
        first=date(year, month, 1), filters=filters or Filters(), user=user, today=today
    )


def _days_of(month, title):
    return [
        cell.day
        for week in month.weeks
        for cell in week
        if any(event.title == title for event in cell.events)
    ]


def test_the_grid_is_whole_weeks_from_monday(staff):
    month = _month(staff)  # March 2026 starts on a Sunday, ends on a Tuesday
    assert [len(week) for week in month.weeks] == [7] * 6
    assert month.weeks[0][0].day == date(2026, 2, 23)  # a Monday
    assert month.weeks[-1][-1].day == date(2026, 4, 5)  # a Sunday
    in_month = [cell.day.day for week in month.weeks for cell in week if cell.in_month]
    assert in_month == list(range(1, 32))
    assert not month.weeks[0][0].in_month


def test_today_is_marked_once(staff):
    month = _month(staff)
    today = [cell.day for week in month.weeks for cell in week if cell.is_today]
    assert today == [date(2026, 3, 18)]


def test_events_are_placed_on_their_local_days(staff):
    make_event("Утреннее", start=local(2026, 3, 5, 9))
    make_event("Три дня", start=local(2026, 3, 10, 10), ends_at=local(2026, 3, 12, 17))
    make_event("Весь день", all_day=True, start=local(2026, 3, 20), ends_at=local(2026, 3, 20))
    month = _month(staff)
    assert _days_of(month, "Утреннее") == [date(2026, 3, 5)]
    assert _days_of(month, "Три дня") == [date(2026, 3, d) for d in (10, 11, 12)]
    assert _days_of(month, "Весь день") == [date(2026, 3, 20)]
    assert [e.title for e in month.events] == ["Утреннее", "Три дня", "Весь день"]


def test_day_edges_follow_the_local_time_zone(staff):
    # 23:30 in Samara (UTC+4) is 19:30 UTC the same day; 00:30 is 20:30 UTC the day
    # before: each belongs to its own local day, never to the UTC one.
    make_event("Поздно вечером", start=local(2026, 3, 9, 23, 30), hours=0.25)
    make_event("Сразу после полуночи", start=local(2026, 3, 10, 0, 30), hours=1)
    make_event("До полуночи", start=local(2026, 3, 11, 22), ends_at=local(2026, 3, 12, 0))
    month = _month(staff)
    assert _days_of(month, "Поздно вечером") == [date(2026, 3, 9)]
    assert _days_of(month, "Сразу после полуночи") == [date(2026, 3, 10)]
    assert _days_of(month, "До полуночи") == [date(2026, 3, 11)]


def test_the_month_edges_are_local_too(staff):
    # 00:30 on 1 April in Samara is 31 March in UTC: it is April's.
    make_event("Первое апреля", start=local(2026, 4, 1, 0, 30))
    make_event("Последний вечер февраля", start=local(2026, 2, 28, 23, 30), hours=0.25)
    march = _month(staff)
    assert [e.title for e in march.events] == []
    # Both still show in the grid's days of the neighbouring months.
    assert _days_of(march, "Первое апреля") == [date(2026, 4, 1)]
    assert _days_of(march, "Последний вечер февраля") == [date(2026, 2, 28)]
    april = _month(staff, month=4)
    assert [e.title for e in april.events] == ["Первое апреля"]


def test_an_event_running_into_the_month_is_shown_from_its_first_shown_day(staff):
    make_event("Долгий конкурс", start=local(2026, 2, 1, 9), ends_at=local(2026, 3, 2, 18))
    month = _month(staff)
    days = _days_of(month, "Долгий конкурс")
    assert days[0] == date(2026, 2, 23) and days[-1] == date(2026, 3, 2)
    assert [e.title for e in month.events] == ["Долгий конкурс"]


def test_the_trash_is_not_in_the_calendar(staff):
    event = make_event("Отменено", start=local(2026, 3, 5, 9))
    from events.services import event_trash

    event_trash(event=event)
    assert _month(staff).events == []
    assert Event.all_objects.filter(pk=event.pk).exists()


def test_months_turn_over_the_year(staff):
    december = _month(staff, month=12)
    assert (december.previous, december.next) == (date(2026, 11, 1), date(2027, 1, 1))
    january = _month(staff, month=1)
    assert january.previous == date(2025, 12, 1)


def test_the_page_shows_the_month_in_russian_with_its_neighbours(staff_client):
    make_event("Обучение скриптам", start=local(2026, 3, 5, 9))
    page = staff_client.get("/events/", {"month": "2026-03"}).content.decode()
    assert "Март 2026" in page
    assert "Февраль 2026" in page and "Апрель 2026" in page
    assert "?month=2026-02" in page and "?month=2026-04" in page
    assert "Обучение скриптам" in page
    assert "5 марта 2026" in page  # the list under the grid
    assert '<time datetime="2026-03-05">5</time>' in page


def test_the_page_marks_today_and_opens_on_the_current_month(staff_client):
    from django.utils import timezone

    today = timezone.localdate()
    page = staff_client.get("/events/").content.decode()
    assert 'aria-current="date"' in page
    assert f'<time datetime="{today.isoformat()}">{today.day}</time>' in page
    assert "Текущий месяц" not in page  # already on it
    other = staff_client.get("/events/", {"month": "2030-01"}).content.decode()
    assert 'aria-current="date"' not in other
    assert "Текущий месяц" in other


def test_turning_the_month_keeps_the_filters(staff_client):
    page = staff_client.get(
        "/events/", {"month": "2026-03", "mine": "1", "format": "online"}
    ).content.decode()
    assert "?month=2026-04&amp;mine=1&amp;format=online" in page


@pytest.mark.parametrize("value", ["2026-13", "2026-00", "1999-12", "9999-12", "март", "2026-3"])
def test_a_wrong_month_is_named_and_the_current_one_shown(staff_client, value):
    from django.utils import timezone
    from django.utils.formats import date_format

    response = staff_client.get("/events/", {"month": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Месяц указан неверно" in page
    assert date_format(timezone.localdate(), "F Y") in page
