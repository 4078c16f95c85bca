"""«Сделать FAQ»: one click of an editor turns a question and its answer into a
draft «вопрос-ответ» article, once."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from questions import services
from tests.questions.factories import answer, ask


@pytest.fixture
def answered(article, staff, colleague):
    question = ask(article, staff, "  Можно ли   записаться\nпо телефону?  ")
    answer(question, colleague, "Да, по номеру 8 800.\n\nЗапись подтверждают <b>SMS</b>.")
    return question


def test_an_editor_makes_a_draft_faq_and_goes_to_its_admin_page(editor_client, editor, answered):
    response = editor_client.post(f"/questions/{answered.pk}/faq/")
    faq = Article.all_objects.get(kind=Article.Kind.FAQ)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{faq.pk}/change/"
    source = answered.article
    assert faq.title == "Можно ли записаться по телефону?"
    assert faq.section == source.section
    assert faq.status == Article.Status.DRAFT
    assert faq.owner == editor
    assert (
        faq.body
        == "<p>Да, по номеру 8 800.</p>\n\n<p>Запись подтверждают &lt;b&gt;SMS&lt;/b&gt;.</p>"
    )
    assert list(faq.related.all()) == [source]
    assert list(source.related.all()) == [faq]
    answered.refresh_from_db()
    assert answered.faq_article == faq
    assert faq.history.get().history_user == editor
    assert editor_client.get(response["Location"]).status_code == 200


def test_the_question_shows_it_went_into_the_faq(editor, staff, answered, client_for):
    editor_client, staff_client = client_for(editor), client_for(staff)
    faq = services.question_to_faq(question=answered, by=editor)
    url = answered.article.get_absolute_url()
    page = editor_client.get(url).content.decode()
    assert "Вошёл в FAQ:" in page and faq.get_absolute_url() in page
    assert f'action="/questions/{answered.pk}/faq/"' not in page
    staff_page = staff_client.get(url).content.decode()
    assert "Вошёл в FAQ:" in staff_page
    assert faq.get_absolute_url() not in staff_page  # a draft: staff would get a 404
    faq.status = Article.Status.PUBLISHED
    faq.save()
    assert faq.get_absolute_url() in staff_client.get(url).content.decode()


def test_twice_gives_a_russian_message_and_no_second_article(editor_client, editor, answered):
    services.question_to_faq(question=answered, by=editor)
    response = editor_client.post(f"/questions/{answered.pk}/faq/", follow=True)
    assert "Этот вопрос уже вошёл в FAQ" in response.content.decode()
    assert Article.all_objects.filter(kind=Article.Kind.FAQ).count() == 1
    with pytest.raises(ValidationError, match="уже вошёл в FAQ"):
        services.question_to_faq(question=answered, by=editor)


def test_the_best_answer_is_used_over_the_latest(editor, owner, answered, colleague):
    best = answered.answers.get()
    answer(answered, colleague, "Позднее уточнение")
    services.answer_mark_best(answer=best, by=owner)
    faq = services.question_to_faq(question=answered, by=editor)
    assert "8 800" in faq.body and "уточнение" not in faq.body


def test_a_question_without_an_answer_cannot_become_faq(editor_client, article, staff):
    question = ask(article, staff)
    response = editor_client.post(f"/questions/{question.pk}/faq/", follow=True)
    assert "У вопроса ещё нет ответа" in response.content.decode()
    assert not Article.all_objects.filter(kind=Article.Kind.FAQ).exists()
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/faq/"' not in page


def test_a_deleted_question_cannot_become_faq(editor, answered):
    services.question_delete(question=answered, by=editor)
    with pytest.raises(ValidationError, match="удалён"):
        services.question_to_faq(question=answered, by=editor)
    assert not Article.all_objects.filter(kind=Article.Kind.FAQ).exists()


def test_staff_cannot_make_faq(client, staff, answered):
    client.force_login(staff)
    assert client.post(f"/questions/{answered.pk}/faq/").status_code == 403
    assert "Сделать FAQ" not in client.get(answered.article.get_absolute_url()).content.decode()
    assert not Article.all_objects.filter(kind=Article.Kind.FAQ).exists()


def test_a_long_question_is_cut_to_the_title_limit(editor, article, staff, colleague):
    question = ask(article, staff, "Очень " * 300)
    answer(question, colleague)
    faq = services.question_to_faq(question=question, by=editor)
    assert len(faq.title) == 200 and faq.title.endswith("…")


def test_markup_in_the_question_does_not_reach_the_title(editor, article, staff, colleague):
    question = ask(article, staff, "<script>alert(1)</script>Как записаться?")
    answer(question, colleague)
    faq = services.question_to_faq(question=question, by=editor)
    assert "<script>" not in faq.title


def test_a_trashed_faq_is_not_shown_on_the_question(editor, answered, client_for):
    from articles.services import article_trash

    faq = services.question_to_faq(question=answered, by=editor)
    article_trash(article=faq)
    page = client_for(editor).get(answered.article.get_absolute_url()).content.decode()
    assert "Вошёл в FAQ" not in page
