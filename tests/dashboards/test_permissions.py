"""Who may open the CX dashboard and its exports: every role, anonymous included."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client

from feedback.models import FeedbackResponse
from feedback.topics import stored_comments_prepare
from tests.dashboards.factories import GOOD, responses, save
from tests.factories import ROLE_USERS, make_user

URLS = {
    "dashboard": "/dashboards/cx/",
    "dashboard_office": "/dashboards/cx/?office={office}&period=year&month=2026-03",
    "export_xlsx": "/dashboards/cx/export.xlsx",
    "export_csv": "/dashboards/cx/export.csv?office={office}",
    "comments": "/dashboards/cx/comments/?period=month&month=2026-03",
    "comments_search": "/dashboards/cx/comments/?office={office}&q=%D0%BE%D1%82%D0%B7%D1%8B%D0%B2",
}
EXPECTED = {
    "staff": 403,
    "editor": 403,
    "working_group": 200,
    "manager": 200,
    "administrator": 200,
}


@pytest.fixture
def office(region):
    save(responses(region["first"], 30, **GOOD, comment="Секретный отзыв клиента"))
    stored_comments_prepare(FeedbackResponse)
    return region["first"].pk


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", EXPECTED)
def test_role_gets_expected_status(office, role, name):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    response = client.get(URLS[name].format(office=office))
    assert response.status_code == EXPECTED[role]
    if response.status_code == 403:
        assert "Секретный отзыв клиента" not in response.content.decode()
    elif name.startswith("comments"):
        assert "Секретный" in response.content.decode()


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_login(client, office, name):
    url = URLS[name].format(office=office)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]) == unquote(url)


def test_superuser_sees_the_dashboard(office):
    client = Client()
    client.force_login(make_user(is_superuser=True))
    assert client.get("/dashboards/cx/").status_code == 200


def test_inactive_manager_is_refused(office, client):
    user = make_user(role=ROLE_USERS["manager"])
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/dashboards/cx/").status_code in (302, 403)


def test_nav_link_only_for_dashboard_roles(client_for, staff, manager, office):
    assert "/dashboards/cx/" not in client_for(staff).get("/").content.decode()
    assert "/dashboards/cx/" in client_for(manager).get("/").content.decode()
