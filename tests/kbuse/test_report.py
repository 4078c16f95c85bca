"""The figures of «Знания и индекс», one by one, on a region small enough to
count by hand; and the same numbers as the CX dashboard and the cases block."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from articles.models import ArticleViewDay
from cases.selectors import case_figures
from dashboards import selectors as cx_selectors
from dashboards.forms import Filters as CxFilters
from dashboards.forms import Period
from kbuse import selectors
from kbuse.forms import Filters, Measure
from people.models import Profile
from people.scopes import Scope
from tests.factories import make_user
from tests.kbuse.conftest import (
    APRIL,
    MARCH,
    MAY,
    acknowledge,
    answers,
    at,
    closed_case,
    employee,
    idea,
    views,
)

FEBRUARY = dt.date(2026, 2, 1)


@pytest.fixture
def world(region, mandatory):
    lenin, samara, kirov = region["lenin"], region["samara"], region["kirov"]
    e1, e2, e3 = (employee(lenin) for _ in range(3))
    gone = employee(lenin, active=False)
    employee(samara)
    employee(kirov)
    employee(kirov)
    employee(region["root"])
    Profile.objects.create(user=make_user(), office=None)  # a profile without an office

    first, second, plain = mandatory["first"], mandatory["second"], mandatory["plain"]
    acknowledge(first, e1, at(MARCH, 3))
    acknowledge(first, e2, at(FEBRUARY, 10))  # before the period
    acknowledge(first, e3, at(MAY, 2))
    acknowledge(second, e1, at(APRIL, 25))
    acknowledge(second, e3, at(MARCH, 15))  # before it was published: counts from April
    acknowledge(first, gone, at(MARCH, 4))  # no longer works here
    acknowledge(plain, e1, at(MARCH, 5))  # not mandatory

    views(first, lenin, MARCH, 30)
    views(plain, lenin, MARCH, 6)
    views(first, lenin, APRIL, 12)
    views(first, samara, APRIL, 4)
    views(first, kirov, MARCH, 10)
    views(first, None, MARCH, 5)

    idea(lenin, at(MARCH, 10))
    idea(lenin, at(APRIL, 10))
    idea(lenin, at(APRIL, 11))
    idea(kirov, at(MAY, 1))
    idea(None, at(MARCH, 1))
    idea(lenin, at(FEBRUARY, 28, 23))  # before the period
    idea(samara, at(APRIL, 1, 1))  # 01:00 on 1 April in Samara, still 31 March in UTC

    closed_case(lenin, closed=at(MARCH, 12), due=dt.date(2026, 3, 15))  # on time
    closed_case(lenin, closed=at(MARCH, 20), due=dt.date(2026, 3, 18))  # late
    closed_case(lenin, closed=at(APRIL, 5, 23), due=dt.date(2026, 4, 5))  # on the day: on time
    closed_case(kirov, closed=at(MAY, 3), due=dt.date(2026, 5, 1))  # late

    answers(lenin, FEBRUARY, 40, csat=2, politeness=2, competence=2, ces=2, relevance=2)
    answers(lenin, MARCH, 40)
    answers(lenin, APRIL, 20)  # too few: greyed
    answers(kirov, MARCH, 35)
    answers(kirov, APRIL, 35, csat=2)
    return {**region, **mandatory, "e1": e1, "e2": e2}


def _report(scope, *, level, start=MARCH, end=MAY, measure=Measure.VIEWS):
    tree = cx_selectors.OfficeTree(cx_selectors.offices_all())
    filters = Filters(start=start, end=end, level=level, measure=measure)
    return selectors.knowledge_report(scope=scope, tree=tree, filters=filters)


def _row(report, title):
    return next(row for row in report.rows if row.label == title)


def _by_month(row):
    return {cell.month: cell for cell in row.cells}


def test_rows_are_the_offices_of_the_level_with_their_sub_offices(world):
    everything = Scope(everything=True)
    assert [row.label for row in _report(everything, level=1).rows] == [
        "Северный отдел",
        "Южный отдел",
    ]
    # In tree order: the job centres of the north, then of the south.
    assert [row.label for row in _report(everything, level=2).rows] == [
        "ЦЗН Ленинского района",
        "ЦЗН Самарского района",
        "ЦЗН Кировского района",
    ]
    assert [row.label for row in _report(everything, level=0).rows] == ["Управляющий центр"]


def test_employees_are_todays_active_staff_of_the_subtree(world):
    report = _report(Scope(everything=True), level=1)
    north = _row(report, "Северный отдел")
    assert {cell.employees for cell in north.cells} == {4}  # three of Lenin (one left) + Samara
    # The region: everyone active, with an office or without.
    assert report.total.cells[0].employees == User.objects.filter(is_active=True).count()


def test_views_per_employee_per_month(world):
    report = _report(Scope(everything=True), level=2)
    lenin = _by_month(_row(report, "ЦЗН Ленинского района"))
    assert lenin[MARCH].views == 36
    assert lenin[MARCH].views_per_employee == 12
    assert lenin[APRIL].views_per_employee == 4
    assert lenin[MAY].views == 0
    region = _by_month(report.total)
    assert region[MARCH].views == 30 + 6 + 10 + 5  # readers without an office included


def test_the_days_of_a_month_add_up_to_it_and_the_first_day_counted_starts_its_month(world):
    """Day rows: 31 May in May, 1 June not in the period at all; the first
    day ever counted is mid-February, so February counts (from that day)."""
    lenin, first = world["lenin"], world["first"]
    for day, count in ((dt.date(2026, 5, 31), 7), (dt.date(2026, 6, 1), 100)):
        ArticleViewDay.objects.create(article=first, office=lenin, date=day, views=count)
    ArticleViewDay.objects.create(article=first, office=lenin, date=dt.date(2026, 2, 14), views=2)
    report = _report(Scope(everything=True), level=2, start=FEBRUARY, end=MAY)
    lenin_row = _by_month(_row(report, "ЦЗН Ленинского района"))
    assert report.first_counted == FEBRUARY
    assert {month: cell.views for month, cell in lenin_row.items()} == {
        FEBRUARY: 2,
        MARCH: 36,
        APRIL: 12,
        MAY: 7,
    }


def test_views_before_the_first_counted_month_are_not_counted_not_zero(world):
    report = _report(Scope(everything=True), level=2, start=FEBRUARY, end=MARCH)
    lenin = _by_month(_row(report, "ЦЗН Ленинского района"))
    assert report.first_counted == MARCH
    assert lenin[FEBRUARY].views is None
    assert lenin[FEBRUARY].views_per_employee is None
    assert lenin[MARCH].views == 36


def test_mandatory_reading_by_the_end_of_each_month(world):
    lenin = _by_month(_row(_report(Scope(everything=True), level=2), "ЦЗН Ленинского района"))
    # March: one document × three people, read by two of them.
    assert (lenin[MARCH].mandatory, lenin[MARCH].acknowledged) == (1, 2)
    assert lenin[MARCH].reading == pytest.approx(100 * 2 / 3)
    # April: the second document is out; it has two marks (one from before it was published).
    assert (lenin[APRIL].mandatory, lenin[APRIL].acknowledged) == (2, 4)
    assert (lenin[MAY].mandatory, lenin[MAY].acknowledged) == (2, 5)
    assert lenin[MAY].reading == pytest.approx(100 * 5 / 6)


def test_reading_counts_a_person_and_a_document_once_whatever_the_versions(world):
    """Asked again after changes, people acknowledge each version: the pair
    was read by the month's end once, from its first acknowledgement."""
    first, second = world["first"], world["second"]
    e1, e2 = world["e1"], world["e2"]
    for user, article, when in (
        (e1, first, at(APRIL, 2)),  # read in March, again in April and in May
        (e1, first, at(MAY, 2)),
        (e2, first, at(MARCH, 20)),  # read in February, again in March
        (e1, second, at(MAY, 5)),
    ):
        version = user.acknowledgements.filter(article=article).count() + article.version
        acknowledge(article, user, when, version=version)
    lenin = _by_month(_row(_report(Scope(everything=True), level=2), "ЦЗН Ленинского района"))
    # As in test_mandatory_reading_by_the_end_of_each_month: nothing twice.
    assert [lenin[m].acknowledged for m in (MARCH, APRIL, MAY)] == [2, 4, 5]
    assert lenin[MAY].reading == pytest.approx(100 * 5 / 6)


