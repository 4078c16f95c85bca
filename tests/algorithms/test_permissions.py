"""Who may open the wizard and the trees' admin: every role × every page,
anonymous included."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client

from tests.algorithms.factories import answer, make_algorithm
from tests.factories import ROLE_USERS, make_user

pytestmark = pytest.mark.django_db

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]


@pytest.fixture
def urls(db):
    article = make_algorithm()
    no, yes = answer(article, "В1", "Нет"), answer(article, "В2", "Да")
    return {
        "walk_start": f"/algorithms/{article.pk}/walk/",
        "walk_question": f"/algorithms/{article.pk}/walk/{no.pk}/",
        "walk_result": f"/algorithms/{article.pk}/walk/{no.pk}.{yes.pk}/",
        "admin_algorithms": "/admin/algorithms/algorithm/",
        "admin_algorithm": f"/admin/algorithms/algorithm/{article.pk}/change/",
        "admin_nodes": "/admin/algorithms/decisionnode/",
        "admin_node_history": f"/admin/algorithms/decisionnode/{no.from_node_id}/history/",
    }


_WALK = {"walk_start": 200, "walk_question": 200, "walk_result": 200}
_NO_ADMIN = {
    "admin_algorithms": 403,
    "admin_algorithm": 403,
    "admin_nodes": 403,
    "admin_node_history": 403,
}
_ADMIN = dict.fromkeys(_NO_ADMIN, 200)
EXPECTED = {
    "staff": {**_WALK, **_NO_ADMIN},
    "editor": {**_WALK, **_ADMIN},
    "working_group": {**_WALK, **_NO_ADMIN},
    "manager": {**_WALK, **_NO_ADMIN},
    "administrator": {**_WALK, **_ADMIN},  # may look the trees up, not change them
}


@pytest.mark.parametrize("name", list(_WALK) + list(_NO_ADMIN))
def test_anonymous_is_sent_to_login(client, urls, name):
    response = client.get(urls[name], follow=True)
    location = urlsplit(response.redirect_chain[-1][0])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]) == urls[name]
    assert "Вход в базу знаний" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(urls, role):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert set(EXPECTED[role]) == set(urls)
    for name, url in urls.items():
        response = client.get(url, follow=name.startswith("admin_"))
        assert response.status_code == EXPECTED[role][name], (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_the_wizard_takes_no_post(urls, role):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert client.post(urls["walk_start"]).status_code == 405
