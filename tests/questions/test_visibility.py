"""Nobody sees questions of an article they may not see (a draft, the trash)."""

import pytest
from django.test import Client

from articles.models import Article
from articles.services import article_trash
from questions import services
from tests.factories import ROLE_USERS, make_user
from tests.questions.factories import answer, ask

STAFF_ROLES = ["staff", "working_group", "manager"]


@pytest.fixture
def drafted(article, staff, colleague):
    """A question asked while the article was published, then sent back to draft."""
    question = ask(article, staff, "Вопрос к будущему черновику")
    reply = answer(question, colleague, "Ответ к будущему черновику")
    article.status = Article.Status.DRAFT
    article.save()
    return question, reply


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_cannot_reach_questions_of_a_draft(drafted, role):
    question, reply = drafted
    client = _client(make_user(role=ROLE_USERS[role]))
    assert client.get(question.article.get_absolute_url()).status_code == 404
    assert client.get(f"/questions/{question.pk}/answer/").status_code == 404
    assert client.post(f"/questions/{question.pk}/answer/", {"text": "x"}).status_code == 404
    assert client.post(f"/questions/{question.pk}/resolve/").status_code == 404
    assert client.post(f"/questions/answers/{reply.pk}/best/").status_code == 404
    assert "Вопрос к будущему черновику" not in client.get("/questions/my/").content.decode()
    assert question.answers.count() == 1


def test_the_asker_does_not_see_it_on_their_list_either(drafted, staff):
    page = _client(staff).get("/questions/my/").content.decode()
    assert "Вопрос к будущему черновику" not in page
    assert "Ответ к будущему черновику" not in page


def test_editors_still_see_and_answer_them(drafted, editor):
    question, _reply = drafted
    client = _client(editor)
    page = client.get(question.article.get_absolute_url()).content.decode()
    assert "Вопрос к будущему черновику" in page and "Ответ к будущему черновику" in page
    assert client.post(f"/questions/{question.pk}/answer/", {"text": "Редактор"}).status_code == 302


def test_the_service_refuses_an_answer_from_someone_who_cannot_see_the_article(drafted, colleague):
    from django.core.exceptions import PermissionDenied

    question, _reply = drafted
    with pytest.raises(PermissionDenied):
        services.answer_post(question=question, author=colleague, text="Ответ")


def test_questions_of_a_trashed_article_are_gone_for_everyone(article, staff, editor):
    question = ask(article, staff)
    article_trash(article=article)
    for person in (staff, editor):
        client = _client(person)
        assert client.get(f"/questions/{question.pk}/answer/").status_code == 404
        assert client.get("/questions/my/").context["questions"] == []


def test_the_health_page_lists_no_question_of_a_draft(drafted, editor):
    from datetime import timedelta

    from django.utils import timezone

    from questions.models import Question

    question, reply = drafted
    services.answer_delete(answer=reply, by=editor)
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=9))
    assert _client(editor).get("/contributions/health/").context["unanswered"]["count"] == 0
