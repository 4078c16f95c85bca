"""/cx/: the region's and my office's CX for the last complete month, for everyone."""

import datetime as dt
import re

import pytest

from cx import selectors
from dashboards.cx import GROUP_CODES
from tests.cx.conftest import place
from tests.dashboards.factories import BAD, GOOD, make_indicator, responses, save
from tests.factories import ROLE_USERS, make_user

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def feedback(region):
    """March: ЦЗН Первый 30 good, Южный отдел 10 bad; February: ЦЗН Первый 40 good;
    April (the month in progress): 40 bad, which the block must never show."""
    save(
        responses(region["first"], 30, **GOOD),
        responses(region["south"], 10, **BAD),
        responses(region["first"], 40, month=FEBRUARY, **GOOD),
        responses(region["first"], 40, month=APRIL, day=2, **BAD),
    )
    return region


def _section(html, anchor):
    """The HTML of the page's section with id ``anchor``."""
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


def test_staff_see_the_region_and_their_office_for_the_last_complete_month(
    staff_of_first, feedback
):
    response = staff_of_first.get("/cx/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.period.start, summary.period.end) == (MARCH, MARCH)
    # Region: 30 good + 10 bad = 75.0, February 100.0 → −25.0
    assert summary.region.cx.value == pytest.approx(75)
    assert summary.region.change == pytest.approx(-25)
    # ЦЗН Первый: 100.0 in both months
    assert summary.office == feedback["first"]
    assert summary.office_scope.cx.value == pytest.approx(100)
    assert summary.office_scope.change == pytest.approx(0)
    html = response.content.decode()
    index = _section(html, "index")
    assert "за март 2026 — последний завершённый месяц" in html
    assert "75,0" in index and "3 звезды из 5" in index
    assert "−25,0" in index and "п. п. к месяцу «февраль 2026»" in index
    assert "ЦЗН Первый" in index and "100,0" in index and "stars--5" in index
    assert "апрель 2026" not in html  # the month in progress


def test_the_figures_are_the_dashboards(staff_of_first, client_for, feedback, region):
    """One formula: the block shows what the dashboard computes for the same month."""
    viewer = client_for(make_user(role=ROLE_USERS["working_group"]))
    summary = staff_of_first.get("/cx/").context["summary"]
    for office, scope in ((None, summary.region), (region["first"], summary.office_scope)):
        query = "?period=month&month=2026-03" + (f"&office={office.pk}" if office else "")
        report = viewer.get("/dashboards/cx/" + query).context["report"]
        assert scope.cx.value == report.cx.value
        assert scope.change == report.change
        assert {c: g.value for c, g in scope.groups.items()} == {
            c: g.value for c, g in report.groups.items()
        }


def test_the_five_groups_of_the_region_and_the_office(staff_of_first, feedback):
    response = staff_of_first.get("/cx/")
    groups = _section(response.content.decode(), "groups")
    rows = re.findall(r'<th scope="row" class="cx-name">([FUEAK]) — ', groups)
    assert rows == list(GROUP_CODES)
    summary = response.context["summary"]
    assert [g.value for g in summary.region.groups.values()] == [pytest.approx(75)] * 5
    assert groups.count("75,0") == 5 and groups.count("100,0") == 5
    assert "Дружелюбие и партнёрство" in groups and "Комфорт и удобство" in groups


def test_on_the_first_of_december_the_block_and_the_pulse_show_november(
    staff_of_first, region, monkeypatch
):
    """The issue's case: one day of December must not be compared with November,
    neither on /cx/ nor in the home page's pulse, and both say the same."""
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 12, 1))
    november = dt.date(2026, 11, 1)
    save(
        *(responses(region["first"], 40, month=dt.date(2026, m, 1), **GOOD) for m in (9, 10, 11)),
        responses(region["first"], 40, month=dt.date(2026, 12, 1), day=1, **BAD),
    )
    response = staff_of_first.get("/cx/")
    summary = response.context["summary"]
    assert summary.period.start == november
    assert summary.region.cx.value == pytest.approx(100)
    assert summary.region.change == pytest.approx(0)
    html = response.content.decode()
    assert "за ноябрь 2026" in html
    assert "декабрь 2026" not in html and "−100,0" not in html

    home = staff_of_first.get("/")
    pulse = home.context["pulse"]
    assert (pulse["month"], pulse["partial"]) == (november, False)
    assert pulse["cx"].value == summary.region.cx.value
    assert pulse["change"] == summary.region.change
    assert "−100,0" not in home.content.decode()


def test_without_an_office_the_region_only_with_a_note(staff_client, feedback):
    response = staff_client.get("/cx/")
    summary = response.context["summary"]
    assert summary.office is None and summary.office_scope is None
    html = response.content.decode()
    assert "В вашем профиле не указано подразделение" in html
    assert _section(html, "index").count('class="cx-card ') == 1
    assert 'id="indicators"' not in html
    assert "О чём пишут клиенты в регионе" in html


