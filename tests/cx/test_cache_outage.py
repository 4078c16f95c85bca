"""/cx/ while the shared cache is unreachable: computed from the database on
every view, the same figures, no error (kb_portal.cache.ResilientRedisCache)."""

import uuid

import pytest

from tests.cx.test_query_counts import COLD_OFFICE, COLD_REGION, WARM
from tests.dashboards.factories import BAD, GOOD, responses, save


@pytest.fixture
def unreachable_cache(settings):
    # Port 1 refuses at once; a fresh db number gives the test its own circuit breaker.
    settings.CACHES = {
        "default": {
            "BACKEND": "kb_portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:1/{uuid.uuid4().int % 10_000}",
            "KEY_PREFIX": "kb",
            "OPTIONS": {"retry_seconds": 60},
        }
    }


def test_the_page_works_while_the_cache_is_unreachable(
    unreachable_cache, staff_of_first, region, django_assert_max_num_queries
):
    save(responses(region["first"], 30, **GOOD), responses(region["south"], 10, **BAD))
    for _view in range(2):
        # Nothing is cached: each view computes, and costs no more than a cold one
        # (the session, too, comes from the database).
        with django_assert_max_num_queries(WARM + COLD_REGION + COLD_OFFICE + 2):
            response = staff_of_first.get("/cx/")
        assert response.status_code == 200
        summary = response.context["summary"]
        assert summary.region.cx.value == pytest.approx(75)
        assert summary.office_scope.cx.value == pytest.approx(100)
        assert "75,0" in response.content.decode()
