"""Pinned query counts of a profile's and a journey map's article page: the
same with 3 or 30 linked routes, 2 or 60 steps (tests/test_query_counts.py
pins the article page of the other kinds, which pay nothing for these)."""

import pytest

from tests.dashboards.factories import GOOD, responses, save
from tests.expert.conftest import MARCH
from tests.expert.factories import make_journey, make_profile, make_route
from tests.test_query_counts import ARTICLE

# + the profile, its linked routes and algorithms (with their sections),
# and the data stamp the cached figures are keyed by.
PROFILE = ARTICLE + 3
# + the stages, and their steps.
ROUTE = ARTICLE + 2
# + the report of the group, computed once: the offices, the slices, the
# breakdowns by client group and channel, the services from the responses,
# the topics, the operational indicators.
PROFILE_UNCACHED = PROFILE + 7


def _warm(client, url):
    client.get(url)  # the section tree, the day's view row, the figures
    client.get(url)


@pytest.mark.parametrize("size", [3, 30])
def test_profile_page_query_count(staff_client, region, size, django_assert_num_queries):
    save(responses(region["first"], size, month=MARCH, client_group="youth", **GOOD))
    profile = make_profile(client_group="youth", linked=[make_route() for _ in range(size)])
    url = profile.article.get_absolute_url()
    _warm(staff_client, url)
    with django_assert_num_queries(PROFILE):
        response = staff_client.get(url)
    assert len(response.context["companion"]["linked"]) == size
    assert response.context["companion"]["figures"].cx.responses == size


@pytest.mark.parametrize("size", [3, 30])
def test_profile_page_computes_the_figures_in_a_fixed_number_of_queries(
    staff_client, region, size, django_assert_num_queries
):
    save(responses(region["first"], size, month=MARCH, client_group="youth", **GOOD))
    profile = make_profile(client_group="youth", linked=[make_route() for _ in range(size)])
    url = profile.article.get_absolute_url()
    _warm(staff_client, url)
    # An import: the data stamp moves, the figures are computed again.
    save(responses(region["second"], size, month=MARCH, client_group="youth", **GOOD))
    with django_assert_num_queries(PROFILE_UNCACHED):
        response = staff_client.get(url)
    assert response.context["companion"]["figures"].cx.responses == 2 * size


@pytest.mark.parametrize(("stages", "steps"), [(2, 1), (12, 5)])
def test_route_page_query_count(staff_client, db, stages, steps, django_assert_num_queries):
    route = make_journey(
        feelings=[tuple([1, -1, 0, 2, -2][:steps]) for _ in range(stages)],
        pains={1: "Долго ждать", 2: "Непонятно"},
    )
    url = route.get_absolute_url()
    _warm(staff_client, url)
    with django_assert_num_queries(ROUTE):
        response = staff_client.get(url)
    assert len(response.context["companion"]["journey"].steps) == stages * steps