def test_reading_without_mandatory_documents_is_no_figure(world):
    cell = _by_month(
        _row(_report(Scope(everything=True), level=2, start=FEBRUARY), "ЦЗН Ленинского района")
    )[FEBRUARY]
    assert cell.mandatory == 1  # the first one came out on 1 February
    report = _report(Scope(everything=True), level=2, start=dt.date(2026, 1, 1), end=FEBRUARY)
    january = _by_month(_row(report, "ЦЗН Ленинского района"))[dt.date(2026, 1, 1)]
    assert january.mandatory == 0
    assert january.reading is None


def test_ideas_per_office_and_month_in_the_portals_time_zone(world):
    report = _report(Scope(everything=True), level=2)
    lenin = _by_month(_row(report, "ЦЗН Ленинского района"))
    samara = _by_month(_row(report, "ЦЗН Самарского района"))
    assert [lenin[m].ideas for m in (MARCH, APRIL, MAY)] == [1, 2, 0]
    assert [samara[m].ideas for m in (MARCH, APRIL, MAY)] == [0, 1, 0]
    region = _by_month(report.total)
    assert region[MARCH].ideas == 2  # Lenin's and the idea without an office


def test_cases_closed_on_time_as_the_dashboard_counts_them(world):
    lenin = world["lenin"]
    report = _report(Scope(everything=True), level=2)
    cells = _by_month(_row(report, "ЦЗН Ленинского района"))
    assert (cells[MARCH].cases_closed, cells[MARCH].cases_on_time) == (2, 1)
    assert cells[MARCH].on_time == 50
    assert (cells[APRIL].cases_closed, cells[APRIL].cases_on_time) == (1, 1)
    assert cells[MAY].on_time is None
    for month in (MARCH, APRIL, MAY):
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        figures = case_figures(targets={"lenin": [lenin.pk]}, start=month, end=end)["lenin"]
        assert (figures.closed, figures.on_time) == (
            cells[month].cases_closed,
            cells[month].cases_on_time,
        )


