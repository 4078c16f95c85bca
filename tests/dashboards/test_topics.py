"""The dashboard's topics block and the comments page behind it."""

import datetime as dt

import pytest
from django.core.cache import cache

from feedback.models import FeedbackResponse, Topic
from feedback.topics import stored_comments_prepare, topics_reapply
from tests.dashboards.factories import BAD, GOOD, responses, save

FEB = dt.date(2026, 2, 1)
MARCH_URL = "/dashboards/cx/?period=month&month=2026-03"


def _tag():
    stored_comments_prepare(FeedbackResponse)
    topics_reapply()


@pytest.fixture
def story(region):
    first, south = region["first"], region["south"]
    save(
        responses(first, 10, **GOOD, comment="Долго ждала в очереди"),
        responses(first, 5, **BAD, comment="Очередь огромная, грубый охранник"),
        responses(first, 5, **GOOD),
        responses(first, 4, month=FEB, **GOOD, comment="очереди нет"),
        responses(first, 16, month=FEB, **GOOD),
        responses(south, 2, **GOOD, comment="Записалась на приём через портал"),
    )
    _tag()
    return region


def _rows(response):
    return {row.name: row for row in response.context["report"].topics}


def test_block_counts_shares_negatives_and_change(manager_client, story):
    url = MARCH_URL + f"&office={story['first'].pk}"
    rows = _rows(manager_client.get(url))
    queue = rows["Очередь и ожидание"]
    assert (queue.count, queue.negative, queue.responses) == (15, 5, 20)
    assert queue.share == pytest.approx(75.0)
    assert queue.negative_share == pytest.approx(100 / 3)
    assert queue.previous_share == pytest.approx(20.0)
    assert queue.change == pytest.approx(55.0)
    rude = rows["Вежливость и отношение"]
    assert (rude.count, rude.negative_share, rude.previous_share) == (5, 100.0, 0.0)
    assert "Запись на приём" not in rows  # the other office's comment
    assert next(iter(rows)) == "Очередь и ожидание"  # most mentioned first


def test_block_is_on_the_page_with_links_into_comments(manager_client, story):
    response = manager_client.get(MARCH_URL)
    html = response.content.decode()
    assert "О чём пишут клиенты" in html
    queue = Topic.objects.get(name="Очередь и ожидание")
    assert f"/dashboards/cx/comments/?period=month&amp;month=2026-03&amp;topic={queue.pk}" in html
    region_rows = _rows(response)
    assert region_rows["Запись на приём"].count == 2


def test_block_follows_a_change_of_the_dictionary(manager_client, story):
    assert "Очередь и ожидание" in _rows(manager_client.get(MARCH_URL))
    queue = Topic.objects.get(name="Очередь и ожидание")
    queue.words = "талон"
    queue.save()
    topics_reapply(topic_ids=[queue.pk])
    assert "Очередь и ожидание" not in _rows(manager_client.get(MARCH_URL))


def _comments(client, **params):
    from urllib.parse import urlencode

    return client.get("/dashboards/cx/comments/?" + urlencode(params))


def test_comments_of_a_topic(manager_client, story):
    queue = Topic.objects.get(name="Очередь и ожидание")
    response = _comments(manager_client, period="month", month="2026-03", topic=queue.pk)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 15
    assert len(page.object_list) == 15
    assert "Очередь и ожидание" in page.object_list[0].topic_names
    assert "Комментарии на тему «Очередь и ожидание»" in response.content.decode()


def test_comments_search_uses_word_forms_and_yo(manager_client, story):
    march = {"period": "month", "month": "2026-03"}
    response = _comments(manager_client, q="очередью", **march)
    assert response.context["page"].paginator.count == 15
    assert "<mark>очереди</mark>" in response.content.decode()
    assert _comments(manager_client, q="грубого", **march).context["page"].paginator.count == 5
    assert _comments(manager_client, q="прием", **march).context["page"].paginator.count == 2
    assert _comments(manager_client, q="приём", **march).context["page"].paginator.count == 2
    both = _comments(manager_client, q="очередь грубый", **march)
    assert both.context["page"].paginator.count == 5


def test_comments_are_paginated(manager_client, story):
    first = _comments(manager_client, period="year", month="2026-03")
    assert first.context["page"].paginator.count == 21
    assert len(first.context["page"].object_list) == 20
    second = _comments(manager_client, period="year", month="2026-03", page=2)
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "и на"}, "нет значимых слов"),
        ({"q": "а" * 201}, "не более 200"),
        ({"topic": "abc"}, "Выберите корректный вариант"),
        ({"topic": "999999"}, "Выберите корректный вариант"),
        ({"month": "2026-13"}, "ГГГГ-ММ"),
    ],
)
def test_bad_input_gets_a_russian_message(manager_client, story, params, message):
    response = _comments(manager_client, **params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Часть условий не подошла" in response.content.decode()


def test_odd_page_numbers_do_not_break(manager_client, story):
    for page in ("zzz", "0", "-1", "99999"):
        response = _comments(manager_client, period="year", month="2026-03", page=page)
        assert response.status_code == 200


def test_a_search_term_is_never_markup(manager_client, region):
    save(responses(region["first"], 1, **GOOD, comment="<script>alert(1)</script> очередь"))
    _tag()
    response = _comments(manager_client, period="month", month="2026-03", q="script очередь")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;<mark>script</mark>&gt;" in html


COMMENTS_QUERIES = 8  # user, roles, offices, stamp, topics, count, page, topics of the page


@pytest.mark.parametrize("scale", [1, 30])
def test_comments_page_query_count(manager_client, region, django_assert_num_queries, scale):
    save(
        responses(region["first"], 10 * scale, **BAD, comment="Долго ждала, грубили"),
        responses(region["second"], 10 * scale, **GOOD, comment="Спасибо за помощь"),
    )
    _tag()
    queue = Topic.objects.get(name="Очередь и ожидание")
    url = f"/dashboards/cx/comments/?period=month&month=2026-03&topic={queue.pk}&q=ждали"
    manager_client.get(url)  # the session into the cache
    with django_assert_num_queries(COMMENTS_QUERIES):
        response = manager_client.get(url)
    assert response.context["page"].paginator.count == 10 * scale


def test_dashboard_topics_cost_one_query_whatever_the_data(
    manager_client, region, django_assert_num_queries
):
    from tests.dashboards.test_query_counts import COLD, _report_keys

    for scale in (1, 30):
        save(responses(region["first"], 10 * scale, **BAD, comment="Долго ждала, грубили"))
        _tag()
        manager_client.get(MARCH_URL)
        cache.delete_many(list(_report_keys()))
        with django_assert_num_queries(COLD):
            response = manager_client.get(MARCH_URL)
        assert _rows(response)["Очередь и ожидание"].count > 0
