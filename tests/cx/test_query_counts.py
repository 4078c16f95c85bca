"""Pinned query counts of /cx/: the same with ~60 or ~6,000 responses, and with
more topics, offices and indicators than the page shows.

Warm (the figures cached by the data stamp): user, roles, the reader's
office, the offices, the data stamp, the section tree's stamp (sidebar).
Cold, per scope (the region; the office): the dashboard's report without
its comments list (slices by month × office, by client group, by channel;
services, topics; the office rows' indicators), one query per topic shown
for its comments, and for an office its own indicators.
"""

import datetime as dt

import pytest
from django.core.cache import cache

from cx import selectors
from feedback.models import FeedbackResponse
from feedback.topics import stored_comments_prepare, topics_reapply
from tests.cx.conftest import place
from tests.dashboards.factories import BAD, GOOD, make_indicator, make_service, responses, save

WARM = 6
REPORT = 6  # cx_report(with_comments=False): its query count, whatever the data
TOPICS = selectors.TOPICS_SHOWN  # one query each for its comments
COLD_REGION = REPORT + TOPICS
COLD_OFFICE = REPORT + TOPICS + 1  # + the office's operational indicators
WORDS = ["очередь", "грубый", "записаться", "пособие", "справка", "курсы", "душно"]


def _fill(region, scale):
    service = make_service()
    groups = []
    for month in (dt.date(2026, 2, 1), dt.date(2026, 3, 1)):
        for office in (region["first"], region["second"], region["south"]):
            groups.append(responses(office, 10 * scale, month=month, service=service, **GOOD))
            for word in WORDS:
                groups.append(responses(office, scale, month=month, **BAD, comment=word))
            groups.append(
                responses(office, scale, month=month, client_type="employer", client_group="other")
            )
            for code in ("wait_minutes", "contacts"):
                make_indicator(office, code, 10 * scale, month=month)
    save(*groups)
    stored_comments_prepare(FeedbackResponse)
    topics_reapply()


@pytest.fixture(params=[1, 100], ids=["~60-responses", "~6000-responses"])
def filled(request, region):
    _fill(region, request.param)
    return region


def _forget_figures():
    cache.delete_many(
        [
            key.split(":", 2)[-1]
            for key in list(getattr(cache, "_cache", {}))
            if ":dashboards:cx_block:" in key
        ]
    )


@pytest.mark.parametrize(
    ("office", "cold"),
    [
        ("first", COLD_REGION + COLD_OFFICE),
        ("north", COLD_REGION + COLD_OFFICE),
        (None, COLD_REGION),
    ],
)
def test_cx_block_query_count(client, staff, filled, django_assert_num_queries, office, cold):
    if office:
        place(staff, filled[office])
    client.force_login(staff)
    client.get("/cx/")  # the session and the section tree into the cache
    _forget_figures()
    with django_assert_num_queries(WARM + cold):
        response = client.get("/cx/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.region.cx.responses > 0
    assert len(summary.topics_scope.topics) == selectors.TOPICS_SHOWN
    with django_assert_num_queries(WARM):
        assert client.get("/cx/").status_code == 200


def test_the_region_is_cached_once_for_everyone(client, staff, filled, django_assert_num_queries):
    """A reader of another office computes only that office."""
    place(staff, filled["first"])
    client.force_login(staff)
    client.get("/cx/")
    place(staff, filled["second"])
    with django_assert_num_queries(WARM + COLD_OFFICE):
        assert client.get("/cx/").context["summary"].office == filled["second"]
