"""Administrators manage people and their roles, but only a superuser makes
superusers or grants permissions outside the roles, and no one grants roles
to themselves: otherwise "administrators cannot edit articles" would be one
tick from untrue."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from people import roles
from tests.factories import make_user
from tests.html import form_data


def _change_url(user):
    return f"/admin/auth/user/{user.pk}/change/"


def _forged(client, user, **extra):
    """The change form as shown, with privilege fields forged into the POST."""
    data = form_data(client.get(_change_url(user)), "user_form")
    data.update(
        is_superuser=["on"],
        is_staff=["on"],
        user_permissions=[str(Permission.objects.get(codename="change_article").pk)],
        **extra,
    )
    return data


@pytest.fixture
def colleague(db):
    return make_user("kollega", role=roles.STAFF)


def test_administrator_cannot_make_anyone_superuser(client_for, administrator, colleague):
    client = client_for(administrator)
    page = client.get(_change_url(colleague)).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    response = client.post(_change_url(colleague), _forged(client, colleague))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_superuser
    assert not colleague.is_staff
    assert not colleague.user_permissions.exists()
    assert not colleague.has_perm("articles.change_article")


def test_administrator_cannot_raise_themselves(client_for, administrator):
    client = client_for(administrator)
    editor_role = Group.objects.get(name=roles.EDITOR)
    data = _forged(client, administrator, groups=[str(editor_role.pk)])
    assert client.post(_change_url(administrator), data).status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert list(administrator.groups.values_list("name", flat=True)) == [roles.ADMINISTRATOR]
    assert not User.objects.get(pk=administrator.pk).has_perm("articles.change_article")


def test_administrator_still_gives_roles_to_others(client_for, administrator, colleague):
    client = client_for(administrator)
    data = form_data(client.get(_change_url(colleague)), "user_form")
    data["groups"] = [str(Group.objects.get(name=roles.EDITOR).pk)]
    assert client.post(_change_url(colleague), data).status_code == 302
    assert list(colleague.groups.values_list("name", flat=True)) == [roles.EDITOR]


def test_administrator_cannot_touch_a_superuser_account(client_for, administrator):
    boss = make_user("boss", is_superuser=True, first_name="Был")
    client = client_for(administrator)
    assert client.get(_change_url(boss)).status_code == 200  # shown, read-only
    response = client.post(_change_url(boss), {"username": "boss", "first_name": "Стал"})
    assert response.status_code == 403
    password_url = f"/admin/auth/user/{boss.pk}/password/"
    assert client.get(password_url).status_code == 403
    response = client.post(
        password_url, {"password1": "novyj-parol-2026", "password2": "novyj-parol-2026"}
    )
    assert response.status_code == 403
    assert client.post(f"/admin/auth/user/{boss.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": [boss.pk], "post": "yes"},
    )
    boss.refresh_from_db()
    assert boss.first_name == "Был"
    assert boss.check_password("pass-1234-word")


def test_superuser_may_grant_superuser(client_for, colleague):
    boss = make_user("boss", is_superuser=True)
    client = client_for(boss)
    assert client.post(_change_url(colleague), _forged(client, colleague)).status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_superuser
