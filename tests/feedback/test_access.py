"""Whose imports a person may touch: administrators all; a manager their
own and those of people of their office subtree; another office's manager
gets a 404 (the import does not exist for them), staff a 403, and nothing
changes. Every import URL is in the matrix."""

import pytest
from django.test import Client

from feedback import services
from feedback.models import FeedbackResponse, ImportBatch
from people.models import Profile
from tests.factories import ROLE_USERS, make_user
from tests.feedback.factories import csv_bytes, feedback_row, import_file, make_office

PEOPLE = [
    "owner",
    "same_office",
    "parent_office",
    "other_office",
    "administrator",
    "staff",
    "anonymous",
]
ALLOWED = {"owner", "same_office", "parent_office", "administrator"}

# name -> (method, url, state the import must be in, expected status, state after)
VIEWS = {
    "detail": ("get", "/feedback/imports/{pk}/", "imported", 200, "imported"),
    "mapping": ("get", "/feedback/imports/{pk}/mapping/", "validated", 200, "validated"),
    "mapping_post": ("post", "/feedback/imports/{pk}/mapping/", "validated", 200, "validated"),
    "confirm": ("post", "/feedback/imports/{pk}/confirm/", "validated", 302, "imported"),
    "rollback_page": ("get", "/feedback/imports/{pk}/rollback/", "imported", 200, "imported"),
    "rollback": ("post", "/feedback/imports/{pk}/rollback/", "imported", 302, "rolled_back"),
    "rejected_csv": ("get", "/feedback/imports/{pk}/rejected.csv", "imported", 200, "imported"),
    "rejected_xlsx": ("get", "/feedback/imports/{pk}/rejected.xlsx", "imported", 200, "imported"),
    "file": ("get", "/feedback/imports/{pk}/file/", "imported", 200, "imported"),
    "restart": ("post", "/feedback/imports/{pk}/restart/", "failed", 302, "validated"),
    "cancel": ("post", "/feedback/imports/{pk}/cancel/", "validated", 302, "cancelled"),
}


@pytest.fixture
def people(db, office):
    department = make_office("Западный территориальный отдел", code="west")
    own = make_office("ЦЗН № 1", code="czn-1", parent=department)
    sibling = make_office("ЦЗН № 2", code="czn-2", parent=department)

    def person(role, office=None):
        user = make_user(role=ROLE_USERS[role])
        if office is not None:
            Profile.objects.create(user=user, office=office)
        return user

    return {
        "owner": person("manager", own),
        "same_office": person("manager", own),
        "parent_office": person("manager", department),
        "other_office": person("manager", sibling),
        "administrator": person("administrator"),
        "staff": person("staff", own),
        "anonymous": None,
    }


def _batch(owner, state):
    content = csv_bytes([feedback_row(), feedback_row(csat="0")])
    batch = import_file(content, user=owner, confirm=state in {"imported"})
    if state == "failed":
        services.batch_fail(batch, "Обработка прервалась: проверка.", phase="validate")
    batch.refresh_from_db()
    assert batch.status == state
    return batch


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_touch_an_import(people, who, view):
    method, url, state, allowed_status, state_after = VIEWS[view]
    batch = _batch(people["owner"], state)
    responses = FeedbackResponse.objects.count()
    response = getattr(_client(people[who]), method)(url.format(pk=batch.pk))
    batch.refresh_from_db()
    if who in ALLOWED:
        assert response.status_code == allowed_status, (who, view)
        assert batch.status == state_after
        return
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif who == "staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 404, (who, view)
    assert batch.status == state  # nothing happened to it
    assert FeedbackResponse.objects.count() == responses


def test_the_journal_lists_only_the_imports_one_may_see(people):
    batches = {who: _batch(people[who], "imported") for who in ALLOWED - {"administrator"}}
    batches["other_office"] = _batch(people["other_office"], "imported")
    server = import_file(csv_bytes([feedback_row()]))  # manage.py import_feedback: nobody's

    def listed(who):
        page = _client(people[who]).get("/feedback/imports/")
        return {batch.pk for batch in page.context["page"]}

    office_a = {batches[who].pk for who in ("owner", "same_office")}
    assert listed("owner") == listed("same_office") == office_a
    # The department sees its job centres; a job centre does not see its department.
    assert listed("parent_office") == {batch.pk for batch in batches.values()}
    assert listed("other_office") == {batches["other_office"].pk}
    assert listed("administrator") == {*(b.pk for b in batches.values()), server.pk}


def test_a_manager_without_an_office_sees_only_their_own(people):
    lonely = make_user(role=ROLE_USERS["manager"])
    mine = _batch(lonely, "imported")
    _batch(people["owner"], "imported")
    page = _client(lonely).get("/feedback/imports/")
    assert [batch.pk for batch in page.context["page"]] == [mine.pk]


def test_imports_from_the_server_command_are_for_administrators(people):
    server = import_file(csv_bytes([feedback_row()]))
    assert _client(people["owner"]).get(f"/feedback/imports/{server.pk}/").status_code == 404
    assert (
        _client(people["administrator"]).get(f"/feedback/imports/{server.pk}/").status_code == 200
    )


def test_moving_to_another_office_moves_what_one_sees(people):
    batch = _batch(people["owner"], "imported")
    client = _client(people["other_office"])
    assert client.get(f"/feedback/imports/{batch.pk}/").status_code == 404
    profile = people["other_office"].profile
    profile.office = people["owner"].profile.office
    profile.save()
    assert client.get(f"/feedback/imports/{batch.pk}/").status_code == 200
    assert ImportBatch.objects.get(pk=batch.pk).status == "imported"
