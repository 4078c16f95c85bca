"""Answers, «решён», «лучший ответ» and soft deletion, with who may do each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from notifications.models import Kind, Notification
from questions import services
from questions.models import Answer, Question
from tests.factories import ROLE_USERS, make_user
from tests.questions.factories import answer, ask


@pytest.fixture
def question(article, staff):
    question = ask(article, staff, "Сколько хранить журнал записи?")
    Notification.objects.all().delete()
    return question


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_anyone_on_staff_answers_and_the_asker_is_told(question, colleague, staff):
    response = _client(colleague).post(f"/questions/{question.pk}/answer/", {"text": "Пять лет."})
    assert response.status_code == 302
    assert response["Location"] == f"{question.article.get_absolute_url()}#question-{question.pk}"
    reply = Answer.objects.get()
    assert (reply.author, reply.text) == (colleague, "Пять лет.")
    notice = Notification.objects.get()
    assert notice.recipient == staff
    assert notice.kind == Kind.QUESTION_ANSWER
    assert "Пять лет." in notice.text
    assert notice.url == f"{question.article.get_absolute_url()}#question-{question.pk}"


def test_the_asker_answering_is_not_told(question, staff):
    answer(question, staff, "Нашёл сам: пять лет.")
    assert not Notification.objects.exists()


def test_answers_show_under_the_question_for_every_role(question, colleague):
    answer(question, colleague, "Пять лет.\nСм. приказ.")
    for role in ROLE_USERS.values():
        page = _client(make_user(role=role)).get(question.article.get_absolute_url())
        text = page.content.decode()
        assert "Сколько хранить журнал записи?" in text
        assert "Пять лет.<br>См. приказ." in text
        assert "Борис Сидоров" in text


def test_the_answer_page_shows_the_question_and_the_form(question, colleague):
    answer(question, colleague, "Пять лет.")
    page = _client(colleague).get(f"/questions/{question.pk}/answer/").content.decode()
    assert "Сколько хранить журнал записи?" in page and "Пять лет." in page
    assert 'name="text"' in page


@pytest.mark.parametrize(("text", "message"), [("", "Напишите ответ."), ("о" * 5001, "5000")])
def test_a_bad_answer_shows_its_page_and_saves_nothing(question, colleague, text, message):
    response = _client(colleague).post(f"/questions/{question.pk}/answer/", {"text": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()
    assert not Notification.objects.exists()


def test_answering_a_deleted_question_is_refused_in_russian(question, colleague, editor):
    services.question_delete(question=question, by=editor)
    response = _client(colleague).post(f"/questions/{question.pk}/answer/", {"text": "Поздно"})
    assert response.status_code == 200
    assert "Вопрос удалён: ответить на него нельзя." in response.content.decode()
    assert not Answer.objects.exists()
    with pytest.raises(ValidationError, match="Вопрос удалён"):
        services.answer_post(question=question, author=colleague, text="Поздно")
    assert not Answer.objects.exists()


def test_a_deleted_questions_page_shows_its_words_to_editors_only(question, colleague, editor):
    services.question_delete(question=question, by=editor)
    url = f"/questions/{question.pk}/answer/"
    page = _client(colleague).get(url).content.decode()
    assert "Вопрос удалён: ответить на него нельзя." in page
    assert "Сколько хранить журнал" not in page
    assert 'name="text"' not in page
    assert "Сколько хранить журнал" in _client(editor).get(url).content.decode()


def test_a_deleted_question_leaves_the_article_page_and_its_notices(question, editor, owner):
    page = _client(owner).get(question.article.get_absolute_url()).content.decode()
    assert "Сколько хранить журнал" in page
    reply = answer(question, owner)
    assert Notification.objects.filter(kind=Kind.QUESTION_ANSWER).exists()
    services.question_delete(question=question, by=editor)
    page = _client(owner).get(question.article.get_absolute_url()).content.decode()
    assert "Сколько хранить журнал" not in page
    assert not Notification.objects.exists()
    question.refresh_from_db()
    assert question.deleted_by == editor
    assert question.history.latest().history_change_reason == "вопрос удалён"
    reply.refresh_from_db()
    assert reply.deleted_at is None  # the answer stays with its deleted question


@pytest.mark.parametrize("role", ["staff", "working_group", "manager"])
def test_only_editors_delete(question, role):
    user = make_user(role=ROLE_USERS[role])
    reply = answer(question, user)
    client = _client(user)
    assert client.post(f"/questions/{question.pk}/delete/").status_code == 403
    assert client.post(f"/questions/answers/{reply.pk}/delete/").status_code == 403
    question.refresh_from_db()
    reply.refresh_from_db()
    assert question.deleted_at is None and reply.deleted_at is None


def test_an_editor_deletes_an_answer_and_it_stops_being_best(question, colleague, editor, owner):
    reply = answer(question, colleague)
    services.answer_mark_best(answer=reply, by=owner)
    response = _client(editor).post(f"/questions/answers/{reply.pk}/delete/")
    assert response.status_code == 302
    reply.refresh_from_db()
    question.refresh_from_db()
    assert reply.deleted_by == editor
    assert question.best_answer is None
    page = _client(colleague).get(question.article.get_absolute_url()).content.decode()
    assert "Пять лет, по приказу" not in page
    assert reply.history.latest().history_change_reason == "ответ удалён"


def test_the_asker_the_owner_and_editors_resolve_and_reopen(question, staff, owner, editor):
    for person in (staff, owner, editor):
        client = _client(person)
        assert client.post(f"/questions/{question.pk}/resolve/").status_code == 302
        question.refresh_from_db()
        assert question.resolved_by == person
        assert client.post(f"/questions/{question.pk}/reopen/").status_code == 302
        question.refresh_from_db()
        assert question.resolved_at is None
    reasons = list(question.history.values_list("history_change_reason", flat=True))
    assert reasons.count("вопрос решён") == 3 and reasons.count("вопрос открыт снова") == 3


@pytest.mark.parametrize("role", ["staff", "working_group", "manager"])
def test_other_staff_cannot_resolve_or_reopen(question, role):
    client = _client(make_user(role=ROLE_USERS[role]))
    assert client.post(f"/questions/{question.pk}/resolve/").status_code == 403
    question.refresh_from_db()
    assert question.resolved_at is None
    services.question_resolve(question=question, by=question.author)
    assert client.post(f"/questions/{question.pk}/reopen/").status_code == 403
    question.refresh_from_db()
    assert question.resolved_at is not None


def test_the_owner_or_an_editor_marks_the_best_answer(question, colleague, owner, editor, staff):
    first, second = answer(question, colleague, "Первый"), answer(question, editor, "Второй")
    assert _client(staff).post(f"/questions/answers/{first.pk}/best/").status_code == 403
    assert _client(colleague).post(f"/questions/answers/{first.pk}/best/").status_code == 403
    question.refresh_from_db()
    assert question.best_answer is None
    assert _client(owner).post(f"/questions/answers/{first.pk}/best/").status_code == 302
    question.refresh_from_db()
    assert question.best_answer == first
    assert question.resolved_by == owner  # a best answer resolves the question
    assert _client(editor).post(f"/questions/answers/{second.pk}/best/").status_code == 302
    question.refresh_from_db()
    assert question.best_answer == second
    page = _client(staff).get(question.article.get_absolute_url()).content.decode()
    assert "лучший ответ" in page and "решён" in page


def test_a_deleted_answer_cannot_be_best(question, colleague, owner, editor):
    reply = answer(question, colleague)
    services.answer_delete(answer=reply, by=editor)
    with pytest.raises(ValidationError):
        services.answer_mark_best(answer=reply, by=owner)


def test_services_check_permissions_themselves(question, colleague):
    reply = answer(question, colleague)
    with pytest.raises(PermissionDenied):
        services.question_resolve(question=question, by=colleague)
    with pytest.raises(PermissionDenied):
        services.answer_mark_best(answer=reply, by=colleague)
    with pytest.raises(PermissionDenied):
        services.question_delete(question=question, by=colleague)
    with pytest.raises(PermissionDenied):
        services.answer_delete(answer=reply, by=colleague)
    with pytest.raises(PermissionDenied):
        services.question_to_faq(question=question, by=colleague)


def test_actions_refuse_get(question, editor):
    client = _client(editor)
    for url in ["resolve", "reopen", "delete", "faq"]:
        assert client.get(f"/questions/{question.pk}/{url}/").status_code == 405


def test_html_in_an_answer_is_text(question, colleague):
    answer(question, colleague, "<b>жирно</b><script>alert(1)</script>")
    page = _client(colleague).get(question.article.get_absolute_url()).content.decode()
    assert "<b>жирно</b>" not in page and "<script>alert(1)" not in page
    assert "&lt;b&gt;жирно&lt;/b&gt;&lt;script&gt;" in page


def test_a_question_records_every_change_in_history(question, colleague, owner):
    reply = answer(question, colleague)
    services.answer_mark_best(answer=reply, by=owner)
    assert question.history.count() == 2
    assert reply.history.get().history_user == colleague
    assert Question.history.latest().history_user == owner
