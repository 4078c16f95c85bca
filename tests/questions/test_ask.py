"""«Задать вопрос» under an article: the form, the notice to the owner, bad input."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from notifications.models import Kind, Notification
from questions.models import Question
from questions.services import question_ask
from tests.factories import ROLE_USERS, make_article, make_user
from tests.questions.factories import ask

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _ask_url(article):
    return f"/questions/articles/{article.pk}/ask/"


def test_the_form_is_under_a_published_article(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert 'id="questions"' in page
    assert f'action="{_ask_url(article)}"' in page
    assert "Вопросов к этому материалу пока нет." in page


def test_asking_goes_back_to_the_questions_with_a_message(staff, staff_client, article):
    response = staff_client.post(_ask_url(article), {"text": "  Сколько хранить журнал?  "})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#questions"
    question = Question.objects.get()
    assert (question.text, question.author, question.article) == (
        "Сколько хранить журнал?",
        staff,
        article,
    )
    page = staff_client.get(response["Location"]).content.decode()
    assert "Вопрос отправлен" in page
    assert f'id="question-{question.pk}"' in page
    assert "Сколько хранить журнал?" in page


def test_the_owner_is_told(staff, owner, article, editor):
    question = ask(article, staff, "Где взять бланк?")
    notice = Notification.objects.get()
    assert notice.recipient == owner
    assert notice.kind == Kind.QUESTION_NEW
    assert "Где взять бланк?" in notice.text and "Стандарт приёма" in notice.text
    assert notice.url == f"{article.get_absolute_url()}#question-{question.pk}"
    assert notice.target == question


def test_without_an_owner_the_editors_are_told(staff, editor, db):
    other_editor = make_user(role=ROLE_USERS["editor"])
    make_user(role=ROLE_USERS["administrator"])
    make_user(role=ROLE_USERS["working_group"])
    inactive = make_user(role=ROLE_USERS["editor"], is_active=False)
    article = make_article(owner=None)
    ask(article, staff)
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {editor.pk, other_editor.pk}
    assert inactive.pk not in told


def test_an_owner_asking_is_not_told_of_their_own_question(owner, article):
    ask(article, owner)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Напишите вопрос."),
        ("   \n  ", "Напишите вопрос."),
        ("в" * 2001, "не больше 2000 символов (сейчас 2001)"),
    ],
)
def test_bad_text_gets_a_page_with_the_form_and_saves_nothing(staff_client, article, text, message):
    response = staff_client.post(_ask_url(article), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<h1>Задать вопрос</h1>" in page
    assert not Question.objects.exists()
    assert not Notification.objects.exists()


def test_the_service_refuses_bad_text_too(staff, article):
    for text in ["", " ", "x" * 2001]:
        with pytest.raises(ValidationError):
            question_ask(article=article, author=staff, text=text)
    assert not Question.objects.exists()


def test_the_ask_page_opens_on_its_own(staff_client, article):
    response = staff_client.get(_ask_url(article))
    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW])
def test_no_question_on_a_draft_not_even_by_an_editor(client_for, editor, staff, status):
    editor_client, staff_client = client_for(editor), client_for(staff)
    draft = make_article(status=status)
    assert "Задать вопрос" not in editor_client.get(draft.get_absolute_url()).content.decode()
    for client in (staff_client, editor_client):
        assert client.post(_ask_url(draft), {"text": "Вопрос"}).status_code == 404
    assert not Question.objects.exists()


def test_an_archived_article_takes_no_new_question(staff_client):
    archived = make_article(status=Article.Status.ARCHIVED)
    page = staff_client.get(archived.get_absolute_url()).content.decode()
    assert f'action="{_ask_url(archived)}"' not in page
    assert staff_client.post(_ask_url(archived), {"text": "Вопрос"}).status_code == 404


def test_a_trashed_article_takes_no_question(staff, article):
    from articles.services import article_trash

    article_trash(article=article)
    with pytest.raises(ValidationError, match="не опубликован"):
        question_ask(article=article, author=staff, text="Вопрос")


def test_the_ask_form_refuses_get_free_methods(staff_client, article):
    assert staff_client.put(_ask_url(article)).status_code == 405


def test_html_in_a_question_is_shown_as_text_with_line_breaks(staff, staff_client, article):
    ask(article, staff, f"Первая строка\nВторая {SCRIPT}")
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Первая строка<br>Вторая" in page


def test_links_in_a_question_are_clickable_and_safe(staff, staff_client, article):
    ask(
        article,
        staff,
        'См. https://intranet.example/prikaz?a=1&b="x" и javascript:alert(1) и www.czn.example',
    )
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://intranet.example/prikaz?a=1&amp;b=' in page
    assert 'rel="nofollow"' in page
    assert 'href="javascript' not in page
    assert '<a href="https://www.czn.example"' in page or 'href="http://www.czn.example"' in page


def test_a_nul_byte_never_reaches_the_database(staff, article):
    question = question_ask(article=article, author=staff, text="до\x00после")
    assert question.text == "допосле"


def test_asking_is_recorded_in_history(staff, article):
    question = ask(article, staff)
    record = question.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff
