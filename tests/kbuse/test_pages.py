"""The page /dashboards/knowledge/ and its exports: who sees what, the filters
with their Russian errors, the chart, the caveat and a pinned query count."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from dashboards import forms as cx_forms
from people import roles
from tests.factories import make_article, make_user
from tests.kbuse.conftest import (
    APRIL,
    MARCH,
    PERIOD,
    answers,
    at,
    employee,
    office,
    views,
)

URL = "/dashboards/knowledge/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """June 2026: May is the last complete month."""
    monkeypatch.setattr(cx_forms, "today", lambda: dt.date(2026, 6, 15))


@pytest.fixture
def world(region):
    article = make_article(title="Стандарт приёма")
    for name in ("lenin", "samara", "kirov"):
        for _ in range(2):
            employee(region[name])
    views(article, region["lenin"], MARCH, 8)
    views(article, region["kirov"], MARCH, 2)
    answers(region["lenin"], MARCH, 40)
    answers(region["kirov"], MARCH, 40, csat=2, politeness=2, ces=2)
    answers(region["samara"], APRIL, 5)
    return region


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.STAFF, 403),
        (roles.EDITOR, 403),
        (roles.WORKING_GROUP, 200),
        (roles.MANAGER, 200),
        (roles.ADMINISTRATOR, 200),
    ],
)
def test_who_may_open_the_page_and_its_exports(world, role, status):
    user = employee(world["root"], role=role)
    client = _client(user)
    assert client.get(URL).status_code == status
    assert client.get(URL + "export.csv").status_code == status
    assert client.get(URL + "export.xlsx").status_code == status


LINK = f'<a href="{URL}">Знания и индекс</a>'


@pytest.mark.parametrize(
    "who", ["working_group", "administrator", "head", "regional"], ids=lambda who: who
)
def test_the_cx_dashboard_links_to_the_page_for_those_who_may_see_it(world, who):
    user = {
        "working_group": lambda: make_user(role=roles.WORKING_GROUP),
        "administrator": lambda: make_user(role=roles.ADMINISTRATOR),
        "head": lambda: employee(world["lenin"], role=roles.MANAGER),
        "regional": lambda: employee(world["root"], role=roles.MANAGER),
    }[who]()
    client = _client(user)
    dashboard = client.get("/dashboards/cx/", {"period": "month", "month": "2026-03"})
    assert dashboard.status_code == 200
    assert LINK in dashboard.content.decode()
    assert client.get(URL).status_code == 200  # and the link opens


def test_the_link_is_not_in_the_main_menu_nor_for_a_manager_without_an_office(world):
    client = _client(make_user(role=roles.MANAGER))
    page = client.get("/dashboards/cx/").content.decode()
    assert "Знания и индекс" not in page  # the dashboard's own «no office» page
    for user in (make_user(role=roles.WORKING_GROUP), make_user(role=roles.STAFF)):
        home = _client(user).get("/").content.decode()
        assert URL not in home


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_manager_without_an_office_is_told_why_and_sees_nothing(world):
    client = _client(make_user(role=roles.MANAGER))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "не привязан к подразделению" in page
    assert "ЦЗН Ленинского района" not in page
    assert client.get(URL + "export.csv").status_code == 403


def test_a_manager_of_another_office_sees_only_it(world):
    client = _client(employee(world["kirov"], role=roles.MANAGER))
    response = client.get(URL, PERIOD)
    page = response.content.decode()
    assert "ЦЗН Кировского района" in page
    assert "ЦЗН Ленинского района" not in page
    assert "Северный отдел" not in page
    csv_text = client.get(URL + "export.csv", PERIOD).content.decode("utf-8-sig")
    assert "ЦЗН Ленинского района" not in csv_text


def test_the_working_group_sees_the_region(world):
    client = _client(employee(world["root"], role=roles.WORKING_GROUP))
    response = client.get(URL, {**PERIOD, "level": "2"})
    report = response.context["report"]
    assert report.total.label == "Весь регион"
    assert [row.label for row in report.rows] == [
        "ЦЗН Ленинского района",
        "ЦЗН Самарского района",
        "ЦЗН Кировского района",
    ]


def test_the_page_states_that_a_link_is_not_a_cause(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    page = client.get(URL).content.decode()
    assert "Связь не означает причину" in page


def test_the_default_is_the_last_six_complete_months_and_the_level_below(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL)
    filters = response.context["filters"]
    assert (filters.start, filters.end) == (dt.date(2025, 12, 1), dt.date(2026, 5, 1))
    assert filters.level == 1
    page = response.content.decode()
    assert 'value="2026-05"' in page  # the fields show what the page shows


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"end": "2026-06"}, "Этот месяц ещё не закончился"),
        ({"end": "2026-09"}, "Этот месяц ещё не закончился"),
        ({"start": "2026-05", "end": "2026-03"}, "Начало периода позже его конца"),
        ({"start": "2023-01", "end": "2026-05"}, "Период длиннее 24 месяцев"),
        ({"start": "2026-13"}, "Укажите месяц в виде ГГГГ-ММ"),
        ({"level": "7"}, "Выберите корректный вариант"),
        ({"x": "salary"}, "Выберите корректный вариант"),
    ],
)
def test_bad_filters_are_named_in_russian_and_the_default_is_shown(world, params, message):
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    filters = response.context["filters"]
    assert filters.end <= dt.date(2026, 5, 1)  # never a month in progress
    assert filters.start <= filters.end
    assert len(filters.months) <= 24


def test_the_chart_is_an_accessible_svg_with_a_dot_per_office_month(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL, {**PERIOD, "level": "2"})
    chart = str(response.context["chart"])
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert "<title " in chart and "<desc " in chart and "в таблице" in chart
    # Lenin and Kirov in March; Samara in April with no views (counted: 0)
    # and too few answers (hollow). Months without answers have no dot.
    assert chart.count("<circle") == 3
    assert chart.count("chart__dot--grey") == 1
    assert "ЦЗН Ленинского района, март 2026" in chart
    page = response.content.decode()
    assert 'id="table"' in page


def test_a_month_with_few_answers_is_a_hollow_dot_left_out_of_r(world):
    views(make_article(), world["samara"], APRIL, 3)
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL, {**PERIOD, "level": "2"})
    chart = str(response.context["chart"])
    assert "ЦЗН Самарского района, апрель 2026: просмотры базы знаний на сотрудника — 1,50" in chart
    grey = chart.split("chart__dot--grey")[1].split("</circle>")[0]
    assert "Самарского" in grey and "мало ответов" in grey
    assert response.context["report"].correlation.n == 2


def test_the_measure_on_the_chart_can_be_chosen(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL, {**PERIOD, "x": "reading"})
    assert "ознакомление с обязательными документами" in str(response.context["chart"])


def test_office_titles_are_escaped_in_the_chart_and_the_table(world):
    world["lenin"].title = '<script>alert("x")</script>'
    world["lenin"].save()
    client = _client(employee(world["root"], role=roles.MANAGER))
    page = client.get(URL, {**PERIOD, "level": "2"}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_the_csv_is_for_russian_excel_and_keeps_formulas_as_text(world):
    world["lenin"].title = "=HYPERLINK(1)"
    world["lenin"].save()
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL + "export.csv", {**PERIOD, "level": "2"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="knowledge-cx-2026-03-2026-05-level-3' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert any("Связь не означает причину" in cell for line in lines[:8] for cell in line)
    header = next(line for line in lines if line and line[0] == "Подразделение")
    assert header[:5] == [
        "Подразделение",
        "Месяц",
        "Сотрудников",
        "Просмотров базы знаний",
        "Просмотров на сотрудника",
    ]
    march = next(line for line in lines if line[:2] == ["'=HYPERLINK(1)", "март 2026"])
    assert march[2:5] == ["2", "8", "4"]


def test_the_xlsx_has_the_same_rows(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    response = client.get(URL + "export.xlsx", {**PERIOD, "level": "2"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[0][0] == "Подразделение"
    # The total and three job centres, three months each.
    assert len(rows) == 1 + 4 * 3
    lenin_march = next(r for r in rows if r[0] == "ЦЗН Ленинского района" and r[1] == "март 2026")
    assert lenin_march[2:5] == (2, 8, 4)
    assert lenin_march[10] == 100


def test_an_unknown_export_format_is_not_found(world):
    client = _client(employee(world["root"], role=roles.MANAGER))
    assert client.get(URL + "export.pdf").status_code == 404


def _grow(region, n):
    """``n`` more job centres with staff, views and answers in every month."""
    article = make_article()
    for i in range(n):
        centre = office(f"ЦЗН № {i}", f"extra-{i}", region["south"])
        employee(centre)
        for month in (MARCH, APRIL, dt.date(2026, 5, 1)):
            views(article, centre, month, 3)
            answers(centre, month, 2)


@pytest.mark.parametrize("more", [0, 12], ids=["small", "more-offices"])
@pytest.mark.parametrize(
    "params", [PERIOD, {"start": "2025-01", "end": "2026-05", "level": "2"}], ids=["3", "17"]
)
def test_the_query_count_does_not_grow_with_offices_or_months(
    world, more, params, django_assert_num_queries
):
    _grow(world, more)
    for _n in range(1 + more):
        document = make_article(mandatory=True)
        type(document).all_objects.filter(pk=document.pk).update(published_at=at(MARCH))
    client = _client(employee(world["root"], role=roles.MANAGER))
    client.get(URL, params)
    # user, roles, offices (with the person's office marked: the scope);
    # employees, views, first month counted, mandatory documents, their
    # audiences, acknowledgements, ideas, cases, slices.
    with django_assert_num_queries(12):
        assert client.get(URL, params).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(URL + "export.csv", params).status_code == 200
