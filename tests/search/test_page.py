"""The results page's structure: filters a phone reaches before the results,
an outline without skipped heading levels, valid machine-readable dates."""

import re
from html.parser import HTMLParser

import pytest

from tests.html import form_data
from tests.search.factories import make_indexed

DETAILS_RE = re.compile(r"<details class=\"search-filters\"( open)?>")


class _Outline(HTMLParser):
    """Heading levels inside <main>, and whether each <section> has a heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.levels = []
        self.sections = []  # [has a heading] for each open or closed section
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "section":
            self.sections.append(False)
            self._open.append(len(self.sections) - 1)
        elif re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
            for index in self._open:
                self.sections[index] = True

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "section" and self._open:
            self._open.pop()


def _outline(response):
    parser = _Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def found(section):
    for number in range(3):
        make_indexed(
            section,
            title=f"Памятка для клиента {number}",
            body="<p>Клиент приходит в центр.</p>",
            mandatory=number == 0,
        )


def test_filters_are_a_closed_disclosure_before_the_results(staff_client, found):
    html = staff_client.get("/search/", {"q": "клиент"}).content.decode()
    details = DETAILS_RE.search(html)
    assert details and details.group(1) is None  # closed: a phone sees results first
    assert details.start() < html.index('class="search-results"')
    assert '<summary class="search-filters__summary">Фильтры</summary>' in html
    assert html.index("</details>") < html.index('class="search-results"')


def test_the_summary_counts_the_active_filters(staff_client, found):
    response = staff_client.get("/search/", {"q": "клиент", "kind": "document", "mandatory": "1"})
    assert '<summary class="search-filters__summary">Фильтры (2)</summary>' in (
        response.content.decode()
    )


def test_filters_open_when_a_date_needs_fixing(staff_client, found):
    html = staff_client.get(
        "/search/", {"q": "клиент", "updated_from": "2026-05-01", "updated_to": "2026-01-01"}
    ).content.decode()
    assert DETAILS_RE.search(html).group(1) == " open"
    assert "Конец периода раньше его начала." in html


def test_closed_filters_are_still_submitted_with_the_query(staff_client, found):
    response = staff_client.get("/search/", {"q": "клиент", "mandatory": "1", "kind": "document"})
    fields = form_data(response)
    assert fields["mandatory"] == ["1"]
    assert fields["kind"] == ["document"]


@pytest.mark.parametrize(
    "params",
    [{"q": "клиент"}, {"q": "клиентоцентричнсоть"}, {"q": "нетакогослова"}, {}],
)
def test_headings_do_not_skip_a_level_and_every_section_has_one(staff_client, found, params):
    outline = _outline(staff_client.get("/search/", params))
    assert outline.levels[0] == 1
    for previous, level in zip(outline.levels, outline.levels[1:], strict=False):
        assert level <= previous + 1, outline.levels
    assert all(outline.sections), outline.sections


def test_result_dates_are_valid_datetime_values(staff_client, found):
    html = staff_client.get("/search/", {"q": "клиент"}).content.decode()
    values = re.findall(r'datetime="([^"]*)"', html)
    assert len(values) >= 6  # updated and published of three results
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value


def test_the_header_search_box_keeps_the_query(staff_client, found):
    html = staff_client.get("/search/", {"q": "клиент <b>"}).content.decode()
    box = re.search(r'<input id="site-search"[^>]*>', html).group()
    assert 'value="клиент &lt;b&gt;"' in box
