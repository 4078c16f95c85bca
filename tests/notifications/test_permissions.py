"""Every URL of the notification centre × every role, anonymous included:
anyone logged in reaches their own; anonymous goes to the login page and
changes nothing."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client

from notifications import services
from notifications.models import Notification, NotificationPreference
from tests.factories import ROLE_USERS, make_user

ROLES = ["staff", "editor", "working_group", "manager", "administrator"]

# name -> (method, url, data, status for a logged-in person, about their own notification)
URLS = {
    "list": ("get", "/notifications/", None, 200),
    "settings": ("get", "/notifications/settings/", None, 200),
    "settings_post": ("post", "/notifications/settings/", {"email_kinds": ["idea_status"]}, 302),
    "open": ("get", "/notifications/{note}/open/", None, 302),
    "read": ("post", "/notifications/{note}/read/", {}, 302),
    "read_all": ("post", "/notifications/read/", {}, 302),
    "old_list": ("get", "/ideas/notifications/", None, 301),
}


def _note_for(user):
    services.notification_send(recipients=[user], kind="idea_status", text="x", url="/ideas/")
    return Notification.objects.filter(recipient=user).latest("pk").pk


def _state():
    return (
        sorted(Notification.objects.values_list("pk", "read_at")),
        NotificationPreference.objects.count(),
    )


@pytest.mark.parametrize("name", list(URLS))
def test_anonymous_is_sent_to_login(client, db, name):
    owner = make_user(role=ROLE_USERS["staff"])
    method, template, data, _status = URLS[name]
    url = template.format(note=_note_for(owner))
    before = _state()
    response = getattr(client, method)(url, data=data, follow=True)
    assert response.redirect_chain, url
    location = urlsplit(response.redirect_chain[-1][0])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]).startswith("/")
    assert _state() == before


@pytest.mark.parametrize(
    ("role", "name"), [(role, name) for role in ROLES for name in URLS], ids=lambda v: str(v)
)
def test_every_role_reaches_its_own(db, role, name):
    user = make_user(role=ROLE_USERS[role])
    method, template, data, status = URLS[name]
    client = Client()
    client.force_login(user)
    response = getattr(client, method)(template.format(note=_note_for(user)), data=data)
    assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["open", "read"])
def test_no_role_reaches_someone_elses(db, role, name):
    other = make_user(role=ROLE_USERS["staff"])
    note = _note_for(other)
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    method, template, data, _status = URLS[name]
    before = _state()
    assert getattr(client, method)(template.format(note=note), data=data).status_code == 404
    assert _state() == before


def test_only_administrators_look_notifications_up_in_the_admin(db, administrator, staff):
    admin = Client()
    admin.force_login(administrator)
    assert admin.get("/admin/notifications/notification/").status_code == 200
    assert admin.get("/admin/notifications/notificationpreference/").status_code == 200
    other = Client()
    other.force_login(staff)
    assert other.get("/admin/notifications/notification/", follow=True).status_code == 403
