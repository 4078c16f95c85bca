"""The dashboard's and the pulse's HTML: valid, keyboard-reachable, navigable.

What the real-user audit found (axe «scrollable-region-focusable», Nu HTML
checker errors, a 13,000-pixel page) is checked here on the markup itself.
"""

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import pytest

from tests.dashboards.factories import BAD, GOOD, make_indicator, make_service, responses, save

VALID_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$"
)


class _Page(HTMLParser):
    """Elements of <main> as (tag, attrs), the page's ids, the headings of
    <main> in order, and each <section> with whether it holds a heading."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.ids = set()
        self.headings = []  # (level, text)
        self.sections = []  # (attrs, has a heading)
        self._open_sections = []
        self._in_main = False
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        self.elements.append((tag, attrs))
        if tag == "section":
            self._open_sections.append([attrs, False])
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
            if self._open_sections:
                self._open_sections[-1][1] = True

    def handle_endtag(self, tag):
        if not self._in_main:
            return
        if tag == "main":
            self._in_main = False
        elif tag == "section" and self._open_sections:
            self.sections.append(tuple(self._open_sections.pop()))
        elif self._heading and re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data


def parse(response):
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    return page


@pytest.fixture
def full(region):
    service = make_service("Содействие в поиске работы")
    thanks = responses(region["first"], 40, **GOOD, service=service, comment="Спасибо")
    for response in thanks:  # imported times carry microseconds
        response.submitted_at += dt.timedelta(microseconds=311793)
    save(
        thanks,
        responses(region["second"], 35, **BAD, comment="Долго"),
        responses(region["south"], 30, **GOOD, client_type="employer", client_group="other"),
    )
    make_indicator(region["first"], "wait_minutes", 12)
    return region


def _dashboard(client):
    return client.get("/dashboards/cx/?period=month&month=2026-03")


def test_every_scrollable_region_is_focusable_and_named(manager_client, full):
    page = parse(_dashboard(manager_client))
    regions = [attrs for tag, attrs in page.elements if "table-scroll" in attrs.get("class", "")]
    assert len(regions) >= 6  # ranking, all figures, heat map, groups, channels, services…
    for attrs in regions:
        assert attrs.get("tabindex") == "0", attrs
        assert attrs.get("role") == "region", attrs
        label = attrs.get("aria-labelledby")
        assert attrs.get("aria-label") or (label and label in page.ids), attrs
    by_id = {attrs.get("id"): attrs for _tag, attrs in page.elements}
    for anchor in ("by-group", "by-channel"):  # the two the audit named
        assert anchor in by_id


def test_month_inputs_have_no_placeholder(manager_client, full):
    page = parse(_dashboard(manager_client))
    months = [
        attrs for tag, attrs in page.elements if tag == "input" and attrs.get("type") == "month"
    ]
    assert len(months) == 3
    assert all("placeholder" not in attrs for attrs in months)


def test_datetime_attributes_are_valid(manager_client, full):
    page = parse(_dashboard(manager_client))
    values = [attrs["datetime"] for tag, attrs in page.elements if tag == "time"]
    assert values
    for value in values:
        assert VALID_DATETIME.match(value), value


@pytest.mark.parametrize("url", ["/dashboards/cx/?period=month&month=2026-03", "/"])
def test_headings_do_not_skip_levels_and_every_section_has_one(manager_client, full, url):
    page = parse(manager_client.get(url))
    levels = [level for level, _text in page.headings]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, page.headings
    for attrs, has_heading in page.sections:
        assert has_heading, attrs
        if "aria-labelledby" in attrs:
            assert attrs["aria-labelledby"] in page.ids


def test_the_contents_bar_reaches_every_part(manager_client, full):
    response = _dashboard(manager_client)
    page = parse(response)
    toc = response.content.decode().split('class="cx-toc"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', toc)
    assert links[:3] == ["#overview", "#groups", "#trend"]
    for href in links:
        assert href.lstrip("#") in page.ids, href
    for part in ("offices", "heat", "by-group", "by-channel", "by-service", "comments", "method"):
        assert f"#{part}" in links


def test_the_office_ranking_shows_the_key_columns_the_rest_behind_a_toggle(manager_client, full):
    html = _dashboard(manager_client).content.decode()
    ranking = html.split('id="ranking-caption"', 1)[1].split("</thead>", 1)[0]
    assert (
        len(re.findall(r"<th[ >]", ranking)) == 7
    )  # №, office, index, change, answers, CSAT, weak
    everything = html.split("Все показатели подразделений</summary>", 1)[1].split("</thead>")[0]
    assert len(re.findall(r"<th[ >]", everything)) == 9 + 7  # and the operational indicators


def test_the_first_screen_is_the_overview(manager_client, full):
    """Cards, then the five groups and the trend, before any table."""
    html = _dashboard(manager_client).content.decode()
    main = html.split("<main", 1)[1]
    order = [main.index(marker) for marker in ('id="overview"', 'id="groups"', 'id="trend"')]
    assert order == sorted(order)
    # Before the offices, tables (the charts' data) only behind a toggle.
    before_offices = main[: main.index('id="offices"')]
    assert "<table" not in re.sub(r"<details.*?</details>", "", before_offices, flags=re.S)
    charts = re.findall(r"<svg [^>]*>", main)
    assert len(charts) == 2
    assert all("viewBox=" in chart for chart in charts)


def test_the_method_is_explained_plainly_before_the_statistics(manager_client, full):
    html = _dashboard(manager_client).content.decode()
    method = html.split('id="method"', 1)[1]
    assert method.index("Коротко:") < method.index("<details")
    assert method.index("<details") < method.index("Агрести")
