"""«Мои вопросы и сообщения»: what I asked and reported, and what came of it."""

from questions import services
from tests.factories import make_article, make_user
from tests.questions.factories import answer, ask, report

URL = "/questions/my/"


def test_the_page_is_in_the_menu(staff_client):
    assert 'href="/questions/my/"' in staff_client.get("/").content.decode()


def test_empty(staff_client):
    page = staff_client.get(URL).content.decode()
    assert "Вы пока не задавали вопросов" in page
    assert "Вы пока не сообщали о неточностях" in page


def test_my_questions_with_their_state(staff_client, staff, colleague, owner, article):
    waiting = ask(article, staff, "Ждёт ответа")
    answered = ask(article, staff, "С ответом")
    answer(answered, colleague)
    resolved = ask(article, staff, "Решённый")
    services.question_resolve(question=resolved, by=owner)
    ask(article, colleague, "Чужой вопрос")
    response = staff_client.get(URL)
    assert [q.text for q in response.context["questions"]] == [
        "Решённый",
        "С ответом",
        "Ждёт ответа",
    ]
    page = response.content.decode()
    assert "ждёт ответа" in page and "есть ответ" in page and "решён" in page
    assert f"{article.get_absolute_url()}#question-{waiting.pk}" in page
    assert "Чужой вопрос" not in page


def test_my_reports_with_their_status_and_comment(staff_client, staff, owner, article):
    report(article, staff, "Открытое сообщение")
    closed = report(article, staff, "Закрытое сообщение")
    services.error_report_close(report=closed, by=owner, status="rejected", comment="Всё верно")
    report(make_article(owner=owner), make_user(), "Чужое сообщение")
    page = staff_client.get(URL).content.decode()
    assert "Открытое сообщение" in page and "на рассмотрении" in page
    assert "Закрытое сообщение" in page and "отклонено" in page and "Всё верно" in page
    assert f'href="/questions/reports/{closed.pk}/"' in page
    assert "Чужое сообщение" not in page
