"""«Путь новичка: прогресс сотрудников»: who sees whom, and what each row says."""

import pytest
from django.utils import timezone

from people import roles
from people.models import Profile
from tests.cases.factories import make_head
from tests.factories import ROLE_USERS, make_position, make_user
from tests.feedback.factories import make_office
from tests.onboarding.factories import make_newcomer, make_path, mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    root = make_office("Управляющий центр", code="uc")
    mine = make_office("ЦЗН Кировского района", code="kir", parent=root)
    branch = make_office("Отдел ЦЗН Кировского района", code="kir-1", parent=mine)
    other = make_office("ЦЗН Ленинского района", code="len", parent=root)
    return {"root": root, "mine": mine, "branch": branch, "other": other}


def _names(response):
    return [row.profile.user.username for row in response.context["rows"]]


def test_a_head_sees_the_newcomers_of_their_office_subtree(client, region):
    path = make_path(steps=4)
    make_newcomer(office=region["mine"], username="in-mine")
    make_newcomer(office=region["branch"], username="in-branch")
    make_newcomer(office=region["other"], username="in-other")
    make_newcomer(make_position("юрист"), office=region["mine"], username="no-path")
    make_newcomer(office=region["mine"], username="veteran", days_ago=2000)
    client.force_login(make_head(region["mine"]))
    response = client.get("/onboarding/progress/")
    assert response.status_code == 200
    assert sorted(_names(response)) == ["in-branch", "in-mine"]
    assert path.title in response.content.decode()


def test_the_working_group_sees_the_region(client, region):
    make_path()
    make_newcomer(office=region["mine"], username="a")
    make_newcomer(office=region["other"], username="b")
    make_newcomer(office=None, username="c")
    client.force_login(make_user(role=ROLE_USERS["working_group"]))
    assert sorted(_names(client.get("/onboarding/progress/"))) == ["a", "b", "c"]


def test_a_row_counts_the_marks_and_flags_overdue(client, region):
    path = make_path(steps=3)
    first, second, _third = path.steps.all()
    late = make_newcomer(office=region["mine"], username="late", days_ago=120)
    fresh = make_newcomer(office=region["mine"], username="fresh", days_ago=3)
    done = make_newcomer(office=region["mine"], username="done", days_ago=120)
    mark(late, first)
    mark(fresh, first, second)
    mark(done, *path.steps.all())
    client.force_login(make_head(region["mine"]))
    response = client.get("/onboarding/progress/")
    rows = {row.profile.user.username: row for row in response.context["rows"]}
    assert (rows["late"].done, rows["late"].total, rows["late"].overdue) == (1, 3, True)
    assert (rows["fresh"].done, rows["fresh"].overdue) == (2, False)
    assert rows["fresh"].last_mark is not None
    assert (rows["done"].is_done, rows["done"].overdue) == (True, False)
    assert rows["late"].last_mark is not None
    html = response.content.decode()
    assert "просрочено" in html
    assert "пройден" in html


def test_the_csv_has_the_same_rows(client, region):
    make_path(steps=2)
    make_newcomer(office=region["mine"], username="x", first_name="Ирина", last_name="Орлова")
    client.force_login(make_head(region["mine"]))
    response = client.get("/onboarding/progress/export.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Ирина Орлова;специалист по работе с гражданами;ЦЗН Кировского района" in text
    assert text.count("\r\n") == 2


def test_a_manager_without_an_office_is_told_why(client):
    make_path()
    make_newcomer(username="someone")
    client.force_login(make_user(role=roles.MANAGER))
    response = client.get("/onboarding/progress/")
    assert response.status_code == 200
    assert "не указано подразделение" in response.content.decode()
    assert "someone" not in response.content.decode()
    assert client.get("/onboarding/progress/export.csv").status_code == 403


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_others_are_refused(client, role):
    client.force_login(make_user(role=ROLE_USERS[role]))
    assert client.get("/onboarding/progress/").status_code == 403
    assert client.get("/onboarding/progress/export.csv").status_code == 403


def test_the_start_without_a_date_is_the_day_of_joining(client, region):
    make_path()
    person = make_newcomer(office=region["mine"], username="joined")
    Profile.objects.filter(user=person).update(started_on=None)
    client.force_login(make_head(region["mine"]))
    (row,) = client.get("/onboarding/progress/").context["rows"]
    assert row.start == timezone.localdate(person.date_joined)


def test_the_my_page_links_the_progress_page_for_managers_only(client, region):
    client.force_login(make_head(region["mine"]))
    assert "/onboarding/progress/" in client.get("/onboarding/").content.decode()
    client.force_login(make_newcomer())
    assert "/onboarding/progress/" not in client.get("/onboarding/").content.decode()
