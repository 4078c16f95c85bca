"""The idea pages' HTML structure: valid ``datetime`` values, no skipped
heading levels, a heading in every <section>, unique ids. (The Nu checker
run over the whole site lives elsewhere; these are fast and specific.)"""

import re
from html.parser import HTMLParser

import pytest

from ideas import services
from tests.ideas.factories import make_idea, make_voters

# HTML's valid global date and time: seconds with at most three decimals.
DATETIME = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?)?$")


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_main = False
        self.headings = []  # levels inside <main>, in order
        self.sections = []  # for each <section>: did a heading come before it closed
        self.datetimes = []
        self.ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "main":
            self.in_main = True
        if tag == "time" and "datetime" in attrs:
            self.datetimes.append(attrs["datetime"])
        if tag == "section":
            self.sections.append(False)
        if re.fullmatch(r"h[1-6]", tag):
            if self.in_main:
                self.headings.append(int(tag[1]))
            if self.sections:
                self.sections[-1] = True

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False


def _structure(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Structure()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def busy_idea(idea, staff, colleague, meeting, working_group):
    """An idea with everything its page can show: votes, comments, a decision,
    a merged duplicate, history."""
    make_voters(idea, 2)
    services.comment_add(idea=idea, author=colleague, text="Поддерживаю")
    services.idea_status_set(idea=idea, status="under_review", by=working_group, reason="Берём")
    services.decision_record(
        meeting=meeting, idea=idea, outcome="rework", by=working_group, rationale="Уточните"
    )
    services.idea_merge(duplicate=make_idea(colleague), original=idea, by=working_group)
    return idea


def _pages(busy_idea, meeting):
    return [
        "/ideas/",
        "/ideas/?sort=new",
        busy_idea.get_absolute_url(),
        "/notifications/",
        "/ideas/new/",
        "/ideas/review/",
        meeting.get_absolute_url(),
        f"/ideas/review/meetings/{meeting.pk}/ideas/{busy_idea.pk}/",
        f"/ideas/review/meetings/{meeting.pk}/print/",
        "/ideas/review/meetings/new/",
    ]


def test_idea_pages_are_well_structured(client_for, busy_idea, staff, working_group, meeting):
    for user, urls in [
        (staff, _pages(busy_idea, meeting)[:5]),
        (working_group, _pages(busy_idea, meeting)),
    ]:
        client = client_for(user)
        for url in urls:
            page = _structure(client, url)
            where = f"{url} as {user}"
            assert page.headings and page.headings[0] == 1, where
            for before, after in zip(page.headings, page.headings[1:], strict=False):
                assert after <= before + 1, f"{where}: h{before} → h{after}"
            assert all(page.sections), f"{where}: a <section> without a heading"
            for value in page.datetimes:
                assert DATETIME.match(value), f"{where}: datetime={value!r}"
            duplicates = {i for i in page.ids if page.ids.count(i) > 1}
            assert not duplicates, f"{where}: duplicate ids {duplicates}"


def test_datetimes_are_checked_on_every_kind_of_time(client_for, busy_idea, staff, working_group):
    # The detail page as the group shows the idea's, the comments' and the
    # history's times; the list and notifications their own.
    page = _structure(client_for(working_group), busy_idea.get_absolute_url())
    assert len(page.datetimes) >= 1 + 1 + 3
    assert _structure(client_for(staff), "/ideas/").datetimes
    assert _structure(client_for(staff), "/notifications/").datetimes
