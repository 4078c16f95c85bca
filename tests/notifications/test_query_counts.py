"""Pinned query counts: /notifications/ costs the same with 3 or 90
notifications (a full page and more). The header's unread count comes from
the per-person cache, warmed by the first visit."""

import pytest
from django.test import Client

from notifications import services
from notifications.models import Kind
from tests.factories import ROLE_USERS, make_user

LIST = 4  # user, roles (the session is in the cache); + count, page
SETTINGS = 4  # user, roles; + preferences, the digest choice


@pytest.fixture(params=[3, 90], ids=["3-notifications", "90-notifications"])
def client(request, db):
    user = make_user(role=ROLE_USERS["staff"])
    for number in range(request.param):
        services.notification_send(
            recipients=[user],
            kind=list(Kind)[number % len(Kind)],
            text=f"Уведомление {number}",
            url=f"/ideas/{number}/",
        )
    client = Client()
    client.force_login(user)
    return client


def _assert_queries(django_assert_num_queries, client, url, expected):
    client.get(url)  # the session and the unread count into the cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_list_query_count(client, django_assert_num_queries):
    response = _assert_queries(django_assert_num_queries, client, "/notifications/", LIST)
    assert len(response.context["page"]) <= 30


def test_settings_query_count(client, django_assert_num_queries):
    _assert_queries(django_assert_num_queries, client, "/notifications/settings/", SETTINGS)
