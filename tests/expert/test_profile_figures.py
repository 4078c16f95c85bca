"""A profile's live figures are the dashboard's for its client group: one
computation, cached like the dashboard, moving with every import."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors as dash
from dashboards.forms import Filters, Period, PeriodKind
from expert.selectors import profile_figures
from feedback.models import FeedbackResponse
from feedback.topics import stored_comments_prepare, topics_reapply
from tests.dashboards.factories import BAD, GOOD, responses, save
from tests.expert.conftest import APRIL, JANUARY, MARCH
from tests.expert.factories import make_profile

FEBRUARY = dt.date(2026, 2, 1)
DECEMBER = dt.date(2025, 12, 1)
QUARTER = Period(PeriodKind.QUARTER, JANUARY, MARCH)
# Partly good: the five groups differ, so «слабее всего» means something.
MIXED = {**GOOD, "ces": 2, "waiting": 3}


def _tag():
    stored_comments_prepare(FeedbackResponse)
    topics_reapply()


@pytest.fixture
def feedback(region):
    """Youth in the first quarter: 20 good, 10 mixed, 6 bad with complaints
    about the queue; other groups and months around them."""
    first, second = region["first"], region["second"]
    save(
        responses(first, 20, month=JANUARY, client_group="youth", **GOOD),
        responses(second, 10, month=FEBRUARY, client_group="youth", **MIXED),
        responses(
            first,
            6,
            month=MARCH,
            client_group="youth",
            complaint=True,
            **BAD,
            comment="Очередь огромная, ждала два часа",
        ),
        responses(first, 3, month=MARCH, client_group="youth", **GOOD, comment="Долго в очереди"),
        responses(first, 2, month=MARCH, client_group="youth", **BAD, comment="Грубый охранник"),
        # Around them: another group, the quarter before, the month in progress.
        responses(first, 15, month=MARCH, client_group="disabled", **BAD),
        responses(first, 12, month=DECEMBER, client_group="youth", **BAD),
        responses(first, 9, month=APRIL, day=2, client_group="youth", **BAD),
        # Employers carry «иное»: never part of a citizens' group.
        responses(first, 7, month=MARCH, client_type="employer", client_group="other", **BAD),
        responses(first, 4, month=MARCH, client_group="other", **GOOD),
    )
    _tag()
    return region


def _page_figures(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response, response.context["companion"]["figures"]


def test_the_figures_are_the_dashboards_for_the_same_group(
    client_for, staff, regional_manager, feedback
):
    profile = make_profile(client_group="youth")
    _response, figures = _page_figures(client_for(staff), profile.article)
    assert figures.period == QUARTER  # the last complete quarter
    url = figures.dashboard_url()
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "period": ["quarter"],
        "month": ["2026-01"],
        "client_type": ["citizen"],
        "client_group": ["youth"],
    }
    # The dashboard at that very address computes the same numbers.
    report = client_for(regional_manager).get(url).context["report"]
    assert figures.cx.responses == report.cx.responses == 41
    assert figures.cx.value == report.cx.value
    assert figures.cx.stars == report.cx.stars
    assert figures.cx.csat.value == report.cx.csat.value
    assert {c: g.value for c, g in figures.groups.items()} == {
        c: g.value for c, g in report.groups.items()
    }
    negative = {row.name: row.negative for row in report.topics if row.negative}
    assert {row.name: row.negative for row in figures.complaints} == negative
    # And the row of the group in the region's breakdown by client group.
    tree = dash.OfficeTree(dash.offices_all())
    region = dash.cx_report(Filters(period=QUARTER), tree, with_comments=False)
    row = next(r for r in region.client_groups if r.key == "youth")
    assert row.cx.value == pytest.approx(figures.cx.value)
    assert row.cx.responses == figures.cx.responses


def test_the_page_shows_index_stars_csat_answers_weakest_and_complaints(staff_client, feedback):
    profile = make_profile(client_group="youth")
    response, figures = _page_figures(staff_client, profile.article)
    html = response.content.decode()
    block = html.split('id="profile-figures"', 1)[1].split("</section>", 1)[0]
    assert "I квартал 2026" in block
    value = f"{figures.cx.value:.1f}".replace(".", ",")
    assert value in block and f"stars--{figures.cx.stars}" in block
    assert f"{figures.cx.csat.value:.1f}".replace(".", ",") in block
    assert ">41<" in block  # answers of the quarter
    # Weakest of the five: E (CES), low in the mixed and the bad answers.
    weakest = figures.weakest
    assert (
        weakest.code
        == min((g.value, code) for code, g in figures.groups.items() if g.value is not None)[1]
    )
    assert weakest.code == "E"
    assert "Минимизация усилий".lower() in block
    # The complaint topics, most complained about first.
    names = [row.name for row in figures.complaints]
    assert names[0] == "Очередь и ожидание"
    assert figures.complaints[0].negative == 6
    assert "Очередь и ожидание" in block and "негативных отзывов с этой темой: 6 из 9" in block


def test_staff_get_no_dashboard_links_the_working_group_does(client_for, staff, feedback):
    from tests.factories import ROLE_USERS, make_user

    profile = make_profile(client_group="youth")
    staff_html = client_for(staff).get(profile.article.get_absolute_url()).content.decode()
    assert "/dashboards/cx/" not in staff_html
    group = make_user(role=ROLE_USERS["working_group"])
    html = client_for(group).get(profile.article.get_absolute_url()).content.decode()
    assert (
        "/dashboards/cx/?period=quarter&amp;month=2026-01&amp;client_type=citizen&amp;"
        "client_group=youth" in html
    )
    assert "/dashboards/cx/comments/?period=quarter&amp;month=2026-01" in html


def test_employers_are_not_counted_in_a_citizens_group(staff_client, feedback):
    profile = make_profile(client_group="other")
    _response, figures = _page_figures(staff_client, profile.article)
    assert figures.cx.responses == 4
    assert figures.cx.value == pytest.approx(100)


def test_a_group_without_answers_says_so(staff_client, feedback):
    profile = make_profile(client_group="svo")
    response, figures = _page_figures(staff_client, profile.article)
    assert figures.cx.responses == 0
    assert "За этот квартал ответов граждан этой группы нет." in response.content.decode()


def test_few_answers_are_greyed_and_said(staff_client, region):
    save(responses(region["first"], 5, month=MARCH, client_group="parent", **GOOD))
    profile = make_profile(client_group="parent")
    response, figures = _page_figures(staff_client, profile.article)
    html = response.content.decode()
    assert not figures.cx.enough
    assert "profile-figures--few" in html
    assert "Ответов: 5 — слишком мало для надёжной оценки" in html


def test_figures_are_cached_until_the_next_import(staff_client, feedback):
    profile = make_profile(client_group="youth")
    url = profile.article.get_absolute_url()
    staff_client.get(url)  # computes and caches
    with CaptureQueriesContext(connection) as cached:
        staff_client.get(url)
    tables = " ".join(q["sql"] for q in cached.captured_queries)
    assert "feedback_monthlyslice" in tables  # the data stamp only: MAX(id), MAX(month)
    assert "feedback_responsetopic" not in tables
    assert "people_office" not in tables
    first = profile_figures(client_group="youth")
    # An import: the stamp moves, the next page shows the new answers at once.
    save(responses(feedback["first"], 10, month=MARCH, client_group="youth", **BAD))
    _response, figures = _page_figures(staff_client, profile.article)
    assert figures.cx.responses == first.cx.responses + 10
    assert figures.cx.value < first.cx.value


def test_one_cache_entry_serves_every_profile_of_the_group(feedback, django_assert_num_queries):
    profile_figures(client_group="youth")
    with django_assert_num_queries(1):  # the data stamp
        profile_figures(client_group="youth")
