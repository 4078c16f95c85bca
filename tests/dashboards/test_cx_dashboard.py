"""The dashboard page: figures from real responses, filters, drill-down, ranking."""

import datetime as dt

import pytest

from dashboards.forms import Period, PeriodKind
from dashboards.selectors import Row, attach_indicators
from dashboards.templatetags.cx import change_classes
from tests.dashboards.factories import (
    BAD,
    GOOD,
    MARCH,
    make_indicator,
    make_service,
    responses,
    save,
)

FEBRUARY = dt.date(2026, 2, 1)


def _get(client, query=""):
    response = client.get(f"/dashboards/cx/{query}")
    assert response.status_code == 200
    return response


def test_index_is_computed_from_the_responses(manager_client, region):
    # 30 all-good and 10 all-bad citizens: every group share = 30/40 = 75 %;
    # no employers → the index is the citizens' 75.0, and the page says so.
    save(responses(region["first"], 30, **GOOD), responses(region["first"], 10, **BAD))
    response = _get(manager_client, "?period=month&month=2026-03")
    report = response.context["report"]
    assert report.cx.value == pytest.approx(75.0)
    assert report.cx.stars == 3
    assert report.cx.responses == 40
    assert report.cx.csat.value == pytest.approx(75.0)
    assert report.cx.nps.value == pytest.approx(50.0)  # 30 promoters − 10 detractors of 40
    assert report.cx.wait_mean == pytest.approx(17.5)  # (30·10 + 10·40)/40
    html = response.content.decode()
    assert "75,0" in html
    assert "Ответов работодателей нет: индекс равен индексу граждан." in html
    assert "Как считается индекс" in html


def test_blank_scores_are_no_answer_not_zero(manager_client, region):
    save(
        responses(region["first"], 30, **GOOD),
        responses(region["first"], 30, client_type="citizen", csat=None, politeness=None),
    )
    report = _get(manager_client, "?period=month&month=2026-03").context["report"]
    assert report.cx.csat.n == 30
    assert report.cx.csat.value == pytest.approx(100)


def test_change_versus_the_previous_period(manager_client, region):
    save(
        responses(region["first"], 40, month=FEBRUARY, **BAD),
        responses(region["first"], 40, **GOOD),
    )
    response = _get(manager_client, "?period=month&month=2026-03")
    report = response.context["report"]
    assert report.previous.value == pytest.approx(0)
    assert report.change == pytest.approx(100)
    assert "+100,0" in response.content.decode()


def test_employers_and_citizens_weigh_half_each(manager_client, region):
    save(
        responses(region["first"], 40, **GOOD),  # citizens 100
        responses(region["first"], 10, client_type="employer", client_group="other", **BAD),
        responses(region["first"], 10, client_type="employer", client_group="other", **GOOD),
    )  # employers 50 → CX 75 although 50 of 60 answers are good
    report = _get(manager_client, "?period=month&month=2026-03").context["report"]
    assert report.cx.citizens.value == pytest.approx(100)
    assert report.cx.employers.value == pytest.approx(50)
    assert report.cx.value == pytest.approx(75)


def test_offices_are_ranked_and_small_ones_greyed_and_unranked(manager_client, region):
    save(
        responses(region["north"], 40, **GOOD),
        responses(region["south"], 30, **GOOD),
        responses(region["south"], 10, **BAD),
    )
    # A third department with 29 perfect answers: best index, but never ranked.
    from tests.dashboards.factories import make_office

    small = make_office("Малый отдел", parent=region["centre"], kind="department")
    save(responses(small, 29, **GOOD))
    response = _get(manager_client, "?period=month&month=2026-03")
    rows = response.context["report"].offices
    assert [(row.label, row.rank) for row in rows] == [
        ("Северный отдел", 1),
        ("Южный отдел", 2),
        ("Малый отдел", None),
    ]
    html = response.content.decode()
    assert html.count('class="cx-few"') >= 1
    assert "мало ответов" in html


def test_the_first_region_page_ranks_departments_with_their_sub_offices(manager_client, region):
    save(responses(region["first"], 20, **GOOD), responses(region["second"], 20, **BAD))
    rows = _get(manager_client, "?period=month&month=2026-03").context["report"].offices
    assert [(row.label, row.cx.responses) for row in rows] == [("Северный отдел", 40)]
    assert rows[0].cx.value == pytest.approx(50)


