"""«Мои материалы» lists open questions and error reports on my articles with
the action in the row; «Здоровье базы знаний» counts questions waiting a week."""

from datetime import timedelta

import pytest
from django.utils import timezone

from questions import services
from questions.models import Question
from tests.factories import ROLE_USERS, make_article, make_user
from tests.questions.factories import answer, ask, report

DESK = "/contributions/my/"
HEALTH = "/contributions/health/"


def test_the_desk_lists_open_questions_on_my_articles(client_for, owner, article, staff, editor):
    waiting = ask(article, staff, "Ждёт ответа <b>давно</b>")
    answered = ask(article, staff, "Есть ответ, но не решён")
    answer(answered, editor)
    resolved = ask(article, staff, "Уже решён")
    services.question_resolve(question=resolved, by=owner)
    deleted = ask(article, staff, "Удалённый")
    services.question_delete(question=deleted, by=editor)
    ask(make_article(owner=make_user()), staff, "Чужой материал")
    response = client_for(owner).get(DESK)
    rows = response.context["desk_questions"]["rows"]
    assert [q.text for q in rows] == ["Ждёт ответа <b>давно</b>", "Есть ответ, но не решён"]
    assert [q.answer_count for q in rows] == [0, 1]
    page = response.content.decode()
    assert 'Открытые вопросы <span class="desk-count">(2)</span>' in page
    assert f'href="/questions/{waiting.pk}/answer/"' in page
    assert "Ждёт ответа &lt;b&gt;давно&lt;/b&gt;" in page
    assert "Уже решён" not in page and "Чужой материал" not in page and "Удалённый" not in page


def test_the_desk_lists_open_reports_with_the_close_form(client_for, owner, article, staff):
    waiting = report(article, staff, "Неверный телефон", quote="8 800")
    closed = report(article, staff, "Опечатка")
    services.error_report_close(report=closed, by=owner, status="fixed", comment="ok")
    report(make_article(owner=make_user()), staff, "Чужой отчёт")
    client = client_for(owner)
    page = client.get(DESK).content.decode()
    assert 'Сообщения о неточностях <span class="desk-count">(1)</span>' in page
    assert f'action="/questions/reports/{waiting.pk}/"' in page
    assert 'name="next" value="/contributions/my/#desk-reports"' in page
    assert "Неверный телефон" in page and "«8 800»" in page
    assert "Опечатка" not in page and "Чужой отчёт" not in page
    response = client.post(
        f"/questions/reports/{waiting.pk}/",
        {"status": "fixed", "comment": "Поправили", "next": "/contributions/my/#desk-reports"},
    )
    assert response["Location"] == "/contributions/my/#desk-reports"
    assert "Неверный телефон" not in client.get(DESK).content.decode()


def test_someone_owning_nothing_gets_no_question_sections(staff_client, article, colleague):
    ask(article, colleague)
    response = staff_client.get(DESK)
    assert response.context["desk_questions"] is None
    assert "Открытые вопросы" not in response.content.decode()


def _age(question, days):
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_health_counts_questions_without_an_answer_for_over_7_days(
    client_for, editor, article, staff
):
    old = ask(article, staff, "Давний вопрос без ответа")
    _age(old, 8)
    fresh = ask(article, staff, "Свежий вопрос")
    _age(fresh, 6)
    answered = ask(article, staff, "Давний с ответом")
    answer(answered, editor)
    _age(answered, 10)
    deleted_answer = ask(article, staff, "Давний, ответ удалён")
    services.answer_delete(answer=answer(deleted_answer, editor), by=editor)
    _age(deleted_answer, 9)
    resolved = ask(article, staff, "Давний решённый")
    services.question_resolve(question=resolved, by=staff)
    _age(resolved, 12)
    response = client_for(editor).get(HEALTH)
    unanswered = response.context["unanswered"]
    assert unanswered["count"] == 2
    assert [q.text for q in unanswered["rows"]] == [
        "Давний, ответ удалён",
        "Давний вопрос без ответа",
    ]
    page = response.content.decode()
    assert 'Вопросы без ответа больше 7 дней <span class="desk-count">(2)</span>' in page
    assert f'href="/questions/{old.pk}/answer/"' in page
    assert "Свежий вопрос" not in page


@pytest.mark.parametrize("role", ["staff", "working_group", "manager"])
def test_health_stays_closed_to_staff(client_for, role):
    assert client_for(make_user(role=ROLE_USERS[role])).get(HEALTH).status_code == 403
