"""Pinned query counts: the dashboard costs the same with 40 or 4,000 responses.

Counts are for a logged-in manager whose session comes from the cache:
user, roles; then the offices (for the filter and the tree) and the data
stamp. The figures are cached by the stamp, so a repeated view costs only
that; the first view after an import computes them with a fixed number of
queries, whatever the amount of data.
"""

import datetime as dt

import pytest
from django.core.cache import cache

from tests.dashboards.conftest import make_head
from tests.dashboards.factories import BAD, GOOD, make_indicator, make_service, responses, save

# user, roles, offices, data stamp; the cases block (closed in the period, open now)
# is counted on every view, not cached: cases change between imports.
CASES = 2
WARM = 4 + CASES
# + slices by month×office, by group, by channel; services, comments, indicators, topics
COLD = WARM + 7
# user, roles, offices (with the scope), stamp, topics; count, page, its topics
COMMENTS = 8
HOME_PULSE_EXTRA = 1  # the stamp; the pulse itself comes from the cache


def _fill(region, scale):
    service = make_service()
    groups = []
    for month in (dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)):
        for office in (region["first"], region["second"], region["south"]):
            groups.append(responses(office, 10 * scale, month=month, service=service, **GOOD))
            groups.append(
                responses(office, 3 * scale, month=month, **BAD, comment="долго", channel="ecp")
            )
            groups.append(
                responses(office, scale, month=month, client_type="employer", client_group="other")
            )
        make_indicator(region["first"], "wait_minutes", 10 * scale, month=month)
    save(*groups)


@pytest.fixture(params=[1, 100], ids=["~40-responses", "~4000-responses"])
def filled(request, region):
    _fill(region, request.param)
    return {**region, "scale": request.param}


@pytest.fixture(params=["regional", "head"], ids=["regional-manager", "head-of-a-department"])
def dashboard_client(request, filled, manager_client, client_for):
    """The regional manager, or the head of «Северный отдел»: the office scope
    comes with the offices' query, so both cost the same."""
    if request.param == "regional":
        return manager_client
    return client_for(make_head(filled["north"]))


@pytest.mark.parametrize(
    "query",
    ["", "?period=year&month=2026-03", "?office={north}", "?client_type=citizen&channel=ecp"],
)
def test_dashboard_query_count(dashboard_client, filled, django_assert_num_queries, query):
    manager_client = dashboard_client
    url = "/dashboards/cx/" + query.format(north=filled["north"].pk)
    manager_client.get(url)  # the session into the cache
    cache.delete_many(list(_report_keys()))
    with django_assert_num_queries(COLD):
        response = manager_client.get(url)
    assert response.status_code == 200
    assert response.context["report"].cx.responses > 0
    with django_assert_num_queries(WARM):
        assert manager_client.get(url).status_code == 200


def test_export_query_count(dashboard_client, filled, django_assert_num_queries):
    dashboard_client.get("/dashboards/cx/")
    # The figures come from the page's cache entry; the export has no cases block.
    with django_assert_num_queries(WARM - CASES):
        assert dashboard_client.get("/dashboards/cx/export.xlsx").status_code == 200


def test_comments_query_count_of_a_head(filled, client_for, django_assert_num_queries):
    """The comments page of a head costs what it costs anyone (``COMMENTS``)."""
    client = client_for(make_head(filled["north"]))
    url = "/dashboards/cx/comments/?period=quarter&month=2026-03"
    client.get(url)
    with django_assert_num_queries(COMMENTS):
        response = client.get(url)
    # 3 commented a month in each of its two job centres, none of «Южный отдел»'s
    assert response.context["page"].paginator.count == 3 * 2 * 3 * filled["scale"]


def test_an_import_and_a_rollback_invalidate_the_cached_figures(manager_client, region):
    from django.utils import timezone

    from feedback.aggregates import slices_refresh
    from feedback.models import ImportBatch

    save(responses(region["first"], 30, **GOOD))
    url = "/dashboards/cx/?period=month&month=2026-03"
    assert manager_client.get(url).context["report"].cx.responses == 30
    batch = ImportBatch.objects.create(kind="feedback", original_name="март.csv", file="x.csv")
    save(responses(region["first"], 30, **BAD, batch=batch))
    assert manager_client.get(url).context["report"].cx.responses == 60
    # A rollback deletes the batch's rows and rebuilds their slices from what is left.
    batch.responses.all().delete()
    slices_refresh(keys={(dt.date(2026, 3, 1), region["first"].pk)})
    batch.rolled_back_at = timezone.now()
    batch.save()
    assert manager_client.get(url).context["report"].cx.responses == 30


def test_home_pulse_costs_one_query(staff_client, filled, django_assert_num_queries):
    from tests.test_query_counts import HOME

    staff_client.get("/")
    with django_assert_num_queries(HOME):
        response = staff_client.get("/")
    assert response.context["pulse"]["cx"].responses > 0
    assert HOME_PULSE_EXTRA == 1


def _report_keys():
    """Every cached dashboard entry of the local-memory test cache."""
    return [
        key.split(":", 2)[-1]
        for key in list(getattr(cache, "_cache", {}))
        if ":dashboards:report:" in key
    ]
