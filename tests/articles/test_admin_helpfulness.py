"""The article admin shows «Материал был полезен?» answers: on the change page
per version and per reason, in the list as a «да / нет» column."""

import re

import pytest

from articles.models import Article
from contributions.services import helpfulness_record
from tests.factories import make_article, make_articles_bulk, make_section, make_user

LIST_URL = "/admin/articles/article/"


def _answer(article, helpful, reason=""):
    return helpfulness_record(article=article, user=make_user(), helpful=helpful, reason=reason)


def _row(page, label):
    """The two numbers (this version, all versions) of the block's ``label`` row."""
    match = re.search(
        rf"<th scope=\"row\">{re.escape(label)}</th><td>(\d+)</td><td>(\d+)</td>", page
    )
    assert match, label
    return int(match[1]), int(match[2])


@pytest.fixture
def article(db):
    return make_article(title="Скрипт звонка")


def test_change_page_counts_yes_and_no_for_this_version_and_all(article, editor_client):
    _answer(article, True)
    _answer(article, False, "outdated")
    _answer(article, False, "unclear")
    article.title = "Скрипт звонка, новая редакция"
    article.save()
    _answer(article, True)
    _answer(article, False, "outdated")
    page = editor_client.get(f"{LIST_URL}{article.pk}/change/").content.decode()
    assert "Полезность для читателей" in page
    assert f"Эта версия ({article.version})" in page
    assert _row(page, "да") == (1, 2)
    assert _row(page, "нет") == (1, 3)
    assert _row(page, "— устарело") == (1, 2)
    assert _row(page, "— непонятно") == (0, 1)
    assert _row(page, "— ошибка") == (0, 0)


def test_change_page_without_answers_shows_zeros(article, editor_client):
    page = editor_client.get(f"{LIST_URL}{article.pk}/change/").content.decode()
    assert _row(page, "да") == (0, 0) and _row(page, "нет") == (0, 0)


def test_add_page_has_no_helpfulness_block(editor_client):
    page = editor_client.get(f"{LIST_URL}add/").content.decode()
    assert "Полезность для читателей" not in page


def test_list_has_a_yes_no_column(article, editor_client):
    other = make_article(title="Без ответов")
    _answer(article, True)
    _answer(article, True)
    _answer(article, False, "error")
    response = editor_client.get(LIST_URL)
    rows = {a.pk: (a.helpful_yes, a.helpful_no) for a in response.context["cl"].result_list}
    assert rows[article.pk] == (2, 1) and rows[other.pk] == (0, 0)
    assert "полезен: да / нет" in response.content.decode().lower()
    assert editor_client.get(LIST_URL, {"o": "10"}).status_code == 200  # sorted by «нет»


def test_list_query_count_does_not_grow_with_answers(editor_client, django_assert_num_queries):
    section = make_section()
    for article in make_articles_bulk(section, 3):
        _answer(article, False, "other")
    editor_client.get(LIST_URL)
    with django_assert_num_queries(LIST_QUERIES):
        editor_client.get(LIST_URL)
    for article in make_articles_bulk(section, 40):
        _answer(article, True)
        _answer(article, False, "error")
    editor_client.get(LIST_URL)
    with django_assert_num_queries(LIST_QUERIES):
        response = editor_client.get(LIST_URL)
    assert len(response.context["cl"].result_list) == 43


# The list's fixed queries; «да / нет» are subqueries of the rows' query, so
# neither more articles nor more answers add one.
LIST_QUERIES = 11


def test_the_column_counts_only_this_articles_answers(editor_client):
    first, second = make_article(), make_article()
    _answer(first, False, "other")
    rows = {a.pk: a for a in editor_client.get(LIST_URL).context["cl"].result_list}
    assert (rows[second.pk].helpful_yes, rows[second.pk].helpful_no) == (0, 0)
    assert Article.objects.count() == 2
