"""The article admin's list: «Просмотры за 30 дней», one subquery of the
rows' query (sortable, no query per row)."""

import datetime as dt

from django.utils import timezone

from articles.models import ArticleViewDay
from tests.factories import make_article, make_articles_bulk, make_section
from tests.feedback.factories import make_office

LIST_URL = "/admin/articles/article/"
# The list's fixed queries (as in tests/articles/test_admin_helpfulness.py):
# the views are a subquery, so more articles or views add none.
LIST_QUERIES = 11


def _view(article, office, views, days_ago):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    ArticleViewDay.objects.create(article=article, office=office, date=day, views=views)


def _column(response):
    return {a.pk: a.views_30 for a in response.context["cl"].result_list}


def test_list_shows_views_of_the_last_30_days(editor_client):
    north, south = make_office(), make_office()
    read, unread = make_article(title="Читают"), make_article(title="Не читают")
    _view(read, north, 5, 0)  # today
    _view(read, south, 3, 29)  # the 30th day back
    _view(read, None, 2, 10)  # a reader without an office
    _view(read, north, 100, 30)  # a day too early
    _view(unread, north, 7, 31)
    response = editor_client.get(LIST_URL)
    assert _column(response) == {read.pk: 10, unread.pk: 0}
    assert "Просмотры за 30 дней" in response.content.decode()


def test_list_sorts_by_views_and_by_helpfulness(editor_client):
    office = make_office()
    few, many = make_article(title="Мало"), make_article(title="Много")
    _view(few, office, 1, 1)
    _view(many, office, 9, 1)
    # The column's index counts the checkbox: 9 — «да / нет», 10 — views.
    descending = editor_client.get(LIST_URL, {"o": "-10"})
    assert [a.pk for a in descending.context["cl"].result_list] == [many.pk, few.pk]
    ascending = editor_client.get(LIST_URL, {"o": "10"})
    assert [a.pk for a in ascending.context["cl"].result_list] == [few.pk, many.pk]
    assert editor_client.get(LIST_URL, {"o": "9"}).status_code == 200


def test_list_query_count_does_not_grow_with_views(editor_client, django_assert_num_queries):
    section, office = make_section(), make_office()
    for article in make_articles_bulk(section, 3):
        _view(article, office, 2, 1)
    editor_client.get(LIST_URL)
    with django_assert_num_queries(LIST_QUERIES):
        editor_client.get(LIST_URL)
    for i, article in enumerate(make_articles_bulk(section, 40)):
        _view(article, office, i + 1, i % 30)
        _view(article, make_office(), 1, 2)
    with django_assert_num_queries(LIST_QUERIES):
        response = editor_client.get(LIST_URL)
    assert len(response.context["cl"].result_list) == 43
    assert sum(_column(response).values()) == 3 * 2 + sum(range(1, 41)) + 40
