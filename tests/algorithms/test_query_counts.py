"""Pinned query counts: the algorithm's article page and the wizard cost the
same with a tree of 5 or of 61 nodes, whatever the step."""

import pytest
from django.test import Client

from algorithms.models import DecisionAnswer
from tests.algorithms.factories import build_tree, chain, make_algorithm
from tests.factories import ROLE_USERS, make_user
from tests.test_query_counts import ARTICLE

# The article page of other kinds is ARTICLE; an algorithm's adds the answers
# of its first question, with the question (algorithms.selectors.article_block).
ALGORITHM_ARTICLE = ARTICLE + 1
# user and roles, the article with its section and owner, the tree's nodes,
# its answers, the sidebar's tree stamp, the node's count of the day (one
# UPDATE, the day's row being there)
WALK_QUESTION = 7
# + the materials the result links to
WALK_RESULT = WALK_QUESTION + 1


@pytest.fixture(params=[2, 30], ids=["small-tree", "large-tree"])
def world(request, db):
    article = make_algorithm(tree=False)
    nodes, answers = chain(request.param)
    build_tree(article, nodes, answers)
    client = Client()
    client.force_login(make_user(role=ROLE_USERS["staff"]))
    no = list(DecisionAnswer.objects.filter(article=article, label="Нет").order_by("order", "id"))
    deepest = ".".join(str(answer.pk) for answer in no)
    last_result = ".".join(str(answer.pk) for answer in no[:-1])
    yes_last = DecisionAnswer.objects.get(article=article, label="Да", from_node=no[-1].from_node)
    return {
        "client": client,
        "article": article,
        "question": f"/algorithms/{article.pk}/walk/{'.'.join(str(a.pk) for a in no[:-1])}/",
        "result": f"/algorithms/{article.pk}/walk/{deepest}/",
        "aside": f"/algorithms/{article.pk}/walk/{last_result}.{yes_last.pk}/"
        if last_result
        else f"/algorithms/{article.pk}/walk/{yes_last.pk}/",
        "n": request.param,
    }


def _count(django_assert_num_queries, client, url, expected):
    client.get(url)  # warm the section tree cache; the day's counter row is made
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_algorithm_article_page_query_count(world, django_assert_num_queries):
    url = world["article"].get_absolute_url()
    response = _count(django_assert_num_queries, world["client"], url, ALGORITHM_ARTICLE)
    assert len(response.context["companion"]["choices"]) == 2


def test_walk_question_query_count(world, django_assert_num_queries):
    response = _count(django_assert_num_queries, world["client"], world["question"], WALK_QUESTION)
    assert len(response.context["walk"].steps) == world["n"] - 1
    assert not response.context["node"].is_result


def test_walk_result_query_count(world, django_assert_num_queries):
    for url in [world["result"], world["aside"]]:
        response = _count(django_assert_num_queries, world["client"], url, WALK_RESULT)
        assert response.context["node"].is_result
