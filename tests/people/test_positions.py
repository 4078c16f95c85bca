"""Positions: a reference list administrators keep, what every profile
points to; the old free text became rows of it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from people import roles
from people.models import Office, Position, Profile
from tests.articles.reading import mandatory_article, person, region, spec
from tests.factories import make_position, make_user

BEFORE = [("people", "0003_login_throttle")]
AFTER = [("people", "0004_positions")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_free_text_positions_become_the_reference_list_and_back(transactional_db):
    apps = _migrate(BEFORE)
    User = apps.get_model("auth", "User")
    OldProfile = apps.get_model("people", "Profile")
    texts = ["консультант", "  Консультант ", "психолог", "", "юрист  по   делам", "психолог"]
    for i, text in enumerate(texts):
        OldProfile.objects.create(user=User.objects.create(username=f"u{i}"), position=text)

    apps = _migrate(AFTER)
    NewPosition = apps.get_model("people", "Position")
    NewProfile = apps.get_model("people", "Profile")
    assert sorted(NewPosition.objects.values_list("title", flat=True)) == [
        "консультант",  # spelled as first met; the same words in other letter case join it
        "психолог",
        "юрист по делам",  # spaces trimmed and collapsed
    ]
    held = {
        p.user.username: p.position.title if p.position else None
        for p in NewProfile.objects.select_related("user", "position")
    }
    assert held == {
        "u0": "консультант",
        "u1": "консультант",
        "u2": "психолог",
        "u3": None,
        "u4": "юрист по делам",
        "u5": "психолог",
    }

    apps = _migrate(BEFORE)  # and back: the text is written again
    texts_back = dict(
        apps.get_model("people", "Profile").objects.values_list("user__username", "position")
    )
    assert texts_back == {
        "u0": "консультант",
        "u1": "консультант",
        "u2": "психолог",
        "u3": "",
        "u4": "юрист по делам",
        "u5": "психолог",
    }
    # Forward to the latest of every app again: the tests after this one
    # need the whole schema (the later migrations of articles were undone too).
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def positions_admin(db, client_for):
    administrator = make_user("admin-1", role=roles.ADMINISTRATOR)
    return client_for(administrator)


def test_administrators_add_and_rename_positions_with_history(positions_admin):
    response = positions_admin.post("/admin/people/position/add/", {"title": "методист"})
    assert response.status_code == 302
    position = Position.objects.get(title="методист")
    positions_admin.post(
        f"/admin/people/position/{position.pk}/change/", {"title": "ведущий методист"}
    )
    position.refresh_from_db()
    assert position.title == "ведущий методист"
    assert [h.title for h in position.history.order_by("history_id")] == [
        "методист",
        "ведущий методист",
    ]


def test_a_position_twice_is_refused_in_russian(positions_admin):
    make_position("психолог")
    response = positions_admin.post("/admin/people/position/add/", {"title": "психолог"})
    assert response.status_code == 200
    assert "Такая должность уже есть в справочнике." in response.content.decode()
    assert Position.objects.filter(title="психолог").count() == 1


def test_editors_may_look_positions_up_but_not_change_them(client_for, db):
    editor = make_user("editor-1", role=roles.EDITOR)
    client = client_for(editor)
    assert client.get("/admin/people/position/").status_code == 200
    assert client.get("/admin/people/position/add/").status_code == 403


def test_deleting_a_targeted_position_is_refused_with_what_names_it(positions_admin):
    offices = region()
    mandatory_article(title="Стандарт приёма", audience=spec(positions=["консультант"]))
    position = Position.objects.get(title="консультант")
    url = f"/admin/people/position/{position.pk}/delete/"
    page = positions_admin.get(url).content.decode()
    assert "потребует удаления следующих связанных защищенных объектов" in page
    assert "аудитория обязательного документа «Стандарт приёма»" in page
    positions_admin.post(url, {"post": "yes"})
    assert Position.objects.filter(pk=position.pk).exists()
    assert offices  # the region is there to be targeted


def test_deleting_a_position_someone_holds_is_refused(positions_admin):
    anna = person("anna", position="психолог")
    position = anna.profile.position
    page = positions_admin.get(f"/admin/people/position/{position.pk}/delete/").content.decode()
    assert "связанных защищенных объектов" in page
    positions_admin.post(f"/admin/people/position/{position.pk}/delete/", {"post": "yes"})
    assert Profile.objects.get(user=anna).position == position


def test_deleting_targeted_offices_in_bulk_deletes_none_and_says_why(positions_admin):
    offices = region()
    mandatory_article(title="Стандарт приёма", audience=spec(offices=[offices["s2"]]))
    response = positions_admin.post(
        "/admin/people/office/",
        {
            "action": "delete_selected",
            "_selected_action": [offices["n2"].pk, offices["s2"].pk],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Ничего не удалено" in response.content.decode()
    assert Office.objects.filter(pk__in=[offices["n2"].pk, offices["s2"].pk]).count() == 2


def test_the_profile_page_and_an_answer_show_the_position_title(client_for, db):
    anna = person("anna", position="специалист по профобучению")
    page = client_for(anna).get("/accounts/profile/").content.decode()
    assert "специалист по профобучению" in page
