"""Garbage in every GET parameter of every page: never a 5xx, never a script.

For each page a person can open, every parameter its view reads (found by
grepping the views for ``request.GET`` and the forms bound to it; listed here
explicitly, so a new parameter is a conscious addition) gets each value of
GARBAGE, one parameter at a time and all at once, as someone allowed to see
the page. Runs on SQLite and on PostgreSQL (which refuses a NUL in text).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cases.models import Case
from people import roles
from people.models import Profile
from people.photos import photo_clean
from people.services import profile_contacts_update
from proposals.services import proposal_submit
from questions.services import answer_post, error_report_submit, question_ask
from search.models import SearchQuery
from tests.events.factories import make_event
from tests.factories import ROLE_USERS, make_article, make_attachment, make_section, make_user
from tests.feedback.factories import csv_bytes, feedback_row, import_file, make_office, make_service
from tests.ideas.factories import (
    make_accepted,
    make_author,
    make_idea,
    make_implemented,
    make_meeting,
)
from tests.people import images
from tests.people.factories import make_person

SCRIPT = '"><script>alert(1)</script>'
GARBAGE = [
    "abc",
    "999999",
    "-1",
    "0",
    "",
    " ",
    "'",
    '"',
    SCRIPT,
    "a" * 5000,
    "%00",
    "\x00",
    "a\x00b",
    "ё Ж 😀",
    "²",  # a digit to str.isdigit(), not to int()
    "٣",
    "\u202e",
    "2026-13",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "1e9",
    "9" * 40,
    "1.5",
    "NaN",
    "inf",
    "on",
    "../../etc/passwd",
    "%",
    "{{ 7|add:7 }}",
]
# A parameter given twice (?tag=a&tag=b).
REPEATED = ["1", SCRIPT]

DASHBOARD = ["period", "month", "start", "end", "office", "client_type", "client_group", "channel"]
KNOWLEDGE = ["start", "end", "level", "x"]
SEARCH = [
    "q",
    "section",
    "kind",
    "tag",
    "updated_from",
    "updated_to",
    "mandatory",
    "attachments",
    "drafts",
    "page",
]

READING = ["period", "start", "end", "section", "office", "sort"]
EVENTS = ["month", "mine", "office", "format", "kind"]

# (name, role, URL template, parameters the view reads, fixed parameters).
# A page that reads none still gets «x» and «page»: links and old bookmarks
# carry them.
PAGES = [
    ("home", "staff", "/", ["x", "page"], {}),
    ("kb-index", "staff", "/kb/", ["x"], {}),
    ("section", "staff", "/kb/{section}/", ["kind", "tag", "page", "all"], {}),
    ("section-all", "staff", "/kb/{section}/", ["kind", "tag", "page"], {"all": "1"}),
    ("article", "staff", "/kb/{section}/{article}/", ["x"], {}),
    ("mandatory", "staff", "/mandatory/", ["unread", "page"], {}),
    ("reading-report", "working_group", "/mandatory/report/", ["office", "article", "page"], {}),
    ("reading-report-head", "head", "/mandatory/report/", ["office", "article", "page"], {}),
    (
        "reading-report-csv",
        "working_group",
        "/mandatory/report/export.csv",
        ["office", "article"],
        {},
    ),
    ("reading-report-xlsx", "head", "/mandatory/report/export.xlsx", ["office", "article"], {}),
    ("compare", "staff", "/articles/{article_pk}/history/compare/", ["from", "to"], {"from": "1"}),
    ("tags", "staff", "/tags/", ["x"], {}),
    ("tag", "staff", "/tags/{tag}/", ["kind", "tag", "page"], {}),
    ("history", "staff", "/articles/{article_pk}/history/", ["page"], {}),
    ("search-editor", "editor", "/search/", SEARCH, {"q": "стандарт"}),
    ("search-staff", "staff", "/search/", SEARCH, {}),
    ("search-click", "staff", "/search/click/{search_id}/{article_pk}/", ["pos"], {}),
    ("ideas", "staff", "/ideas/", ["status", "office", "tag", "sort", "page"], {}),
    ("idea-similar", "staff", "/ideas/similar/", ["q", "exclude"], {}),
    ("notifications", "staff", "/notifications/", ["page"], {}),
    ("news", "staff", "/new/", ["section", "kind", "page"], {}),
    ("idea", "staff", "/ideas/{idea}/", ["x"], {}),
    ("idea-new", "staff", "/ideas/new/", ["x"], {}),
    ("idea-implemented", "staff", "/ideas/{implemented}/", ["x"], {}),
    (
        "idea-decision",
        "working_group",
        "/ideas/review/meetings/{meeting}/ideas/{accepted}/",
        ["outcome"],
        {},
    ),
    ("review", "working_group", "/ideas/review/", ["x", "page"], {}),
    ("meeting", "working_group", "/ideas/review/meetings/{meeting}/", ["x"], {}),
    ("meeting-decide", "working_group", "/ideas/review/meetings/{meeting}/decide/", ["idea"], {}),
    ("meeting-print", "working_group", "/ideas/review/meetings/{meeting}/print/", ["x"], {}),
    # A head of one office (the office scope reads «office» before the form
    # does) and the working group, who see the region.
    ("dashboard", "head", "/dashboards/cx/", DASHBOARD, {}),
    ("cx-block", "staff", "/cx/", ["x", "page", *DASHBOARD], {}),
    ("dashboard-custom", "working_group", "/dashboards/cx/", DASHBOARD, {"period": "custom"}),
    # The exports read the dashboard's filters through the same code as the
    # page (fuzzed in full above and as CSV); the XLSX writer gets a few.
    ("dashboard-xlsx", "head", "/dashboards/cx/export.xlsx", ["period", "month", "office"], {}),
    ("dashboard-csv", "head", "/dashboards/cx/export.csv", DASHBOARD, {"period": "custom"}),
    (
        "dashboard-comments",
        "working_group",
        "/dashboards/cx/comments/",
        [*DASHBOARD, "topic", "q", "page"],
        {},
    ),
    # «Знания и индекс»: the working group sees the region (the matrix's
    # manager has no office, and the page then reads no parameter).
    ("knowledge", "working_group", "/dashboards/knowledge/", KNOWLEDGE, {}),
    ("knowledge-manager", "manager", "/dashboards/knowledge/", KNOWLEDGE, {}),
    ("knowledge-csv", "working_group", "/dashboards/knowledge/export.csv", KNOWLEDGE, {}),
    ("knowledge-xlsx", "administrator", "/dashboards/knowledge/export.xlsx", KNOWLEDGE, {}),
    # «Аналитика чтения»: the region (an editor), a head of one office (an
    # office outside their scope is one of the garbage values), the files.
    ("reading", "editor", "/dashboards/reading/", READING, {}),
    ("reading-custom", "working_group", "/dashboards/reading/", READING, {"period": "custom"}),
    ("reading-head", "head", "/dashboards/reading/", READING, {}),
    ("reading-csv", "head", "/dashboards/reading/export.csv", READING, {"period": "custom"}),
    (
        "reading-xlsx",
        "editor",
        "/dashboards/reading/export.xlsx",
        ["period", "start", "office"],
        {},
    ),
    ("dashboard-comments-head", "head", "/dashboards/cx/comments/", [*DASHBOARD, "topic", "q"], {}),
    ("imports", "manager", "/feedback/imports/", ["page"], {}),
    ("import", "manager", "/feedback/imports/{batch}/", ["x"], {}),
    ("search-report", "editor", "/admin/search/searchquery/", ["week"], {}),
    ("cases", "working_group", "/cases/", ["status", "office", "overdue", "page"], {}),
    ("cases-manager", "manager", "/cases/", ["status", "office", "overdue", "page"], {}),
    ("case", "working_group", "/cases/{case}/", ["x"], {}),
    ("questions-my", "staff", "/questions/my/", ["x", "page"], {}),
    ("question-ask", "staff", "/questions/articles/{article_pk}/ask/", ["x"], {}),
    ("question-report", "staff", "/questions/articles/{article_pk}/report/", ["x"], {}),
    ("question", "staff", "/questions/{question}/answer/", ["x"], {}),
    ("error-report", "editor", "/questions/reports/{report}/", ["x"], {}),
    ("proposals-my", "staff", "/proposals/my/", ["x", "page"], {}),
    ("proposals-queue", "editor", "/proposals/", ["status", "page"], {}),
    ("proposals-queue-all", "editor", "/proposals/", ["page"], {"status": "all"}),
    ("proposal", "editor", "/proposals/{proposal}/", ["x"], {}),
    ("propose-edit", "staff", "/proposals/articles/{article_pk}/new/", ["x"], {}),
    ("propose-new", "staff", "/proposals/sections/{section_pk}/new/", ["x"], {}),
    ("events", "staff", "/events/", EVENTS, {}),
    ("events-list", "staff", "/events/list/", [*EVENTS, "when", "page"], {}),
    ("events-past", "staff", "/events/list/", [*EVENTS, "page"], {"when": "past"}),
    ("event", "staff", "/events/{event}/", ["x"], {}),
    ("people", "staff", "/people/", ["q", "office", "position", "expertise", "page"], {}),
    ("people-query", "staff", "/people/", ["office", "position", "page"], {"q": "сво"}),
    ("people-offices", "staff", "/people/offices/", ["x"], {}),
    ("people-office", "staff", "/people/offices/czn-leninskij/", ["page"], {}),
    ("people-photo", "staff", "/people/{photo}/photo/", ["v"], {}),
    ("profile-edit", "staff", "/accounts/profile/edit/", ["x"], {}),
]


@pytest.fixture
def world(db, settings):
    settings.FEEDBACK_IMPORT_RUNNER = "sync"
    people = {role: make_user(role, role=ROLE_USERS[role]) for role in ROLE_USERS}
    section = make_section("Стандарты", slug="standarty")
    make_section("Приём", parent=section, slug="priyom")
    article = make_article(section, title="Стандарт приёма", slug="standart", mandatory=True)
    article.tags.add("приём")
    make_attachment(article)
    idea = make_idea(people["staff"], title="Запись на приём по времени")
    idea.tags.add("приём")
    meeting = make_meeting(people["working_group"])
    leninskij = make_office("ЦЗН Ленинского района", code="czn-leninskij")
    # Its head sees it alone: another office beside it is outside their scope.
    people["head"] = make_user("head", role=roles.MANAGER)
    Profile.objects.create(user=people["head"], office=leninskij)
    make_office("ЦЗН Кировского района", code="czn-kirovskij")
    make_service()
    batch = import_file(
        csv_bytes([feedback_row(), feedback_row(complaint="да")]), user=people["manager"]
    )
    # The idea names the article; an accepted idea, and one implemented in
    # the office the feedback is from (its page shows the index before/after).
    idea.articles.add(article)
    author = make_author("czn-leninskij")
    accepted = make_accepted(
        make_idea(author, title="Окно без записи", articles=[article]),
        people["working_group"],
        meeting=meeting,
    )
    implemented = make_implemented(
        make_idea(author, title="Табличка с часами приёма"),
        people["working_group"],
        meeting=meeting,
        changed_articles=[article],
    )
    staff = Client()
    staff.force_login(people["staff"])
    staff.get("/search/", {"q": "стандарт"})
    question = question_ask(article=article, author=people["staff"], text="Где бланк?")
    answer_post(question=question, author=people["editor"], text="В приложении.")
    report = error_report_submit(article=article, author=people["staff"], text="Опечатка")
    proposal = proposal_submit(
        author=people["staff"],
        article=article,
        title="Стандарт приёма, уточнён",
        summary="",
        body="<p>Текст</p>",
        rationale="Уточнил.",
    )
    return {
        "people": people,
        "ids": {
            "section": section.slug,
            "article": article.slug,
            "article_pk": article.pk,
            "tag": article.tags.get().slug,
            "idea": idea.pk,
            "accepted": accepted.pk,
            "implemented": implemented.pk,
            "meeting": meeting.pk,
            "batch": batch.pk,
            "case": Case.objects.get().pk,
            "search_id": SearchQuery.objects.latest("id").pk,
            "question": question.pk,
            "report": report.pk,
            "proposal": proposal.pk,
            "section_pk": section.pk,
            "event": make_event("Обучение", organiser_office=leninskij).pk,
            "photo": _person_with_photo(leninskij).profile.pk,
        },
        "today": timezone.localdate(),
    }


def _person_with_photo(office):
    person = make_person("Анна", "Петрова", office=office, position="юрист")
    photo = photo_clean(SimpleUploadedFile("фото.jpg", images.jpeg_bytes()))
    profile_contacts_update(user=person, phone="+7 846 1", expertise=["СВО"], photo=photo)
    return person


def _problems(client, url, query):
    """What is wrong with the answer to ``url`` with ``query``, if anything."""
    try:
        response = client.get(url, query)
    except Exception as error:  # the test client re-raises what the view raised
        return f"raised {type(error).__name__}: {error}"[:300]
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    is_html = response.get("Content-Type", "").startswith("text/html") and not response.streaming
    if is_html and SCRIPT.encode() in response.content:
        return "reflected the script unescaped"
    return None


@pytest.mark.parametrize(
    ("role", "url", "parameters", "fixed"),
    [page[1:] for page in PAGES],
    ids=[page[0] for page in PAGES],
)
def test_garbage_get_parameters_never_break_a_page(world, role, url, parameters, fixed):
    client = Client()
    client.force_login(world["people"][role])
    url = url.format(**world["ids"])
    assert client.get(url, fixed).status_code < 400, "the page itself must work"
    failures = []
    for name in parameters:
        for value in [*GARBAGE, REPEATED]:
            problem = _problems(client, url, {**fixed, name: value})
            if problem:
                failures.append(f"{url}?{name}={value!r:.60}: {problem}")
    for value in GARBAGE:  # everything garbage at once
        problem = _problems(client, url, {**fixed, **dict.fromkeys(parameters, value)})
        if problem:
            failures.append(f"{url} with every parameter {value!r:.60}: {problem}")
    assert not failures, "\n".join(failures)
