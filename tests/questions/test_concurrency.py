"""Two editors making a FAQ of one question at once, and a script sending
questions in parallel past the rate limit, on PostgreSQL with real threads."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, connections

from articles.models import Article
from people import roles
from questions.models import Question
from questions.services import answer_post, question_ask, question_to_faq
from tests.factories import make_article, make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)


def _person(role):
    # A transactional test empties the tables afterwards, the roles' groups
    # included: whichever test runs second makes the group again.
    Group.objects.get_or_create(name=role)
    return make_user(role=role)


def _at_once(count, work):
    """Run ``work(index)`` in ``count`` threads released together; return
    (results, errors) in no particular order."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            results.append(work(index))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_editors_making_faq_at_once_make_one_article():
    article = make_article()
    staff = _person(roles.STAFF)
    editors = [_person(roles.EDITOR) for _ in range(4)]
    question = question_ask(article=article, author=staff, text="Можно ли записаться онлайн?")
    answer_post(question=question, author=editors[0], text="Да, через ЕЦП.")

    results, errors = _at_once(4, lambda i: question_to_faq(question=question, by=editors[i]))

    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, ValidationError) for error in errors), errors
    assert all("уже вошёл в FAQ" in " ".join(error.messages) for error in errors)
    faqs = Article.all_objects.filter(kind=Article.Kind.FAQ)
    assert faqs.count() == 1
    assert Question.objects.get(pk=question.pk).faq_article == faqs.get()


@pytest.mark.django_db(transaction=True)
def test_parallel_questions_of_one_person_stop_at_the_limit(settings):
    settings.QUESTIONS_PER_HOUR = 5
    article = make_article()
    staff = _person(roles.STAFF)

    results, errors = _at_once(
        10, lambda i: question_ask(article=article, author=staff, text=f"Вопрос {i}")
    )

    assert len(results) == 5
    assert len(errors) == 5
    assert all("5 вопросов за час" in " ".join(error.messages) for error in errors)
    assert Question.objects.filter(author=staff).count() == 5
