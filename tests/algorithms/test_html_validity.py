"""The wizard's pages and the algorithm's article page are valid HTML (the
Nu HTML Checker, as tests/test_html_validity.py runs it for the main pages)."""

import pytest

from algorithms.models import DecisionNode
from tests import vnu
from tests.algorithms.factories import answer, make_algorithm
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_wizard_pages_are_valid_html(client_for, staff, editor):
    article = make_algorithm()
    DecisionNode.objects.get(article=article, code="И2").articles.add(make_article())
    no, yes = answer(article, "В1", "Нет"), answer(article, "В2", "Да")
    walk = f"/algorithms/{article.pk}/walk/"
    pages = {
        "article page": (client_for(staff), article.get_absolute_url(), 200),
        "article page, editor": (client_for(editor), article.get_absolute_url(), 200),
        "start": (client_for(staff), walk, 200),
        "question": (client_for(staff), f"{walk}{no.pk}/", 200),
        "result": (client_for(staff), f"{walk}{no.pk}.{yes.pk}/", 200),
        "bad path": (client_for(staff), f"{walk}abc/", 404),
        "stale path": (client_for(staff), f"{walk}{no.pk}.{no.pk}/", 404),
    }
    rendered = {}
    for name, (client, url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, name
        rendered[name] = response.content
    assert vnu.check(rendered) == []
