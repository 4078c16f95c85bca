"""Pinned query counts of «Путь новичка»: the same with a short or a long
path and few or many newcomers."""

import pytest
from django.test import Client

from tests.cases.factories import make_head
from tests.factories import make_article
from tests.feedback.factories import make_office
from tests.onboarding.factories import make_newcomer, make_path, mark
from tests.test_query_counts import ARTICLE, HOME

# user and roles, the sidebar's tree stamp; the person's paths with their
# steps and marks (one statement)
MY_PATHS = 4
# user and roles; the manager's office; the paths with their step counts,
# the people, their marks (no sidebar: the wide table has the page's width)
PROGRESS = 6


@pytest.fixture(params=[(2, 1), (12, 15)], ids=["short", "long"])
def world(request, db):
    steps, people = request.param
    office = make_office("ЦЗН Кировского района", code="kir")
    path = make_path(steps=steps)
    newcomers = [make_newcomer(office=office) for _ in range(people)]
    for person in newcomers:
        mark(person, *list(path.steps.all())[: steps // 2])
    return {"path": path, "person": newcomers[0], "head": make_head(office)}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _count(django_assert_num_queries, client, url, expected):
    client.get(url)  # warm the section tree cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_my_paths_query_count(world, django_assert_num_queries):
    client = _client(world["person"])
    response = _count(django_assert_num_queries, client, "/onboarding/", MY_PATHS)
    assert response.context["paths"][0].total == world["path"].steps.count()


def test_progress_query_count(world, django_assert_num_queries):
    client = _client(world["head"])
    response = _count(django_assert_num_queries, client, "/onboarding/progress/", PROGRESS)
    assert response.context["rows"]


def test_home_with_a_path_costs_what_home_costs(world, django_assert_num_queries):
    response = _count(django_assert_num_queries, _client(world["person"]), "/", HOME)
    assert "Путь новичка:" in response.content.decode()


def test_an_article_off_the_path_costs_what_it_costs(world, django_assert_num_queries):
    """A newcomer with a path reading another article: no query of the path's."""
    article = make_article()
    response = _count(
        django_assert_num_queries, _client(world["person"]), article.get_absolute_url(), ARTICLE
    )
    assert "пути новичка" not in response.content.decode()


def test_an_article_on_the_path_costs_one_query_more(world, django_assert_num_queries):
    article = world["path"].steps.last().article
    response = _count(
        django_assert_num_queries, _client(world["person"]), article.get_absolute_url(), ARTICLE + 1
    )
    assert "пути новичка" in response.content.decode()