def test_drill_down_from_region_to_an_office(manager_client, region):
    save(responses(region["first"], 30, **GOOD), responses(region["second"], 30, **BAD))
    region_page = _get(manager_client, "?period=month&month=2026-03").content.decode()
    north = region["north"].pk
    assert f"office={north}" in region_page
    response = _get(manager_client, f"?period=month&month=2026-03&office={north}")
    report = response.context["report"]
    assert report.office == region["north"]
    assert [row.label for row in report.offices] == ["ЦЗН Первый", "ЦЗН Второй"]
    assert report.cx.responses == 60
    html = response.content.decode()
    assert 'aria-current="page">Северный отдел' in html
    assert f"office={region['first'].pk}" in html
    leaf = _get(manager_client, f"?period=month&month=2026-03&office={region['first'].pk}")
    assert leaf.context["report"].cx.value == pytest.approx(100)
    assert "Управляющий центр" in leaf.content.decode()  # breadcrumbs up the tree


def test_filters_by_client_type_group_and_channel(manager_client, region):
    save(
        responses(region["first"], 30, **GOOD, client_group="youth", channel="ecp"),
        responses(region["first"], 30, **BAD, client_group="disabled", channel="in_person"),
        responses(region["first"], 30, **BAD, client_type="employer", client_group="other"),
    )
    base = "?period=month&month=2026-03"
    assert _get(manager_client, base).context["report"].cx.responses == 90
    youth = _get(manager_client, f"{base}&client_group=youth").context["report"]
    assert (youth.cx.responses, youth.cx.value) == (30, pytest.approx(100))
    ecp = _get(manager_client, f"{base}&channel=ecp").context["report"]
    assert ecp.cx.responses == 30
    employers = _get(manager_client, f"{base}&client_type=employer").context["report"]
    assert (employers.cx.responses, employers.cx.only_side) == (30, "employer")
    groups = _get(manager_client, base).context["report"].client_groups
    # Employers make their own row, not «иное» (their answers carry «иное»
    # only because the field must hold something); equal indices (0 and 0)
    # are ordered by name.
    assert [(row.key, row.rank) for row in groups] == [
        ("youth", 1),
        ("disabled", 2),
        ("employers", 3),
    ]
    channels = _get(manager_client, base).context["report"].channels
    assert {row.key for row in channels} == {"ecp", "in_person"}


def test_period_quarter_year_and_custom(manager_client, region):
    save(
        responses(region["first"], 10, month=dt.date(2025, 12, 1), **GOOD),
        responses(region["first"], 20, month=dt.date(2026, 1, 1), **GOOD),
        responses(region["first"], 30, **GOOD),
    )

    def count(query):
        return _get(manager_client, query).context["report"].cx.responses

    assert count("?period=month&month=2026-03") == 30
    assert count("?period=quarter&month=2026-02") == 50
    assert count("?period=year&month=2025-07") == 10
    assert count("?period=custom&start=2025-12&end=2026-01") == 30
    default = _get(manager_client).context["report"]  # the quarter of the latest data
    assert default.filters.period.label == "I квартал 2026"
    assert default.trend[-1][0] == MARCH
    assert len(default.trend) == 12


def test_bad_filter_values_are_explained_not_crashing(manager_client, region):
    save(responses(region["first"], 30, **GOOD))
    response = _get(
        manager_client, "?period=custom&start=2026-05&end=2026-01&office=99999&channel=fax"
    )
    form = response.context["form"]
    assert "end" in form.errors and "office" in form.errors and "channel" in form.errors
    assert "Конец интервала раньше его начала." in response.content.decode()
    assert response.context["report"].office is None
    assert _get(manager_client, "?month=март").context["form"].errors["month"]


def _service_rows(client, query):
    rows = _get(client, query).context["report"].services
    return [(row.label, row.rank, row.cx.responses, row.cx.value) for row in rows]


def test_service_breakdown_from_service_slices(manager_client, region):
    help_ = make_service("Содействие в поиске работы")
    training = make_service("Профессиональное обучение")
    save(
        responses(region["first"], 30, service=help_, **GOOD),
        responses(region["first"], 30, service=training, **BAD),
        responses(region["first"], 5, **GOOD),
    )
    rows = _service_rows(manager_client, "?period=month&month=2026-03")
    assert [row[:3] for row in rows] == [
        ("Содействие в поиске работы", 1, 30),
        ("Профессиональное обучение", 2, 30),
        ("услуга не указана", None, 5),
    ]