def test_the_index_is_the_dashboards_with_its_change_and_few_answers_greyed(world):
    report = _report(Scope(everything=True), level=2)
    lenin = _by_month(_row(report, "ЦЗН Ленинского района"))
    tree = cx_selectors.OfficeTree(cx_selectors.offices_all())
    for month in (MARCH, APRIL):
        dashboard = cx_selectors.cx_report(
            CxFilters(period=Period("month", month, month), office_id=world["lenin"].pk),
            tree,
            with_comments=False,
        )
        assert lenin[month].cx.value == pytest.approx(dashboard.cx.value)
        assert lenin[month].cx.responses == dashboard.cx.responses
    assert lenin[MARCH].cx.enough
    assert lenin[MARCH].previous.responses == 40  # February, before the period
    assert lenin[MARCH].change == pytest.approx(lenin[MARCH].cx.value - lenin[MARCH].previous.value)
    assert lenin[MARCH].change > 0
    assert not lenin[APRIL].cx.enough  # 20 answers
    assert not lenin[APRIL].change_enough
    assert lenin[MAY].cx.value is None
    assert lenin[MAY].change is None


def test_a_manager_sees_their_subtree_only(world):
    north = world["north"]
    head = employee(north)
    report = _report(Scope(office=north), level=2)
    assert [row.label for row in report.rows] == ["ЦЗН Ленинского района", "ЦЗН Самарского района"]
    assert report.total.label == "Северный отдел"
    total = _by_month(report.total)
    assert total[MARCH].employees == 3 + 1 + 1  # Lenin, Samara and the head in the department
    assert total[MARCH].views == 36  # neither the south nor the readers without an office
    assert total[APRIL].views == 16
    assert total[MARCH].ideas == 1
    assert total[APRIL].ideas == 3
    assert head.profile.office == north


