"""notification_send, notification_mark_read and the e-mail preference."""

import smtplib
import socket

import pytest
from django.core import mail

from ideas.models import Idea
from notifications import selectors, services
from notifications.models import Kind, Notification, NotificationPreference
from tests.ideas.factories import make_idea


def test_send_tells_each_recipient_once(staff, colleague):
    told = services.notification_send(
        recipients=[staff, colleague, staff.pk, staff],
        kind=Kind.IDEA_STATUS,
        text="Текст",
        url="/ideas/1/",
    )
    assert told == 2
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [staff.pk, colleague.pk]
    )


def test_send_to_nobody_creates_nothing(db):
    assert services.notification_send(recipients=[], kind="idea_status", text="x", url="/") == 0
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "ideas/1/", "/\\evil.example", ""]
)
def test_send_refuses_a_link_off_the_site(staff, url):
    with pytest.raises(ValueError):
        services.notification_send(recipients=[staff], kind="idea_status", text="x", url=url)
    assert not Notification.objects.exists()


def test_unknown_kind_is_refused(staff):
    with pytest.raises(ValueError):
        services.notification_send(recipients=[staff], kind="nonsense", text="x", url="/")
    assert not Notification.objects.exists()


def test_send_keeps_the_target(staff):
    idea = make_idea(staff)
    services.notification_send(
        recipients=[staff], kind="idea_status", text="x", url=idea.get_absolute_url(), target=idea
    )
    note = Notification.objects.get()
    assert note.target == idea
    assert note.url == f"/ideas/{idea.pk}/"


def test_delete_for_target_removes_only_its_notifications(staff):
    first, second = make_idea(staff, title="Первая"), make_idea(staff, title="Вторая")
    for idea in (first, second):
        services.notification_send(
            recipients=[staff], kind="idea_status", text=idea.title, url="/", target=idea
        )
    assert selectors.unread_notification_count(user=staff) == 2
    assert services.notifications_delete_for(target=first) == 1
    assert list(Notification.objects.values_list("text", flat=True)) == ["Вторая"]
    assert selectors.unread_notification_count(user=staff) == 1
    assert Idea.objects.count() == 2


def test_mark_read_one_leaves_the_others(staff, tell):
    first, second = tell(staff, text="Раз"), tell(staff, text="Два")
    assert services.notification_mark_read(user=staff, notification=first) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    assert selectors.unread_notification_count(user=staff) == 1


def test_mark_read_all_marks_only_mine(staff, colleague, tell):
    tell(staff)
    tell(staff)
    theirs = tell(colleague)
    assert services.notification_mark_read(user=staff) == 2
    assert selectors.unread_notification_count(user=staff) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_of_someone_elses_notification_does_nothing(staff, colleague, tell):
    theirs = tell(colleague)
    assert services.notification_mark_read(user=staff, notification=theirs) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- E-mail --------------------------------------------------------------------------


@pytest.fixture
def mail_on(settings, staff, colleague):
    settings.EMAIL_HOST = "mail.example.ru"
    settings.PORTAL_URL = "https://kb.szn.local/"
    staff.email = "anna@example.ru"
    staff.save()
    colleague.email = "boris@example.ru"
    colleague.save()


def _send(*recipients, kind=Kind.IDEA_COMMENT):
    services.notification_send(
        recipients=recipients, kind=kind, text="Новый комментарий\nк идее", url="/ideas/7/#c"
    )


def test_ideas_kinds_are_emailed_by_default_after_commit(
    mail_on, staff, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(staff, colleague)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(letter.to[0] for letter in mail.outbox) == [
        "anna@example.ru",
        "boris@example.ru",
    ]
    letter = mail.outbox[0]
    assert letter.subject == "Новый комментарий к идее"  # one line
    assert "https://kb.szn.local/ideas/7/#c" in letter.body


def test_turning_email_off_stops_the_letters_not_the_notification(
    mail_on, staff, colleague, django_capture_on_commit_callbacks
):
    services.preferences_set(user=staff, email_kinds=[])
    with django_capture_on_commit_callbacks(execute=True):
        _send(staff, colleague)
    assert [letter.to for letter in mail.outbox] == [["boris@example.ru"]]
    assert Notification.objects.filter(recipient=staff).exists()


def test_no_email_without_email_host(settings, staff, django_capture_on_commit_callbacks):
    settings.EMAIL_HOST = ""
    staff.email = "anna@example.ru"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(staff)
    assert mail.outbox == []


def test_email_without_portal_url_has_no_bare_path(
    mail_on, settings, staff, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        _send(staff)
    assert len(mail.outbox) == 1
    assert "/ideas/7/" not in mail.outbox[0].body


def test_a_longer_letter_and_its_html_go_instead_of_the_text(
    mail_on, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(
            recipients=[staff],
            kind=Kind.CX_REPORT,
            text="Коротко на сайте",
            url="/dashboards/cx/",
            subject="Отчёт",
            email_text="Подробно\nв письме",
            email_html="<p>Подробно &amp; с разметкой</p>",
        )
    letter = mail.outbox[0]
    assert letter.subject == "Отчёт"
    assert letter.body == (
        "Подробно\nв письме\n\nОткрыть на портале: https://kb.szn.local/dashboards/cx/"
    )
    assert letter.alternatives == [("<p>Подробно &amp; с разметкой</p>", "text/html")]
    assert Notification.objects.get().text == "Коротко на сайте"


@pytest.mark.parametrize(
    "error",
    [
        socket.gaierror(-2, "Name or service not known"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        smtplib.SMTPServerDisconnected("gone"),
    ],
)
def test_a_mail_server_out_of_reach_is_logged_not_raised(
    mail_on, staff, django_capture_on_commit_callbacks, monkeypatch, caplog, error
):
    def unreachable(**kwargs):
        raise error

    monkeypatch.setattr(services, "get_connection", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        _send(staff)
    assert Notification.objects.filter(recipient=staff).exists()
    assert "could not send 1 e-mails" in caplog.text


def test_preferences_default_and_saved_choice(staff):
    defaults = selectors.email_preferences(user=staff)
    assert defaults[Kind.IDEA_STATUS] is True
    assert defaults[Kind.QUESTION_ANSWER] is True
    assert defaults[Kind.PROPOSAL_NEW] is False  # the editors' queue is on the site
    assert set(defaults) == set(Kind.values)
    services.preferences_set(user=staff, email_kinds=[Kind.IDEA_STATUS])
    chosen = selectors.email_preferences(user=staff)
    assert chosen[Kind.IDEA_STATUS] is True
    assert chosen[Kind.IDEA_COMMENT] is False
    services.preferences_set(user=staff, email_kinds=[Kind.IDEA_STATUS])  # again: no duplicates
    assert NotificationPreference.objects.filter(user=staff).count() == len(Kind.values)
