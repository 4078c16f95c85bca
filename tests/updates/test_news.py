"""«Что нового» (/new/): published and substantively updated articles, newest
first, filtered by section (with subsections) and kind; bad filters answer
200 with a Russian message; the query count does not grow with the data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleUpdate
from articles.services import article_update_record
from tests.factories import make_article, make_articles_bulk, make_section


def _titles(response):
    return [article.title for article in response.context["page"]]


def _at(article, days):
    Article.all_objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def news(db):
    root = make_section("Стандарты", slug="standarty")
    child = make_section("Скрипты", parent=root, slug="skripty")
    other = make_section("Кейсы", slug="kejsy")
    old = make_article(child, title="Старый скрипт", kind=Article.Kind.STANDARD)
    _at(old, 30)
    fresh = make_article(other, title="Свежий кейс", kind=Article.Kind.CASE)
    _at(fresh, 3)
    middle = make_article(root, title="Стандарт приёма", kind=Article.Kind.STANDARD)
    _at(middle, 10)
    make_article(other, title="Черновик", status="draft")
    old.refresh_from_db()
    update = article_update_record(article=old, summary="Новый порядок <b>звонка</b>.")
    ArticleUpdate.objects.filter(pk=update.pk).update(at=timezone.now() - timedelta(days=1))
    return {"root": root, "child": child, "other": other}


def test_newest_first_with_what_changed(staff_client, news):
    response = staff_client.get("/new/")
    assert response.status_code == 200
    assert _titles(response) == ["Старый скрипт", "Свежий кейс", "Стандарт приёма"]
    html = response.content.decode()
    assert "Что изменилось:" in html
    assert "Новый порядок &lt;b&gt;звонка&lt;/b&gt;." in html
    assert "Черновик" not in html


def test_filter_by_section_includes_subsections(staff_client, news):
    response = staff_client.get("/new/", {"section": news["root"].pk})
    assert _titles(response) == ["Старый скрипт", "Стандарт приёма"]


def test_filter_by_kind(staff_client, news):
    response = staff_client.get("/new/", {"kind": Article.Kind.CASE})
    assert _titles(response) == ["Свежий кейс"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"section": "abc"}, "Такого раздела нет"),
        ({"section": "999999"}, "Такого раздела нет"),
        ({"kind": "<script>"}, "Такого вида материалов нет"),
    ],
)
def test_bad_filter_answers_200_with_a_message(staff_client, news, params, message):
    response = staff_client.get("/new/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(_titles(response)) == 3  # the bad filter is left out
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("n", [5, 100])
def test_query_count_does_not_grow(staff_client, news, n, django_assert_num_queries):
    make_articles_bulk(news["other"], n)
    staff_client.get("/new/")  # warm the section tree cache
    # session user, roles, tree stamp, count, page
    with django_assert_num_queries(NEWS_QUERIES):
        response = staff_client.get("/new/", {"section": news["root"].pk, "page": "2"})
    assert response.status_code == 200


NEWS_QUERIES = 5
