"""Who may import: every import URL × every role, anonymous included (each
on imports of their own: whose import it is, is tests/feedback/test_access.py);
and the pinned query counts of the list and detail pages."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from people.models import Profile
from tests.factories import ROLE_USERS, make_user
from tests.feedback.factories import csv_bytes, feedback_row, import_file

ROLES = ["anonymous", "staff", "editor", "working_group", "manager", "administrator", "superuser"]
ALLOWED = {"manager", "administrator", "superuser"}

# name -> (method, url, status for those allowed)
URLS = {
    "list": ("get", "/feedback/imports/", 200),
    "upload": ("post", "/feedback/imports/", 200),  # an empty form comes back with errors
    "template": ("get", "/feedback/imports/template/feedback.xlsx", 200),
    "detail": ("get", "/feedback/imports/{pk}/", 200),
    "mapping": ("get", "/feedback/imports/{validated}/mapping/", 200),
    "confirm": ("post", "/feedback/imports/{validated}/confirm/", 302),
    "rollback_page": ("get", "/feedback/imports/{pk}/rollback/", 200),
    "rollback": ("post", "/feedback/imports/{pk}/rollback/", 302),
    "rejected_csv": ("get", "/feedback/imports/{pk}/rejected.csv", 200),
    "rejected_xlsx": ("get", "/feedback/imports/{pk}/rejected.xlsx", 200),
    "file": ("get", "/feedback/imports/{pk}/file/", 200),
}


def _batches(user=None):
    return {
        "pk": import_file(csv_bytes([feedback_row(), feedback_row(csat="0")]), user=user).pk,
        "validated": import_file(csv_bytes([feedback_row()]), user=user, confirm=False).pk,
    }


@pytest.fixture
def batches(db, office):
    return _batches()


def _user(role):
    if role == "superuser":
        return User.objects.create_superuser("root", password="x-1234-word")
    if role == "anonymous":
        return None
    return make_user(role=ROLE_USERS[role])


def _client(role, user=None):
    client = Client()
    user = user or _user(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", list(URLS))
@pytest.mark.parametrize("role", ROLES)
def test_only_managers_and_administrators_may_import(role, name, office):
    user = _user(role)
    method, url, allowed_status = URLS[name]
    url = url.format(**_batches(user))
    response = getattr(_client(role, user), method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in ALLOWED:
        assert response.status_code == allowed_status, (role, name)
    else:
        assert response.status_code == 403, (role, name)


def test_the_nav_link_shows_only_to_those_who_may_import(client_for, staff, manager):
    assert "Импорт отзывов" not in client_for(staff).get("/").text
    assert "Импорт отзывов" in client_for(manager).get("/").text


# user, roles, the manager's office, count, page of batches with their
# importers (session from cache: +1)
LIST = 6
DETAIL = 5  # user, roles, the manager's office, batch with people, first rejected rows


@pytest.mark.parametrize("extra", [0, 30], ids=["few", "many"])
def test_list_and_detail_cost_the_same_with_more_batches(
    django_assert_max_num_queries, manager_client, manager, office, other_office, extra
):
    """The office scope is one query, not one per batch or per colleague."""
    Profile.objects.create(user=manager, office=office)
    colleagues = [make_user(role=ROLE_USERS["manager"]) for _i in range(1 + extra // 10)]
    for colleague in colleagues:
        Profile.objects.create(user=colleague, office=office)
    stranger = make_user(role=ROLE_USERS["manager"])
    Profile.objects.create(user=stranger, office=other_office)
    for i in range(3 + extra // 10):
        rows = [feedback_row(external_id=f"{extra}-{i}"), feedback_row(csat="0")]
        import_file(csv_bytes(rows), user=colleagues[i % len(colleagues)])
        import_file(csv_bytes([feedback_row(csat="0")]), user=stranger)
    batch = import_file(
        csv_bytes([feedback_row(csat="0") for _i in range(extra + 1)]), user=manager
    )
    page = manager_client.get("/feedback/imports/")
    assert len(page.context["page"]) == 3 + extra // 10 + 1  # not the stranger's
    with django_assert_max_num_queries(LIST + 1):
        assert manager_client.get("/feedback/imports/").status_code == 200
    with django_assert_max_num_queries(DETAIL + 1):
        assert manager_client.get(f"/feedback/imports/{batch.pk}/").status_code == 200


ADMIN_URLS = [
    "/admin/feedback/importbatch/",
    "/admin/feedback/importbatch/{pk}/change/",
    "/admin/feedback/feedbackresponse/",
    "/admin/feedback/operationalindicator/",
    "/admin/feedback/service/",
    "/admin/feedback/service/add/",
]


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_administrators_see_feedback_in_the_admin_and_editors_do_not(url, batches):
    url = url.format(**batches)
    assert _client("administrator").get(url).status_code == 200
    assert _client("editor").get(url).status_code == 403


def test_imports_cannot_be_edited_in_the_admin(batches):
    client = _client("administrator")
    assert client.get("/admin/feedback/importbatch/add/").status_code == 403
    page = client.get(f"/admin/feedback/importbatch/{batches['pk']}/change/")
    assert 'name="_save"' not in page.text