def test_the_chart_has_a_point_per_office_month_with_both_figures(world):
    report = _report(Scope(everything=True), level=2, measure=Measure.CASES)
    points = {(p.row.label, p.cell.month): (p.x, p.y, p.greyed) for p in report.points}
    assert set(points) == {
        ("ЦЗН Ленинского района", MARCH),
        ("ЦЗН Ленинского района", APRIL),
    }
    assert points["ЦЗН Ленинского района", MARCH][0] == 50
    assert points["ЦЗН Ленинского района", APRIL][2] is True  # too few answers


def test_the_correlation_leaves_out_greyed_points_and_needs_three(world):
    point = selectors.Point

    def cell(value, responses):
        return selectors.Cell(month=MARCH, cx=selectors.cxm.Cell(value, responses))

    row = selectors.Row(None, "x", [])
    rising = [point(row, cell(60 + i, 40), i, 60 + i) for i in range(5)]
    assert selectors.correlation(rising).r == pytest.approx(1.0)
    assert selectors.correlation(rising).n == 5
    noise = [point(row, cell(10, 3), 10, 10)]  # would break the line, but greyed
    assert selectors.correlation([*rising, *noise]).r == pytest.approx(1.0)
    assert selectors.correlation(rising[:2]).r is None
    flat = [point(row, cell(70, 40), i, 70) for i in range(4)]
    assert selectors.correlation(flat).r is None


def test_levels_offered_are_those_of_the_persons_offices(world):
    tree = cx_selectors.OfficeTree(cx_selectors.offices_all())
    everything = [level for level, _label in selectors.office_levels(Scope(everything=True), tree)]
    assert everything == [0, 1, 2]
    assert selectors.default_level(Scope(everything=True), tree) == 1
    north = [level for level, _label in selectors.office_levels(Scope(office=world["north"]), tree)]
    assert north == [1, 2]
    assert selectors.default_level(Scope(office=world["north"]), tree) == 2
    assert selectors.default_level(Scope(office=world["lenin"]), tree) == 2


def test_reading_counts_only_the_audience_of_a_targeted_document(world, region):
    """A document for Lenin's job centre only is no pair of Samara's: the
    share is of the document's audience, as in the reading report."""
    from people.audiences import AudienceSpec, audience_save
    from tests.factories import make_article

    targeted = make_article(title="Порядок приёма в Ленинском", mandatory=True)
    type(targeted).all_objects.filter(pk=targeted.pk).update(
        published_at=at(MARCH, 1),
        mandatory_audience=audience_save(
            audience=None, spec=AudienceSpec.of(offices=[region["lenin"]])
        ),
    )
    acknowledge(targeted, world["e1"], at(MARCH, 2))
    report = _report(Scope(everything=True), level=2)
    lenin = _by_month(_row(report, "ЦЗН Ленинского района"))
    samara = _by_month(_row(report, "ЦЗН Самарского района"))
    # Lenin: three people × (first, targeted) in March, + second from April.
    assert [lenin[m].reading_pairs for m in (MARCH, APRIL, MAY)] == [6, 9, 9]
    assert [lenin[m].acknowledged for m in (MARCH, APRIL, MAY)] == [3, 5, 6]
    # Samara's one person: the two documents for everyone only.
    assert [samara[m].reading_pairs for m in (MARCH, APRIL, MAY)] == [1, 2, 2]