def test_service_breakdown_with_a_channel_counts_raw_responses(manager_client, region):
    # The service slices are not split by channel: with a channel chosen the
    # breakdown must count only that channel's responses, from the raw rows.
    help_ = make_service("Содействие в поиске работы")
    save(
        responses(region["first"], 30, service=help_, channel="in_person", **GOOD),
        responses(region["first"], 30, service=help_, channel="phone", **BAD),
    )
    everything = _service_rows(manager_client, "?period=month&month=2026-03")
    in_person = _service_rows(manager_client, "?period=month&month=2026-03&channel=in_person")
    assert everything == [("Содействие в поиске работы", 1, 60, pytest.approx(50.0))]
    assert in_person == [("Содействие в поиске работы", 1, 30, pytest.approx(100.0))]


def test_operational_indicators_beside_the_office(manager_client, region):
    save(responses(region["first"], 30, **GOOD), responses(region["south"], 30, **GOOD))
    make_indicator(region["first"], "wait_minutes", 12)
    make_indicator(region["second"], "wait_minutes", 18)
    make_indicator(region["first"], "complaints", 3)
    make_indicator(region["second"], "complaints", 4)
    response = _get(manager_client, "?period=month&month=2026-03")
    north = next(r for r in response.context["report"].offices if r.label == "Северный отдел")
    assert north.indicators["wait_minutes"] == pytest.approx(15)  # averaged
    assert north.indicators["complaints"] == pytest.approx(7)  # summed
    assert "среднее время ожидания, мин" in response.content.decode()


def test_attach_indicators_sums_counts_and_averages_the_rest(region, django_assert_num_queries):
    """The public helper /cx/ uses too: one query for every row, a row's
    offices merged (counts summed, times and shares averaged over the
    office-months), other periods and offices left out."""
    april = dt.date(2026, 4, 1)
    make_indicator(region["first"], "wait_minutes", 10, month=FEBRUARY)
    make_indicator(region["first"], "wait_minutes", 20)
    make_indicator(region["second"], "wait_minutes", 30)
    make_indicator(region["first"], "complaints", 2, month=FEBRUARY)
    make_indicator(region["second"], "complaints", 5)
    make_indicator(region["south"], "complaints", 9)
    make_indicator(region["first"], "complaints", 100, month=april)  # outside the period
    north = Row("north", "Северный отдел", None)
    first = Row("first", "ЦЗН Первый", None)
    empty = Row("empty", "Без показателей", None)
    targets = {
        "north": [region["first"].pk, region["second"].pk],
        "first": [region["first"].pk],
        "empty": [region["centre"].pk],
    }
    with django_assert_num_queries(1):
        attach_indicators(
            [north, first, empty], targets, Period(PeriodKind.CUSTOM, FEBRUARY, MARCH)
        )
    assert north.indicators == {"wait_minutes": pytest.approx(20), "complaints": 7}
    assert first.indicators == {"wait_minutes": pytest.approx(15), "complaints": 2}
    assert empty.indicators == {}
    with django_assert_num_queries(0):
        attach_indicators([], {"none": []}, Period(PeriodKind.MONTH, MARCH, MARCH))


def test_comments_lowest_score_first_and_escaped(manager_client, region):
    save(
        responses(region["first"], 1, **GOOD, comment="Спасибо, всё быстро"),
        responses(region["first"], 1, **BAD, comment="<script>alert(1)</script> долго"),
        responses(region["first"], 1, csat=None, comment="Без оценки"),
    )
    response = _get(manager_client, "?period=month&month=2026-03")
    assert [r.comment[:5] for r in response.context["report"].comments] == [
        "<scri",
        "Спаси",
        "Без о",
    ]
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; долго" in html


def test_office_title_is_escaped_everywhere(manager_client, region):
    region["south"].title = '<img src=x onerror="alert(1)">Южный'
    region["south"].save()
    save(responses(region["south"], 30, **GOOD, comment="текст"))
    html = _get(manager_client, "?period=month&month=2026-03").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_charts_are_svg_with_title_and_description(manager_client, region):
    save(responses(region["first"], 30, **GOOD))
    response = _get(manager_client, "?period=month&month=2026-03")
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "<title" in html and "<desc" in html
    assert "F — Дружелюбие и партнёрство: 100,0" in html  # the text alternative
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main  # the page's only script is a static file, after it


