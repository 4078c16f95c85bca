"""«Ближайшие мероприятия» on the home page: the next few events for the
person's audience, soonest first, in one statement whatever the numbers."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kb_portal.views import HOME_EVENTS
from tests.articles.reading import person, region, spec
from tests.events.factories import make_event
from tests.test_query_counts import HOME

pytestmark = pytest.mark.django_db


def _soon(days, hours=0):
    return timezone.now() + timedelta(days=days, hours=hours)


def test_the_block_lists_the_next_events_for_the_person(client):
    offices = region()
    reader = person("reader", office=offices["n1"])
    make_event("Прошло вчера", start=_soon(-1))
    make_event("Для юга", start=_soon(1), audience=spec(offices=[offices["south"]]))
    make_event("Идёт сейчас", start=_soon(0, hours=-1), hours=3)
    for day in range(2, 8):
        make_event(f"Через {day} дн.", start=_soon(day), audience=spec(offices=[offices["north"]]))
    client.force_login(reader)
    response = client.get("/")
    titles = [event.title for event in response.context["upcoming_events"]]
    assert titles == ["Идёт сейчас", "Через 2 дн.", "Через 3 дн.", "Через 4 дн."][:HOME_EVENTS]
    page = response.content.decode()
    assert "Ближайшие мероприятия" in page
    assert "Для юга" not in page and "Прошло вчера" not in page
    assert 'href="/events/"' in page


def test_without_events_the_block_says_so(staff_client):
    page = staff_client.get("/").content.decode()
    assert "Ближайших мероприятий для вас пока нет." in page


@pytest.mark.parametrize("n", [3, 30])
def test_the_home_page_costs_the_same_with_3_or_30_events(db, n, django_assert_num_queries):
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант")
    for i in range(n):
        make_event(
            f"Мероприятие {i}",
            start=_soon(1 + i),
            organiser_office=offices["north"],
            audience=[None, spec(offices=[offices["north"]]), spec(positions=["консультант"])][
                i % 3
            ],
        )
    client = Client()
    client.force_login(reader)
    client.get("/")  # warm the caches
    with django_assert_num_queries(HOME):
        response = client.get("/")
    assert len(response.context["upcoming_events"]) == min(n, HOME_EVENTS)
