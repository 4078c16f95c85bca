"""/notifications/: the list, «open», marking read, the settings page, and
the old idea-bank address."""

from notifications.models import EMAIL_BY_DEFAULT, Kind, Notification, NotificationPreference
from notifications.selectors import kind_short_label


def test_list_shows_mine_newest_first_with_unread_marked(staff_client, staff, colleague, tell):
    old = tell(staff, text="Старое")
    tell(staff, text="Новое")
    tell(colleague, text="Чужое")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    html = staff_client.get("/notifications/").content.decode()
    assert html.index("Новое") < html.index("Старое")
    assert "Чужое" not in html
    assert html.count("notification--unread") == 1
    assert "Отметить все прочитанными" in html


def test_list_is_paginated_by_30(staff_client, staff, tell):
    for number in range(31):
        tell(staff, text=f"Уведомление {number}")
    first = staff_client.get("/notifications/")
    assert len(first.context["page"]) == 30
    assert "Страница 1 из 2" in first.content.decode()
    assert len(staff_client.get("/notifications/?page=2").context["page"]) == 1


def test_open_marks_read_and_goes_to_the_object(staff_client, staff, tell):
    note = tell(staff, url="/ideas/5/#comment-9")
    response = staff_client.get(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/ideas/5/#comment-9"
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_never_leaves_the_site(staff_client, staff):
    # A row written around the service (the admin, a bad import) with a foreign link.
    note = Notification.objects.create(
        recipient=staff, kind=Kind.IDEA_STATUS, text="x", url="//evil.example/"
    )
    response = staff_client.get(f"/notifications/{note.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_not_found(staff_client, colleague, tell):
    theirs = tell(colleague)
    assert staff_client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert staff_client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_one_read(staff_client, staff, tell):
    first, second = tell(staff), tell(staff)
    response = staff_client.post(f"/notifications/{first.pk}/read/", follow=True)
    assert "Уведомление отмечено прочитанным." in response.content.decode()
    assert list(Notification.objects.unread().values_list("pk", flat=True)) == [second.pk]


def test_mark_read_needs_post(staff_client, staff, tell):
    note = tell(staff)
    assert staff_client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert staff_client.get("/notifications/read/").status_code == 405
    assert Notification.objects.unread().count() == 1


def test_mark_all_read(staff_client, staff, tell):
    tell(staff)
    tell(staff)
    response = staff_client.post("/notifications/read/", follow=True)
    assert "Все уведомления отмечены прочитанными." in response.content.decode()
    assert not Notification.objects.unread().exists()
    assert "Отметить все прочитанными" not in response.content.decode()


def test_settings_show_every_kind_checked_by_its_default(administrator, client_for):
    html = client_for(administrator).get("/notifications/settings/").content.decode()
    for kind in Kind:
        assert kind_short_label(kind) in html
        assert f'value="{kind.value}"' in html
    # All but «new proposal» and «subscriptions»; + the digest's «никогда».
    assert html.count("checked") - 1 == len(EMAIL_BY_DEFAULT) == len(Kind.values) - 2


def test_settings_save_without_javascript(staff_client, staff):
    response = staff_client.post(
        "/notifications/settings/", {"email_kinds": [Kind.IDEA_STATUS]}, follow=True
    )
    assert "Настройки уведомлений сохранены." in response.content.decode()
    saved = dict(NotificationPreference.objects.filter(user=staff).values_list("kind", "email"))
    assert saved[Kind.IDEA_STATUS] is True
    assert saved[Kind.IDEA_COMMENT] is False
    html = staff_client.get("/notifications/settings/").content.decode()
    assert html.count("checked") == 2  # and the digest's «никогда»


def test_settings_refuse_an_unknown_kind_in_russian(staff_client, staff):
    response = staff_client.post("/notifications/settings/", {"email_kinds": ["nonsense"]})
    assert response.status_code == 200
    assert "Такого вида уведомлений нет: nonsense." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_old_idea_bank_addresses_move_permanently(staff_client):
    for url in ("/ideas/notifications/", "/ideas/notifications/read/"):
        response = staff_client.get(url)
        assert response.status_code == 301
        assert response["Location"] == "/notifications/"


def test_header_link_goes_to_the_centre(staff_client, staff, tell):
    tell(staff)
    html = staff_client.get("/kb/").content.decode()
    header = html.split('<nav class="user-nav"')[1].split("</nav>")[0]
    assert 'href="/notifications/"' in header
    assert "</span>1</span>" in header