def test_an_office_holding_the_whole_region_is_not_shown_twice(client, staff, feedback):
    place(staff, feedback["centre"])
    client.force_login(staff)
    response = client.get("/cx/")
    summary = response.context["summary"]
    assert summary.office_is_region and summary.office_scope is None
    html = response.content.decode()
    assert "его показатели — это показатели региона" in html
    assert _section(html, "index").count('class="cx-card ') == 1


def test_too_few_answers_are_greyed(client, staff, feedback):
    """Южный отдел has 10 answers in March: fewer than CX_MIN_RESPONSES."""
    place(staff, feedback["south"])
    client.force_login(staff)
    html = client.get("/cx/").content.decode()
    index = _section(html, "index")
    cards = index.split('class="cx-card ')[1:]
    assert "cx-few" not in cards[0].split(">", 1)[0]  # the region: 40 answers
    assert cards[1].startswith("cx-block__card cx-few")
    assert "мало ответов" in cards[1] and "слишком мало для надёжной оценки" in cards[1]
    groups = _section(html, "groups")
    assert groups.count('class="num cx-stack__lead cx-few"') == 5  # the office's column only


def test_operational_indicators_of_my_office(client, staff, feedback, client_for):
    """The office's subtree for the month: counts summed, times averaged — the
    dashboard's rule; another month and another office left out."""
    north, first, second = feedback["north"], feedback["first"], feedback["second"]
    make_indicator(first, "wait_minutes", 10)
    make_indicator(second, "wait_minutes", 20)
    make_indicator(first, "contacts", 100)
    make_indicator(second, "contacts", 50)
    make_indicator(first, "contacts", 999, month=FEBRUARY)
    make_indicator(feedback["south"], "contacts", 777)
    place(staff, north)
    client.force_login(staff)
    response = client.get("/cx/")
    scope = response.context["summary"].office_scope
    assert dict(scope.indicators) == {"wait_minutes": 15, "contacts": 150}
    indicators = _section(response.content.decode(), "indicators")
    assert "Среднее время ожидания, мин" in indicators and "15,0" in indicators
    assert "Число обращений" in indicators and ">150<" in indicators
    assert "999" not in indicators and "777" not in indicators
    # The dashboard's row of the same office shows the same numbers.
    viewer = client_for(make_user(role=ROLE_USERS["working_group"]))
    report = viewer.get("/dashboards/cx/?period=month&month=2026-03").context["report"]
    row = next(r for r in report.offices if r.office == north)
    assert row.indicators == {"wait_minutes": 15, "contacts": 150}


def test_an_office_without_indicators_says_so(staff_of_first, feedback):
    html = staff_of_first.get("/cx/").content.decode()
    assert "За месяц операционных показателей подразделения нет." in html


def test_no_feedback_at_all(staff_of_first):
    response = staff_of_first.get("/cx/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ответов клиентов за месяц нет." in html
    assert 'id="groups"' not in html
    assert "За месяц нет комментариев с темами из справочника." in html


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_every_role_gets_the_page_and_a_menu_link(client, db, role):
    client.force_login(make_user(role=ROLE_USERS[role]))
    home = client.get("/").content.decode()
    menu = home.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/cx/">Клиентский опыт</a>' in menu
    page = client.get("/cx/")
    assert page.status_code == 200
    menu = page.content.decode().split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/cx/" aria-current="page">Клиентский опыт</a>' in menu


def test_a_person_without_a_role_gets_the_page_too(client, db):
    client.force_login(make_user())
    assert client.get("/cx/").status_code == 200


def test_the_home_page_pulse_links_to_the_block(staff_client, feedback):
    html = staff_client.get("/").content.decode()
    pulse = html.split('class="cx-pulse', 1)[1].split("</section>", 1)[0]
    assert 'href="/cx/"' in pulse
    assert "/dashboards/cx/" not in pulse  # staff get no dashboard link


def test_managers_get_a_link_to_the_dashboard_on_the_same_month(client, feedback):
    manager = make_user(role=ROLE_USERS["manager"])
    place(manager, feedback["first"])
    client.force_login(manager)
    html = client.get("/cx/").content.decode()
    office = feedback["first"].pk
    assert f'href="/dashboards/cx/?period=month&amp;month=2026-03&amp;office={office}"' in html


def test_staff_get_no_dashboard_link(staff_of_first, feedback):
    assert "/dashboards/cx/" not in _section(staff_of_first.get("/cx/").content.decode(), "how")


def test_an_import_shows_at_once(staff_of_first, feedback, region):
    """The cached figures are keyed by the dashboard's data stamp."""
    assert staff_of_first.get("/cx/").context["summary"].region.cx.responses == 40
    save(responses(region["second"], 20, **GOOD))
    summary = staff_of_first.get("/cx/").context["summary"]
    assert summary.region.cx.responses == 60
    assert summary.office_scope.cx.responses == 30


def test_the_block_is_computed_once_per_stamp(staff_of_first, feedback, monkeypatch):
    calls = []
    real = selectors._scope
    monkeypatch.setattr(selectors, "_scope", lambda *a, **k: calls.append(1) or real(*a, **k))
    staff_of_first.get("/cx/")
    staff_of_first.get("/cx/")
    assert len(calls) == 2  # the region and the office, once each
