"""Where people stop: each node shown in the wizard adds one to its day's
count (never who); editors read the sums in the admin, staff never."""

import datetime as dt
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from algorithms.models import DecisionNode, NodeViewDay
from algorithms.selectors import node_counts
from algorithms.services import node_view_count
from tests.algorithms.factories import answer, make_algorithm

pytestmark = pytest.mark.django_db


def _counts(article):
    return dict(
        NodeViewDay.objects.filter(node__article=article).values_list("node__code", "count")
    )


def test_each_node_shown_is_counted_for_the_day(staff_client, client_for, editor):
    article = make_algorithm()
    no = answer(article, "В1", "Нет")
    staff_client.get(f"/algorithms/{article.pk}/walk/")
    staff_client.get(f"/algorithms/{article.pk}/walk/{no.pk}/")
    client_for(editor).get(f"/algorithms/{article.pk}/walk/{no.pk}/")
    assert _counts(article) == {"В1": 1, "В2": 2}
    assert NodeViewDay.objects.get(node__code="В2").day == timezone.localdate()
    # No person in it: the table has the node, the day and the count only.
    assert {f.name for f in NodeViewDay._meta.concrete_fields} == {"id", "node", "day", "count"}


def test_the_article_page_counts_nothing(staff_client):
    article = make_algorithm()
    assert "Пройти алгоритм" in staff_client.get(article.get_absolute_url()).content.decode()
    assert not NodeViewDay.objects.exists()


def test_a_new_day_gets_its_own_row():
    article = make_algorithm()
    node = DecisionNode.objects.get(article=article, code="В1")
    today = timezone.localdate()
    node_view_count(node=node, day=today - dt.timedelta(days=1))
    node_view_count(node=node, day=today)
    node_view_count(node=node, day=today)
    assert sorted(NodeViewDay.objects.values_list("day", "count")) == [
        (today - dt.timedelta(days=1), 1),
        (today, 2),
    ]


def test_two_first_showings_at_once_both_count():
    article = make_algorithm()
    node = DecisionNode.objects.get(article=article, code="В1")
    # The other request made the day's row between this one's UPDATE (which
    # found none) and its INSERT (which the unique constraint refuses).
    NodeViewDay.objects.create(node=node, day=timezone.localdate(), count=1)
    real_update = QuerySet.update
    calls = []

    def update(queryset, **fields):
        calls.append(fields)
        return 0 if len(calls) == 1 else real_update(queryset, **fields)

    with mock.patch.object(QuerySet, "update", update):
        node_view_count(node=node)
    assert len(calls) == 2
    assert NodeViewDay.objects.get(node=node).count == 2


def test_editors_read_sums_of_the_last_30_days_and_of_all_time():
    article = make_algorithm()
    nodes = {node.code: node for node in DecisionNode.objects.filter(article=article)}
    today = timezone.localdate()
    for days_ago, code, count in [(0, "В1", 6), (29, "В1", 4), (30, "В1", 90), (3, "И1", 5)]:
        NodeViewDay.objects.create(
            node=nodes[code], day=today - dt.timedelta(days=days_ago), count=count
        )
    rows = {row.node.code: row for row in node_counts(article=article, today=today)}
    assert (rows["В1"].recent, rows["В1"].total, rows["В1"].share) == (10, 100, 100)
    assert (rows["И1"].recent, rows["И1"].total, rows["И1"].share) == (5, 5, 50)
    assert (rows["И3"].recent, rows["И3"].total) == (0, 0)


def test_staff_never_see_the_counts(staff_client):
    article = make_algorithm()
    NodeViewDay.objects.create(
        node=DecisionNode.objects.get(article=article, code="В1"),
        day=timezone.localdate(),
        count=987654,
    )
    for url in [article.get_absolute_url(), f"/algorithms/{article.pk}/walk/"]:
        page = staff_client.get(url).content.decode()
        assert "987654" not in page and "987655" not in page
        assert "Изменить дерево решений" not in page
