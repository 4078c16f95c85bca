"""Pinned query counts of the article page with questions and of the app's pages:
the same with 1 question or 30 (each with answers), as the brief requires."""

import pytest
from django.test import Client

from questions import services
from tests.contributions.test_desk import DESK_QUERIES
from tests.contributions.test_health import HEALTH_QUERIES
from tests.factories import ROLE_USERS, make_user
from tests.questions.factories import answer, ask, report
from tests.test_query_counts import ARTICLE

# The article page: ARTICLE (8) when nobody asked (whether there are questions
# comes with the person's own state); with questions, they and their answers
# (with the authors' profiles) are two more: at most the 10 the issue allows.
ARTICLE_WITH_QUESTIONS = ARTICLE + 2
assert ARTICLE_WITH_QUESTIONS <= 10
# user, roles (menu), tree stamp (sidebar), my questions, my reports
MY_PAGE = 5
# user, question with its article, its answers, roles, tree stamp
ANSWER_PAGE = 5
# user, report with article and people, roles, tree stamp
REPORT_PAGE = 4


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.QUESTIONS_PER_HOUR = settings.ANSWERS_PER_HOUR = 1000
    settings.ERROR_REPORTS_PER_HOUR = 1000


def _people(n):
    return [make_user(role=ROLE_USERS["staff"], first_name=f"Имя{i}") for i in range(n)]


def _grow(article, people, n):
    """``n`` questions by different people, each with two answers, one resolved,
    one with a best answer, one turned into FAQ."""
    editor = make_user(role=ROLE_USERS["editor"])
    questions = []
    for i in range(n):
        question = ask(article, people[i % len(people)], f"Вопрос {i}")
        answer(question, people[(i + 1) % len(people)], f"Ответ {i}")
        last = answer(question, editor, f"Ещё ответ {i}")
        questions.append((question, last))
    services.question_resolve(question=questions[0][0], by=editor)
    services.answer_mark_best(answer=questions[-1][1], by=editor)
    services.question_to_faq(question=questions[-1][0], by=editor)
    return questions


def _count(client, url, expected, django_assert_num_queries):
    client.get(url)  # warm the section tree cache
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_article_page_without_questions(article, role, django_assert_num_queries):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    response = _count(client, article.get_absolute_url(), ARTICLE, django_assert_num_queries)
    assert response.context["questions"] == []


@pytest.mark.parametrize("role", ["staff", "editor"])
def test_article_page_does_not_grow_with_questions(article, role, django_assert_num_queries):
    client = Client()
    client.force_login(make_user(role=ROLE_USERS[role]))
    people = _people(5)
    url = article.get_absolute_url()
    _grow(article, people, 1)
    _count(client, url, ARTICLE_WITH_QUESTIONS, django_assert_num_queries)
    _grow(article, people, 29)
    response = _count(client, url, ARTICLE_WITH_QUESTIONS, django_assert_num_queries)
    assert len(response.context["questions"]) == 30
    assert sum(len(q.live_answers) for q in response.context["questions"]) == 60
    assert "Вошёл в FAQ" in response.content.decode()


def test_my_page_does_not_grow(article, staff, owner, django_assert_num_queries):
    client = Client()
    client.force_login(staff)
    ask(article, staff)
    report(article, staff)
    _count(client, "/questions/my/", MY_PAGE, django_assert_num_queries)
    for i in range(20):
        question = ask(article, staff, f"Вопрос {i}")
        answer(question, owner)
        services.error_report_close(
            report=report(article, staff, f"Ошибка {i}"), by=owner, status="fixed", comment="ok"
        )
    response = _count(client, "/questions/my/", MY_PAGE, django_assert_num_queries)
    assert len(response.context["questions"]) == 21
    assert len(response.context["reports"]) == 21
    assert response.context["questions"][0].answer_count == 1


def test_answer_page_does_not_grow(article, staff, django_assert_num_queries):
    client = Client()
    client.force_login(staff)
    question = ask(article, staff)
    answer(question, make_user())
    url = f"/questions/{question.pk}/answer/"
    _count(client, url, ANSWER_PAGE, django_assert_num_queries)
    for i in range(20):
        answer(question, make_user(), f"Ответ {i}")
    response = _count(client, url, ANSWER_PAGE, django_assert_num_queries)
    assert len(response.context["question"].live_answers) == 21


def test_report_page(article, staff, owner, django_assert_num_queries):
    client = Client()
    client.force_login(owner)
    saved = report(article, staff)
    _count(client, f"/questions/reports/{saved.pk}/", REPORT_PAGE, django_assert_num_queries)


def test_the_desk_does_not_grow_with_questions_and_reports(
    article, owner, staff, django_assert_num_queries
):
    client = Client()
    client.force_login(owner)
    ask(article, staff)
    report(article, staff)
    # No review is due on this desk, so the reminders of due articles are not read.
    desk_queries = DESK_QUERIES - 1
    _count(client, "/contributions/my/", desk_queries, django_assert_num_queries)
    for i in range(60):
        ask(article, staff if i % 2 else owner, f"Вопрос {i}")
        if i < 30:
            report(article, make_user(), f"Ошибка {i}")
    response = _count(client, "/contributions/my/", desk_queries, django_assert_num_queries)
    assert len(response.context["desk_questions"]["rows"]) == 50
    assert response.context["desk_questions"]["more"] is True
    assert len(response.context["desk_reports"]["rows"]) == 31


def test_health_does_not_grow_with_waiting_questions(
    article, editor, staff, django_assert_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from questions.models import Question

    client = Client()
    client.force_login(editor)
    for i in range(40):
        ask(article, make_user(), f"Вопрос {i}")
    Question.objects.update(created_at=timezone.now() - timedelta(days=8))
    response = _count(client, "/contributions/health/", HEALTH_QUERIES, django_assert_num_queries)
    assert response.context["unanswered"]["count"] == 40
    assert len(response.context["unanswered"]["rows"]) == 30


def test_an_article_whose_questions_were_deleted_costs_no_more(
    article, staff, editor, django_assert_num_queries
):
    services.question_delete(question=ask(article, staff), by=editor)
    client = Client()
    client.force_login(staff)
    response = _count(client, article.get_absolute_url(), ARTICLE, django_assert_num_queries)
    assert response.context["questions"] == []
