"""What a section page says when its own list is empty."""

import pytest

from tests.factories import make_article, make_section

NO_MATCH = "В этом разделе пока нет материалов с такими условиями."
IN_SUBSECTIONS = "В самом разделе материалов нет — они в подразделах."


@pytest.fixture
def top(db):
    """A top section that only groups subsections, as in the demo."""
    top = make_section("Управление клиентским опытом", slug="cx")
    child = make_section("Кейсы", parent=top, slug="kejsy")
    make_article(child, title="Кейс: выездной приём")
    return top


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_top_section_with_only_subsections_points_to_them(staff_client, top):
    page = _page(staff_client, "/kb/cx/")
    assert IN_SUBSECTIONS in page
    assert '<a href="?all=1">Показать все материалы, включая подразделы</a>' in page
    assert NO_MATCH not in page  # no filter was set


def test_the_link_lists_the_subsections_articles(staff_client, top):
    response = staff_client.get("/kb/cx/?all=1")
    assert [article.title for article in response.context["page"]] == ["Кейс: выездной приём"]
    assert IN_SUBSECTIONS not in response.content.decode()


def test_filter_without_matches_says_so(staff_client, top):
    page = _page(staff_client, "/kb/cx/?kind=faq")
    assert NO_MATCH in page
    assert IN_SUBSECTIONS not in page


def test_empty_subsections_are_not_promised(staff_client, db):
    top = make_section("Новый раздел", slug="novyj")
    make_section("Пустой подраздел", parent=top, slug="pustoj")
    page = _page(staff_client, "/kb/novyj/")
    assert "В этом разделе пока нет материалов." in page
    assert IN_SUBSECTIONS not in page
    assert NO_MATCH not in page


def test_empty_leaf_section_says_it_is_empty(staff_client, db):
    make_section("Пустой", slug="pustoj")
    page = _page(staff_client, "/kb/pustoj/")
    assert "В этом разделе пока нет материалов." in page
    assert NO_MATCH not in page
