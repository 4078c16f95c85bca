"""Pinned query counts of the events pages, the same with 3 events as with
30 (with audiences, organisers, materials): a change is an N+1 query or a
deliberate change to a page, which then updates the number here."""

import pytest
from django.test import Client

from articles.models import Article
from tests.articles.reading import person, region, spec
from tests.events.factories import local, make_event
from tests.factories import make_article, make_articles_bulk, make_section

# Every page: the user, their roles (the session comes from the cache) and
# the sidebar tree's stamp; then the page's own queries.
# + the offices for the filter, the month's events (with «для вас» and their organisers)
CALENDAR = 5
# + offices, count, the page of events
LIST = 6
# + the event (with its organiser, office, report and «для вас»), its materials,
# and its audience's offices, positions and roles (none for an event for everyone)
EVENT = 8
EVENT_FOR_EVERYONE = 5


@pytest.fixture(params=[3, 30], ids=["3-events", "30-events"])
def world(request, db):
    n = request.param
    offices = region()
    reader = person("reader", office=offices["n1"], position="консультант")
    section = make_section("Материалы мероприятий")
    materials = make_articles_bulk(section, n)
    report = make_article(section, kind=Article.Kind.REPORT, title="Фотоотчёт")
    audiences = [
        None,
        spec(offices=[offices["north"]]),
        spec(positions=["консультант", "психолог"], roles=["Руководитель"]),
    ]
    events = []
    for i in range(n):
        event = make_event(
            f"Мероприятие {i}",
            start=local(2030, 3, 1 + i % 28, 9 + i % 8),
            hours=1 + (i % 3) * 24,
            organiser_office=[offices["north"], offices["s1"], offices["centre"]][i % 3],
            organiser_user=reader if i % 2 else None,
            online_url="https://vks.example.ru/room" if i % 2 else "",
            report=report if i % 4 == 0 else None,
            audience=audiences[i % 3],
        )
        event.materials.set(materials[: 1 + i])
        events.append(event)
    client = Client()
    client.force_login(reader)
    return {"client": client, "n": n, "event": events[-1] if n > 3 else events[1]}


def _count(django_assert_num_queries, client, url, expected):
    client.get(url)  # warm the section tree cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_calendar_query_count(world, django_assert_num_queries):
    response = _count(
        django_assert_num_queries, world["client"], "/events/?month=2030-03", CALENDAR
    )
    assert len(response.context["month"].events) == world["n"]


def test_calendar_filtered_query_count(world, django_assert_num_queries):
    url = "/events/?month=2030-03&mine=1&format=online&kind=other&office=" + str(
        world["event"].organiser_office_id
    )
    _count(django_assert_num_queries, world["client"], url, CALENDAR)


def test_list_query_count(world, django_assert_num_queries):
    response = _count(django_assert_num_queries, world["client"], "/events/list/", LIST)
    assert response.context["page"].paginator.count == world["n"]


def test_list_mine_query_count(world, django_assert_num_queries):
    _count(django_assert_num_queries, world["client"], "/events/list/?mine=1&page=2", LIST)


def test_event_query_count(world, django_assert_num_queries):
    event = world["event"]
    response = _count(django_assert_num_queries, world["client"], event.get_absolute_url(), EVENT)
    assert len(response.context["materials"]) == event.materials.count()


def test_event_for_everyone_query_count(world, django_assert_num_queries):
    event = make_event("Для всех", start=local(2030, 3, 2, 10))
    event.materials.set(Article.objects.all()[:5])
    _count(django_assert_num_queries, world["client"], event.get_absolute_url(), EVENT_FOR_EVERYONE)
