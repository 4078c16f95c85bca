"""Comments (soft delete) and the on-site notifications page."""

import pytest

from ideas import services
from ideas.models import Comment, Idea
from notifications.models import Notification


def test_comment_is_added_and_counted(client_for, colleague, idea):
    response = client_for(colleague).post(f"/ideas/{idea.pk}/comments/", {"text": "Поддерживаю!"})
    assert response.status_code == 302
    assert Comment.objects.get().author == colleague
    assert Idea.objects.get(pk=idea.pk).comment_count == 1


@pytest.mark.parametrize(
    ("text", "message"), [("", "Напишите комментарий."), ("я" * 2001, "не больше 2000 символов")]
)
def test_bad_comment_is_refused_in_russian(staff_client, idea, text, message):
    response = staff_client.post(f"/ideas/{idea.pk}/comments/", {"text": text}, follow=True)
    assert message in response.content.decode()
    assert not Comment.objects.exists()
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_author_deletes_own_comment_softly(client_for, colleague, idea):
    comment = services.comment_add(idea=idea, author=colleague, text="Опечатка")
    client_for(colleague).post(f"/ideas/comments/{comment.pk}/delete/")
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    html = client_for(colleague).get(idea.get_absolute_url()).content.decode()
    assert "Комментарий удалён." in html
    assert "Опечатка" not in html


def test_others_cannot_delete_a_comment(staff_client, colleague, idea):
    comment = services.comment_add(idea=idea, author=colleague, text="Моё мнение")
    assert staff_client.post(f"/ideas/comments/{comment.pk}/delete/").status_code == 403
    assert Comment.objects.alive().count() == 1


def test_working_group_may_delete_any_comment(wg_client, colleague, idea):
    comment = services.comment_add(idea=idea, author=colleague, text="Не по теме")
    assert wg_client.post(f"/ideas/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.alive().exists()


def test_banner_and_page_show_unread_notifications(staff_client, staff, idea, working_group):
    services.idea_status_set(idea=idea, status="under_review", by=working_group, reason="Берём.")
    html = staff_client.get("/ideas/").content.decode()
    assert "непрочитанн" in html
    page = staff_client.get("/notifications/").content.decode()
    assert "на рассмотрении" in page
    assert "Берём." in page
    staff_client.post("/notifications/read/")
    assert not Notification.objects.unread().filter(recipient=staff).exists()
    assert "непрочитанн" not in staff_client.get("/ideas/").content.decode()


def test_people_see_only_their_own_notifications(client_for, colleague, idea, working_group):
    services.idea_status_set(idea=idea, status="under_review", by=working_group)
    page = client_for(colleague).get("/notifications/").content.decode()
    assert "Уведомлений пока нет." in page