def test_no_data_says_so(manager_client, region):
    response = _get(manager_client, "?period=month&month=2026-03")
    assert "ответов клиентов нет" in response.content.decode()


def test_charts_are_well_formed_svg_with_escaped_text(manager_client, region):
    import re

    from defusedxml import ElementTree as ET

    save(responses(region["first"], 20, **GOOD), responses(region["first"], 5, **BAD))
    html = _get(manager_client, "?period=month&month=2026-03").content.decode()
    charts = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby")
    # 25 answers < 30: the bars are drawn grey, the trend point hollow
    assert "chart__bar--grey" in charts[0]
    assert "chart__dot--grey" in charts[1]


def test_numbers_are_written_the_russian_way():
    from dashboards.svg import fmt

    assert fmt(72.456) == "72,5"
    assert fmt(4.5, 2) == "4,50"
    assert fmt(-0.04) == "0,0"
    assert fmt(None) == "—"


def test_a_group_of_one_part_shows_the_value_of_that_part(manager_client, region):
    # Citizens: 10 of 40 find it easy (25 %); employers: 30 of 30 (100 %).
    # E = 0.5 × 25 + 0.5 × 100 = 62.5; pooled, CES would read 40/70 = 57.1.
    save(
        responses(region["first"], 10, **GOOD),
        responses(region["first"], 30, **{**GOOD, "ces": 2}),
        responses(region["first"], 30, **GOOD, client_type="employer", client_group="other"),
    )
    response = _get(manager_client, "?period=month&month=2026-03")  # «все клиенты»
    group = response.context["report"].groups["E"]
    (_key, part), *others = group.components
    assert not others
    assert group.value == pytest.approx(62.5)
    assert part.value == pytest.approx(group.value)
    row = response.content.decode().split('<th scope="row">E — ', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">62,5</td>' in row
    assert "CES 4–5: <strong>62,5</strong>" in row
    assert "57,1" not in row


def test_the_office_ranking_shows_each_change_and_weak_spot(manager_client, region):
    save(
        responses(region["north"], 40, month=FEBRUARY, **BAD),
        responses(region["north"], 40, **GOOD),
        responses(region["south"], 40, month=FEBRUARY, **GOOD),
        responses(region["south"], 40, **{**GOOD, "ces": 2}),  # effort: 0 % «easy»
    )
    response = _get(manager_client, "?period=month&month=2026-03")
    rows = {row.label: row for row in response.context["report"].offices}
    assert rows["Северный отдел"].change == pytest.approx(100)
    assert rows["Южный отдел"].change == pytest.approx(-20)  # E from 100 to 0: −100/5
    lag = rows["Южный отдел"].lag
    assert (lag.code, lag.value, lag.gap) == ("E", pytest.approx(0), pytest.approx(-50))
    assert rows["Северный отдел"].lag.gap >= 0
    html = response.content.decode()
    assert "▼" not in html  # arrows are drawn by CSS, the text stays a signed number
    assert "−20,0" in html
    assert "усилия 0,0" in html
    assert "все группы не ниже среднего" in html
    assert '<span class="cx-change cx-change--up cx-change--good">+100,0</span>' in html
    assert '<span class="cx-change cx-change--down cx-change--bad">−20,0</span>' in html


@pytest.mark.parametrize(
    ("change", "better", "expected"),
    [
        (1.0, "up", "cx-change--up cx-change--good"),
        (-1.0, "up", "cx-change--down cx-change--bad"),
        (-1.0, "down", "cx-change--down cx-change--good"),
        (0.04, "up", "cx-change--flat"),  # shown as 0,0
        (-0.04, "down", "cx-change--flat"),
        (None, "up", ""),
    ],
)
def test_change_classes_colour_by_the_good_way(change, better, expected):
    assert change_classes(change, better) == expected


def test_cards_colour_a_change_by_whether_it_is_good(manager_client, region):
    save(
        responses(region["first"], 40, month=FEBRUARY, **{**GOOD, "wait_minutes": 30}),
        responses(region["first"], 40, **GOOD),  # 10 minutes
    )
    response = _get(manager_client, "?period=month&month=2026-03")
    cards = {str(card.title): card for card in response.context["cards"]()}
    wait = cards["Среднее ожидание"]
    assert wait.change == pytest.approx(-20)
    assert (wait.direction, wait.verdict) == ("down", "good")
    assert cards["Индекс клиентоцентричности"].change == pytest.approx(0)
    assert "cx-change--down cx-change--good" in response.content.decode()
