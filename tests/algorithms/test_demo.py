"""The demo's two decision trees: real, whole, walkable, and seeded once."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from algorithms.demo import ALGORITHMS, seed_algorithms
from algorithms.models import DecisionAnswer, DecisionNode, NodeViewDay
from algorithms.selectors import algorithm_tree
from algorithms.services import algorithm_validate
from articles.models import Article
from kb_portal.demo import seed_demo

pytestmark = pytest.mark.django_db


def _walk_everywhere(client, article):
    """Every path from the start to a result opens, and ends at a result."""
    tree = algorithm_tree(article=article)
    ends, stack = 0, [((), tree.start)]
    while stack:
        path, node = stack.pop()
        url = (
            f"/algorithms/{article.pk}/walk/{'.'.join(map(str, path))}/"
            if path
            else (f"/algorithms/{article.pk}/walk/")
        )
        response = client.get(url)
        assert response.status_code == 200, url
        if node.is_result:
            ends += 1
            assert node.step_lines(), node.code  # every result says what to do
            assert 'type="checkbox"' in response.content.decode()
            continue
        for answer in tree.choices[node.pk]:
            stack.append(((*path, answer.pk), tree.nodes[answer.to_node_id]))
    return ends


def test_the_demo_has_two_whole_algorithms_to_walk():
    created = seed_demo()
    assert created["algorithm_nodes"] == sum(len(spec["nodes"]) for spec in ALGORITHMS)
    algorithms = list(Article.objects.published().filter(slug__in=[s["slug"] for s in ALGORITHMS]))
    assert sorted(a.title for a in algorithms) == [
        "Подбор мер поддержки работодателю",
        "Регистрация гражданина в качестве безработного",
    ]
    client = Client()
    client.force_login(User.objects.get(username="sotrudnik"))
    for article in algorithms:
        assert article.kind == Article.Kind.ALGORITHM
        assert article.section.slug == "algoritmy-okazaniya-uslug"
        assert DecisionNode.objects.filter(article=article).count() >= 10
        assert algorithm_validate(article=article) == []
        assert _walk_everywhere(client, article) >= 8
        # Results point to the demo's own materials; the editors have counts.
        assert DecisionNode.objects.filter(article=article, articles__isnull=False).exists()
        assert NodeViewDay.objects.filter(node__article=article).count() > 20
        page = client.get(article.get_absolute_url()).content.decode()
        assert "Пройти алгоритм" in page
    # Search finds them by what is only in their trees.
    response = client.get("/search/", {"q": "квотируемых"})
    assert [r.article.title for r in response.context["page"]][:1] == [
        "Подбор мер поддержки работодателю"
    ]
    # A second run finds them and changes nothing.
    counts = (
        DecisionNode.objects.count(),
        DecisionAnswer.objects.count(),
        NodeViewDay.objects.count(),
    )
    assert seed_algorithms({}) == {"algorithm_nodes": 0}
    assert (
        DecisionNode.objects.count(),
        DecisionAnswer.objects.count(),
        NodeViewDay.objects.count(),
    ) == counts
