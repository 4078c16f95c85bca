"""The results page costs the same number of queries with 5 or 60 matches."""

import pytest

from articles.models import Article
from tests.factories import make_attachment, make_section
from tests.search.factories import make_indexed

# user, groups (role), tree stamp; then vocabulary, facet counts, the best
# candidates' ids, their analysed text, tag counts, page cards, their texts,
# their attachments, the log insert.
RESULTS = 12


@pytest.fixture(params=[5, 60], ids=["5-matches", "60-matches"])
def many(request, db):
    section = make_section("Кейсы", slug="kejsy")
    child = make_section("Трудные", parent=section, slug="trudnye")
    for n in range(request.param):
        article = make_indexed(
            child if n % 2 else section,
            title=f"Кейс трудного разговора {n}",
            slug=f"kejs-{n}",
            tags=[f"метка {n % 7}"],
            kind=Article.Kind.CASE,
            body="<p>Разговор с клиентом, который недоволен.</p>",
        )
        if n % 10 == 0:
            make_attachment(article, content="Разговор записан.".encode())
    return request.param


def test_results_page_query_count_is_pinned(staff_client, many, django_assert_num_queries):
    url = "/search/?q=трудный+разговор&section=&kind=case"
    staff_client.get(url)  # warm the section tree cache
    with django_assert_num_queries(RESULTS):
        response = staff_client.get(url)
    assert response.context["found"].total == many
    assert len(response.context["page"]) == min(many, 20)
