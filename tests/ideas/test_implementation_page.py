"""The idea page of an implemented idea: what changed, the articles, and the
office's CX index in the complete months before and after — the dashboard's
own figures (one formula), greyed below the minimum of answers."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from articles.services import article_trash
from dashboards import selectors as dashboard_selectors
from dashboards.forms import Filters, Period, PeriodKind, add_months, this_month
from ideas import services
from ideas.models import Idea
from ideas.selectors import CxWindow, implementation_cx
from people.models import Office, Profile
from tests.dashboards.factories import BAD, GOOD, make_office, responses, save
from tests.factories import make_article
from tests.ideas.factories import make_idea

FEW = 5  # answers a month in a thin office: below CX_MIN_RESPONSES over three months


@pytest.fixture
def offices(db):
    """A department with a job centre, and a sibling department."""
    centre = make_office("Управляющий центр", kind=Office.Kind.CENTER)
    department = make_office("Северный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    job_centre = make_office("ЦЗН Северный", parent=department)
    sibling = make_office("Южный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    return {"department": department, "job_centre": job_centre, "sibling": sibling}


def _month(back):
    return add_months(this_month(), -back)


@pytest.fixture
def implemented(staff, offices, meeting, working_group):
    """An idea of the northern department implemented four months ago, in the
    middle of the month (so three complete months lie on each side)."""
    Profile.objects.create(user=staff, office=offices["department"])
    idea = make_idea(staff, title="Запись на точное время", days_ago=400)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="implemented",
        by=working_group,
        changes="Запись на точное время и окно без записи.",
        implemented_on=_month(4).replace(day=15),
    )
    return Idea.objects.select_related("office").get(pk=idea.pk)


def _feedback(offices, *, per_month=20):
    """Poor answers in the three months before, good ones after; the month of
    implementation and the sibling department have answers that must not count."""
    groups = []
    for back in (7, 6, 5):
        groups.append(responses(offices["job_centre"], per_month, month=_month(back), **BAD))
    groups.append(responses(offices["job_centre"], 50, month=_month(4), **GOOD))
    for back in (3, 2, 1):
        groups.append(responses(offices["job_centre"], per_month, month=_month(back), **GOOD))
    groups.append(responses(offices["sibling"], 50, month=_month(6), **GOOD))
    # The month in progress is never counted.
    groups.append(responses(offices["job_centre"], 50, month=_month(0), **BAD))
    save(*groups)


def _dashboard_cx(office, start, end):
    tree = dashboard_selectors.OfficeTree(dashboard_selectors.offices_all())
    filters = Filters(period=Period(PeriodKind.CUSTOM, start, end), office_id=office.pk)
    return dashboard_selectors.cx_report(filters, tree, with_comments=False).cx


def test_index_before_and_after_is_the_dashboards_own(implemented, offices):
    _feedback(offices)
    result = implementation_cx(
        office=implemented.office, implemented_on=implemented.implementation.implemented_on
    )
    assert result.before.months == [_month(7), _month(6), _month(5)]
    assert result.after.months == [_month(3), _month(2), _month(1)]
    for window in (result.before, result.after):
        expected = _dashboard_cx(offices["department"], window.months[0], window.months[-1])
        assert window.cx.responses == expected.responses == 60
        assert window.cx.value == pytest.approx(expected.value)
        assert (window.cx.low, window.cx.high) == pytest.approx((expected.low, expected.high))
    assert result.before.cx.value < 10 < 90 < result.after.cx.value
    assert result.change == pytest.approx(result.after.cx.value - result.before.cx.value)


def test_idea_page_shows_what_changed_and_the_index(staff_client, implemented, offices):
    _feedback(offices)
    standard = make_article(title="Стандарт встречи клиента")
    gone = make_article(title="Старый порядок записи")
    implemented.implementation.articles.set([standard, gone])
    article_trash(article=gone)
    response = staff_client.get(implemented.get_absolute_url())
    page = response.content.decode()
    block = page[page.index('id="implementation"') :]
    assert "Запись на точное время и окно без записи." in block
    assert f'href="{standard.get_absolute_url()}"' in block
    assert "Старый порядок записи" not in block  # in the trash: not linked
    assert "Северный отдел (с подчинёнными подразделениями)" in block
    before, after = (
        response.context["implementation_cx"].before,
        response.context["implementation_cx"].after,
    )
    for window in (before, after):
        assert f'<span class="idea-cx__months">{window.label}</span>' in block
    cx = response.context["implementation_cx"]
    before, after = cx.before.cx, cx.after.cx
    for value in (before.value, before.low, before.high, after.value, after.low, after.high):
        assert f"{value:.1f}".replace(".", ",") in block
    assert "cx-few" not in block
    assert "Изменение: +" in block
    assert "не доказывает" in block
    assert 'href="/static/css/dashboards.css"' in page


def test_too_few_answers_are_greyed_and_the_change_not_given(staff_client, implemented, offices):
    _feedback(offices, per_month=FEW)
    assert 3 * FEW < settings.CX_MIN_RESPONSES
    response = staff_client.get(implemented.get_absolute_url())
    page = response.content.decode()
    rows = re.findall(r'<tr class="cx-few"><th scope="row">([^<]+)<span', page)
    assert rows == ["До внедрения", "После внедрения"]
    assert page.count('<span class="cx-few__tag">мало ответов</span>') == 2
    assert "Изменение не показано" in page
    assert "Изменение: " not in page


def test_an_office_with_no_answers_shows_dashes(staff_client, implemented):
    response = staff_client.get(implemented.get_absolute_url())
    assert response.status_code == 200
    cx = response.context["implementation_cx"]
    assert cx.before.cx.value is None and cx.before.cx.responses == 0
    assert cx.change is None


def test_idea_without_an_office_says_so(staff_client, staff, meeting, working_group):
    idea = make_idea(staff, days_ago=40)  # staff has no profile: no office
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="implemented",
        by=working_group,
        changes="Сделано.",
        implemented_on=timezone.localdate() - timedelta(days=35),
    )
    response = staff_client.get(idea.get_absolute_url())
    page = response.content.decode()
    assert "У идеи не указано подразделение" in page
    assert response.context["implementation_cx"] is None
    assert "dashboards.css" not in page


def test_no_complete_month_after_yet(staff_client, staff, offices, meeting, working_group):
    Profile.objects.create(user=staff, office=offices["job_centre"])
    idea = make_idea(staff, days_ago=1)
    services.decision_record(meeting=meeting, idea=idea, outcome="accept", by=working_group)
    services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome="implemented",
        by=working_group,
        changes="Сделано.",
        implemented_on=timezone.localdate(),
    )
    response = staff_client.get(idea.get_absolute_url())
    cx = response.context["implementation_cx"]
    assert cx.after.months == [] and cx.after.cx is None
    assert len(cx.before.months) == 3
    page = response.content.decode()
    assert "Полных месяцев после внедрения ещё нет" in page
    assert '<caption id="implementation-cx-caption">ЦЗН Северный</caption>' in page


def test_months_after_still_running_are_left_out(offices):
    """Implemented last month: one complete month after, said as «1 из 3»."""
    result = implementation_cx(
        office=offices["department"], implemented_on=_month(2).replace(day=28)
    )
    assert result.after.months == [_month(1)]
    assert result.before.months == [_month(5), _month(4), _month(3)]


def test_window_labels_are_short():
    assert CxWindow([date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)], None).label == (
        "март — май 2026"
    )
    assert CxWindow([date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)], None).label == (
        "ноябрь 2026 — январь 2027"
    )
    assert CxWindow([date(2026, 11, 1)], None).label == "ноябрь 2026"
    assert CxWindow([], None).label == ""


def test_complete_months_follow_the_dashboards_last_complete_month(offices):
    office = offices["department"]
    on_first_of_december = implementation_cx(
        office=office, implemented_on=date(2026, 8, 20), current_month=date(2026, 12, 1)
    )
    assert on_first_of_december.after.months == [
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]
    in_november = implementation_cx(
        office=office, implemented_on=date(2026, 8, 20), current_month=date(2026, 11, 1)
    )
    assert in_november.after.months == [date(2026, 9, 1), date(2026, 10, 1)]
    assert in_november.before.months == [date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)]
