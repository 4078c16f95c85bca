"""The topics dictionary in the admin: saving re-tags the comments; a topic
without words, a stale form and deleting are refused in Russian."""

import pytest

from feedback.models import ImportBatch, ResponseTopic, Topic
from tests.feedback.factories import csv_bytes, feedback_row, import_file


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def _form(topic, **changes):
    data = {
        "name": topic.name,
        "words": topic.words,
        "is_active": "on" if topic.is_active else "",
        "order": topic.order,
        "seen_changed_at": topic.changed_at.isoformat(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _url(topic):
    return f"/admin/feedback/topic/{topic.pk}/change/"


def test_saving_a_topic_tags_the_comments_again(admin_client, office):
    batch = import_file(csv_bytes([feedback_row(office=office.title, comment="Нет пандуса")]))
    assert batch.status == ImportBatch.Status.IMPORTED
    access = Topic.objects.get(name="Доступность для людей с инвалидностью")
    assert ResponseTopic.objects.filter(topic=access).count() == 1
    response = admin_client.post(_url(access), _form(access, words="лифт"), follow=True)
    assert response.status_code == 200
    assert "размечены темой «Доступность для людей с инвалидностью» заново" in (
        response.content.decode()
    )
    assert not ResponseTopic.objects.filter(topic=access).exists()
    assert access.history.count() >= 1


def test_a_topic_without_words_is_refused(admin_client):
    topic = Topic.objects.get(name="Благодарность")
    response = admin_client.post(_url(topic), _form(topic, words=" \n "))
    assert response.status_code == 200
    assert "Укажите хотя бы одно слово или фразу" in response.content.decode()
    topic.refresh_from_db()
    assert "спасибо" in topic.words


def test_new_topic_without_words_is_not_saved(admin_client):
    response = admin_client.post(
        "/admin/feedback/topic/add/", {"name": "Пустая", "words": "и\nна", "order": 1}
    )
    assert response.status_code == 200
    assert "нет значимых слов" in response.content.decode()
    assert not Topic.objects.filter(name="Пустая").exists()


def test_the_second_of_two_editors_is_told_and_saves_nothing(admin_client):
    topic = Topic.objects.get(name="Благодарность")
    opened = _form(topic)
    assert admin_client.post(_url(topic), {**opened, "words": "спасибо"}).status_code == 302
    response = admin_client.post(_url(topic), {**opened, "words": "молодцы"})
    assert response.status_code == 200
    assert "Эту тему уже изменил другой сотрудник" in response.content.decode()
    topic.refresh_from_db()
    assert topic.words == "спасибо"


def test_topics_are_not_deleted_only_switched_off(admin_client):
    topic = Topic.objects.get(name="Благодарность")
    assert admin_client.post(f"/admin/feedback/topic/{topic.pk}/delete/").status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_editors_do_not_edit_topics(client_for, editor):
    response = client_for(editor).get("/admin/feedback/topic/")
    assert response.status_code == 403
