"""The site's search box in the header is empty on every page but search.

A page's own context must never fill it: the dashboard once had a variable
named ``query`` (its filters as a URL) that base.html read for the box.
"""

from html.parser import HTMLParser

import pytest

from tests.dashboards.factories import GOOD, make_office, responses, save
from tests.factories import make_article, make_section
from tests.ideas.factories import make_idea


class _SearchBox(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("id") == "site-search":
            self.values.append(attrs.get("value") or "")


def site_search_value(response):
    assert response.status_code == 200, response
    parser = _SearchBox()
    parser.feed(response.content.decode())
    assert len(parser.values) == 1, "one #site-search box on the page"
    return parser.values[0]


@pytest.fixture
def pages(db):
    section = make_section("Скрипты")
    article = make_article(section, title="Скрипт приветствия", mandatory=True)
    article.tags.add("вежливость")
    idea = make_idea(title="Запись на приём по времени")
    save(responses(make_office("ЦЗН Первый"), 30, **GOOD))
    return [
        "/",
        "/kb/",
        section.get_absolute_url(),
        article.get_absolute_url(),
        "/ideas/",
        idea.get_absolute_url(),
        "/ideas/review/",
        "/dashboards/cx/",
        "/dashboards/cx/?period=quarter&month=2026-10&client_type=citizen",
        "/feedback/imports/",
        "/mandatory/",
        "/tags/",
        "/tags/вежливость/",
    ]


def test_the_header_search_box_is_empty_on_every_page_but_search(client_for, administrator, pages):
    client = client_for(administrator)  # the role that sees every page
    for url in pages:
        assert site_search_value(client.get(url)) == "", url


def test_the_header_search_box_holds_the_query_on_the_search_page(client_for, administrator):
    client = client_for(administrator)
    assert site_search_value(client.get("/search/", {"q": "клиент"})) == "клиент"
