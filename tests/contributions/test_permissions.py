"""Every contributions URL × every role, anonymous too; a refused POST changes nothing."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from contributions.models import Helpfulness, Review
from tests.factories import ROLE_USERS, make_article, make_user

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]
EDITORS = {"editor", "administrator"}

URLS = {
    "helpfulness": ("get", "/contributions/articles/{pk}/helpful/", None),
    "helpfulness_post": ("post", "/contributions/articles/{pk}/helpful/", {"helpful": "yes"}),
    "review_post": ("post", "/contributions/articles/{pk}/review/", {"note": "ok"}),
    "admin_helpfulness": ("get", "/admin/contributions/helpfulness/", None),
    "admin_reviews": ("get", "/admin/contributions/review/", None),
}


def expected(role, name):
    if name == "helpfulness":
        return 200
    if name == "helpfulness_post":
        return 302
    if name == "review_post":
        return 302 if role in EDITORS else 403
    return 200 if role in EDITORS else 403


@pytest.fixture
def article(db):
    return make_article()


def _state():
    return Helpfulness.objects.count(), Review.objects.count()


@pytest.mark.parametrize("name", list(URLS))
def test_anonymous_is_sent_to_login(client, article, name):
    method, url, data = URLS[name]
    response = getattr(client, method)(url.format(pk=article.pk), data=data)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/accounts/login/"
    assert _state() == (0, 0)


@pytest.mark.parametrize(("role", "name"), [(r, n) for r in ROLES for n in URLS], ids=str)
def test_role_gets_expected_status(article, role, name):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    method, url, data = URLS[name]
    response = getattr(client, method)(
        url.format(pk=article.pk), data=data, follow=name.startswith("admin_")
    )
    assert response.status_code == expected(role, name)
    if response.status_code == 403:
        assert _state() == (0, 0)


def test_review_refuses_get(editor_client, article):
    assert editor_client.get(f"/contributions/articles/{article.pk}/review/").status_code == 405


def test_editor_cannot_change_answers_in_the_admin(editor_client, article, staff):
    from contributions.services import helpfulness_record

    answer = helpfulness_record(article=article, user=staff, helpful=True)
    url = f"/admin/contributions/helpfulness/{answer.pk}/change/"
    assert editor_client.get(url).status_code == 200  # a read-only view
    editor_client.post(url, {"helpful": "", "reason": "error"})
    assert Helpfulness.objects.get().helpful is True
