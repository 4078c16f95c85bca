"""Who hears about a new comment, what notifications say, and the unread
count in the site header on every page."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import services
from notifications import selectors
from notifications.models import Notification
from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea, make_voters

BARE_PATH = re.compile(r"/ideas/\d+")


@pytest.fixture
def third(db):
    return make_user("third", role=ROLE_USERS["staff"], first_name="Вера", last_name="Иванова")


def _told(comment):
    return sorted(
        Notification.objects.filter(target_type__model="comment", target_id=comment.pk).values_list(
            "recipient_id", flat=True
        )
    )


# --- A new comment -------------------------------------------------------------------


def test_comment_tells_the_author_and_earlier_commenters_once_never_the_writer(
    idea, staff, colleague, third
):
    first = services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    assert _told(first) == [staff.pk]
    second = services.comment_add(idea=idea, author=third, text="И я")
    assert _told(second) == sorted([staff.pk, colleague.pk])
    again = services.comment_add(idea=idea, author=colleague, text="Ещё мысль")
    assert _told(again) == sorted([staff.pk, third.pk])  # colleague wrote twice: told 0 times
    own = services.comment_add(idea=idea, author=staff, text="Спасибо всем")
    assert _told(own) == sorted([colleague.pk, third.pk])  # once each, not once per comment


def test_voters_who_did_not_comment_are_not_told_of_comments(idea, staff, colleague):
    (voter,) = make_voters(idea, 1)
    comment = services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    assert voter.pk not in _told(comment)


def test_comment_through_the_page_notifies_the_author(client_for, idea, staff, colleague):
    client_for(colleague).post(f"/ideas/{idea.pk}/comments/", {"text": "Поддерживаю!"})
    note = Notification.objects.get(recipient=staff)
    assert f"№{idea.pk} «{idea.title}»" in note.text
    assert "Борис Сидоров" in note.text
    assert "Поддерживаю!" in note.text


def test_refused_comment_notifies_nobody(client_for, idea, colleague):
    client_for(colleague).post(f"/ideas/{idea.pk}/comments/", {"text": "  "})
    assert not Notification.objects.exists()


def test_comment_notification_links_to_the_comment(staff_client, staff, idea, colleague):
    comment = services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    note = Notification.objects.get(recipient=staff)
    html = staff_client.get("/notifications/").content.decode()
    assert f'href="/notifications/{note.pk}/open/"' in html
    response = staff_client.get(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{idea.pk}/#comment-{comment.pk}"
    assert (
        f'id="comment-{comment.pk}"' in staff_client.get(idea.get_absolute_url()).content.decode()
    )


def test_long_comment_is_quoted_short(idea, staff, colleague):
    services.comment_add(idea=idea, author=colleague, text="слово " * 300)
    text = Notification.objects.get(recipient=staff).text
    assert len(text) < 500
    assert text.endswith("…")


def test_deleted_comment_takes_its_notifications_with_it(staff_client, idea, staff, colleague):
    comment = services.comment_add(idea=idea, author=colleague, text="Грубость")
    assert "Грубость" in staff_client.get("/notifications/").content.decode()
    services.comment_delete(comment=comment, by=colleague)
    assert not Notification.objects.filter(recipient=staff).exists()
    html = staff_client.get("/notifications/").content.decode()
    assert "Грубость" not in html
    assert selectors.unread_notification_count(user=staff) == 0


def test_comment_email_goes_after_commit_with_an_absolute_link(
    settings, idea, staff, colleague, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.example.ru"
    settings.PORTAL_URL = "https://kb.szn.local"
    staff.email = "anna@example.ru"
    staff.save()
    colleague.email = "boris@example.ru"
    colleague.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [letter.to for letter in mail.outbox] == [["anna@example.ru"]]  # not the writer
    body = mail.outbox[0].body
    assert f"https://kb.szn.local/ideas/{idea.pk}/#comment-{comment.pk}" in body
    assert "Поддерживаю" in body


def test_email_without_portal_url_has_no_bare_path(
    settings, idea, staff, colleague, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.example.ru"
    settings.PORTAL_URL = ""
    staff.email = "anna@example.ru"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    assert len(mail.outbox) == 1
    assert not BARE_PATH.search(mail.outbox[0].body)


def test_title_with_a_line_break_still_gets_its_letter(
    settings, staff, colleague, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "mail.example.ru"
    staff.email = "anna@example.ru"
    staff.save()
    idea = make_idea(staff, title="Запись\nна приём")  # a forged POST can send one
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(idea=idea, author=colleague, text="Да")
    assert mail.outbox[0].subject == "Банк идей: Запись на приём"


# --- What notifications say ----------------------------------------------------------


def test_no_notification_text_has_a_bare_path(idea, staff, colleague, meeting, working_group):
    services.idea_vote_cast(idea=idea, user=colleague)
    services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    services.idea_status_set(idea=idea, status="under_review", by=working_group, reason="Берём")
    services.decision_record(
        meeting=meeting, idea=idea, outcome="rework", by=working_group, rationale="Уточните"
    )
    original = make_idea(colleague, title="Исходная")
    services.idea_merge(duplicate=idea, original=original, by=working_group, reason="То же")
    texts = list(Notification.objects.values_list("text", flat=True))
    assert len(texts) >= 5
    for text in texts:
        assert not BARE_PATH.search(text), text
        assert "«" in text  # every one names an idea by its title


# --- The header ------------------------------------------------------------------------


def _header(html):
    return html.split('<nav class="user-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("url", ["/", "/kb/", "/ideas/", "/notifications/"])
def test_header_shows_the_unread_count_on_every_page(staff_client, idea, colleague, url):
    services.comment_add(idea=idea, author=colleague, text="Раз")
    services.comment_add(idea=idea, author=colleague, text="Два")
    header = _header(staff_client.get(url).content.decode())
    assert 'href="/notifications/"' in header
    assert "непрочитанных:" in header
    assert re.search(r"</span>2</span>", header)


def test_idea_pages_show_the_same_unread_count_as_the_header(staff_client, idea, colleague):
    services.comment_add(idea=idea, author=colleague, text="Раз")
    services.comment_add(idea=idea, author=colleague, text="Два")
    listing = staff_client.get("/ideas/").content.decode()
    # The count is of every kind, so the banner does not claim they are all
    # about ideas (the exact plural form comes from the catalogue).
    assert "У вас 2 непрочитанн" in listing and "о ваших идеях" not in listing
    page = staff_client.get("/notifications/").content.decode()
    assert "Отметить все прочитанными" in page
    staff_client.post("/notifications/read/")
    assert "непрочитанн" not in staff_client.get("/ideas/").content.decode()
    assert "Отметить все прочитанными" not in (staff_client.get("/notifications/").content.decode())


def test_idea_banner_counts_other_kinds_without_calling_them_ideas(staff_client, staff):
    from notifications.models import Kind
    from notifications.services import notification_send

    notification_send(
        recipients=[staff], kind=Kind.REVIEW_DUE, text="Пора проверить", url="/contributions/my/"
    )
    listing = staff_client.get("/ideas/").content.decode()
    assert "У вас 1 непрочитанное уведомление." in listing
    assert "идеях" not in listing.split("ideas-banner")[1].split("</p>")[0]


def test_header_badge_goes_when_everything_is_read(staff_client, staff, idea, colleague):
    services.comment_add(idea=idea, author=colleague, text="Раз")
    assert "непрочитанных:" in _header(staff_client.get("/").content.decode())
    staff_client.post("/notifications/read/")
    header = _header(staff_client.get("/").content.decode())
    assert "непрочитанных:" not in header
    assert 'href="/notifications/"' in header  # the way to the page stays


def test_new_notification_shows_at_once_despite_the_cache(staff_client, staff, idea, colleague):
    assert "непрочитанных:" not in _header(staff_client.get("/").content.decode())  # cached 0
    services.comment_add(idea=idea, author=colleague, text="Раз")
    assert "непрочитанных:" in _header(staff_client.get("/").content.decode())


def test_cache_is_dropped_again_after_commit(
    staff, idea, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_add(idea=idea, author=colleague, text="Раз")
        # Another request counts before this one commits and caches the old count.
        selectors.unread_notification_count(user=staff)
        from django.core.cache import cache

        cache.set(selectors.unread_cache_key(staff.pk), 0)
    for callback in callbacks:
        callback()
    assert selectors.unread_notification_count(user=staff) == 1


def _notification_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "notifications_notification" in q["sql"]]


def test_header_count_is_one_query_then_none_while_cached(staff_client, idea, colleague):
    services.comment_add(idea=idea, author=colleague, text="Раз")
    assert len(_notification_queries(staff_client, "/kb/")) == 1
    assert _notification_queries(staff_client, "/kb/") == []
    assert _notification_queries(staff_client, "/") == []


def test_anonymous_pages_do_not_count(client, db):
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/login/")
    assert not [q for q in queries if "notifications_notification" in q["sql"]]
