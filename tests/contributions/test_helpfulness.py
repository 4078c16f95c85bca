"""«Материал был полезен?»: one answer per person per article, changeable."""

import pytest

from articles.models import Article
from contributions.models import Helpfulness
from contributions.services import helpfulness_record
from tests.factories import make_article


@pytest.fixture
def article(db):
    return make_article(title="Кодекс клиентоцентричности")


def _url(article):
    return f"/contributions/articles/{article.pk}/helpful/"


def test_record_stores_the_version_and_a_second_answer_updates(article, staff):
    helpfulness_record(article=article, user=staff, helpful=True)
    article.title = "Кодекс клиентоцентричности, ред. 2"
    article.save()
    helpfulness_record(article=article, user=staff, helpful=False, reason="outdated", text="т")
    answer = Helpfulness.objects.get()
    assert (answer.helpful, answer.reason, answer.text) == (False, "outdated", "т")
    assert answer.article_version == article.version


def test_a_yes_keeps_no_reason(article, staff):
    helpfulness_record(article=article, user=staff, helpful=False, reason="error", text="т")
    helpfulness_record(article=article, user=staff, helpful=True, reason="error", text="т")
    answer = Helpfulness.objects.get()
    assert (answer.helpful, answer.reason, answer.text) == (True, "", "")


def test_article_page_asks_and_then_shows_the_answer(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Материал был полезен?" in page
    assert "<legend>Если нет — что не так?</legend>" in page
    response = staff_client.post(_url(article), {"helpful": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == article.get_absolute_url() + "#helpfulness"
    page = response.content.decode()
    assert "Спасибо, ваш ответ сохранён." in page
    assert "Вы ответили: да" in page
    assert f'href="{_url(article)}">изменить</a>' in page


def test_no_with_a_reason_is_saved_and_shown(staff_client, staff, article):
    staff_client.post(_url(article), {"helpful": "no", "reason": "unclear", "text": "Где сроки?"})
    answer = Helpfulness.objects.get(user=staff)
    assert (answer.helpful, answer.reason, answer.text) == (False, "unclear", "Где сроки?")
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Вы ответили: нет (непонятно)" in page


def test_change_page_shows_the_current_answer(staff_client, staff, article):
    helpfulness_record(article=article, user=staff, helpful=False, reason="missing")
    page = staff_client.get(_url(article)).content.decode()
    assert "Сейчас ваш ответ: нет (нет нужного)." in page
    assert 'value="missing" id="id_reason_2" checked' in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"helpful": "no"}, "Выберите, что не так с материалом."),
        ({"helpful": "no", "reason": "nonsense"}, "Выберите причину из списка."),
        ({"helpful": "maybe"}, "Ответьте «Да» или «Нет»."),
        ({}, "Ответьте «Да» или «Нет»."),
        ({"helpful": "no", "reason": "other", "text": "я" * 1001}, "Не больше 1000 символов"),
    ],
)
def test_bad_answer_shows_a_russian_error_and_saves_nothing(staff_client, article, data, error):
    response = staff_client.post(_url(article), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Helpfulness.objects.exists()


def test_text_is_shown_as_text(staff_client, staff, article):
    script = "<script>alert(1)</script>"
    helpfulness_record(article=article, user=staff, helpful=False, reason="other", text=script)
    page = staff_client.get(_url(article)).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_unpublished_article_is_404_even_for_editors(editor_client, status):
    article = make_article(status=status)
    response = editor_client.post(_url(article), {"helpful": "yes"})
    assert response.status_code == 404
    assert not Helpfulness.objects.exists()


def test_trashed_and_unknown_articles_are_404(staff_client, article):
    article.deleted_at = article.published_at
    article.save()
    assert staff_client.post(_url(article), {"helpful": "yes"}).status_code == 404
    assert staff_client.post("/contributions/articles/999999/helpful/").status_code == 404
    assert not Helpfulness.objects.exists()


def test_draft_page_has_no_question(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Материал был полезен?" not in page
