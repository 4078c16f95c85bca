"""/dashboards/reading/: the figures on small hand-made data, the office
scope of a head of one ЦЗН against the region, bad GET input, the exports
and a query count that does not grow with the data."""

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from articles.models import Article, ArticleViewDay
from people import roles
from search.models import SearchClick, SearchQuery
from tests.factories import make_article, make_articles_bulk, make_section, make_user
from tests.kbuse.conftest import employee, office

URL = "/dashboards/reading/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def view(article, where, views, days_ago=1):
    ArticleViewDay.objects.create(
        article=article, office=where, date=_days_ago(days_ago), views=views
    )


def search(query, *, results=3, clicks=0, days_ago=1, page=1):
    moment = timezone.now() - dt.timedelta(days=days_ago)
    logged = SearchQuery.objects.create(query=query, results=results, created_at=moment, page=page)
    for position in range(clicks):
        SearchClick.objects.create(search=logged, position=position)
    return logged


@pytest.fixture
def region(db):
    root = office("Управляющий центр", "root", kind="region")
    north = office("ЦЗН Северного района", "north", parent=root)
    south = office("ЦЗН Южного района", "south", parent=root)
    staff = {
        "root": [employee(root)],
        "north": [employee(north) for _ in range(4)],
        "south": [employee(south) for _ in range(5)],
    }
    employee(south, active=False)  # not counted
    codex = make_section("Кодекс", slug="kodeks")
    rules = make_section("Правила приёма", parent=codex, slug="pravila")
    scripts = make_section("Скрипты", slug="skripty")
    popular = make_article(rules, title="Стандарт приёма", slug="standart")
    middle = make_article(codex, title="Памятка", slug="pamyatka")
    unread = make_article(scripts, title="Скрипт звонка", slug="skript")
    draft = make_article(scripts, title="Черновик", slug="chernovik", status=Article.Status.DRAFT)
    view(popular, north, 30)
    view(popular, south, 15, days_ago=3)
    view(middle, north, 5)
    view(popular, None, 7)  # a reader without an office
    view(draft, south, 4)
    view(popular, north, 1000, days_ago=40)  # before the default 30 days
    return {
        "root": root,
        "north": north,
        "south": south,
        "staff": staff,
        "popular": popular,
        "middle": middle,
        "unread": unread,
        "draft": draft,
    }


def _report(response):
    assert response.status_code == 200
    return response.context["report"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.STAFF, 403),
        (roles.EDITOR, 200),
        (roles.WORKING_GROUP, 200),
        (roles.MANAGER, 200),
        (roles.ADMINISTRATOR, 200),
    ],
)
def test_who_may_open_the_page_and_its_exports(region, role, status):
    client = _client(employee(region["root"], role=role))
    for url in (URL, URL + "export.csv", URL + "export.xlsx"):
        assert client.get(url).status_code == status, url


def test_region_figures_per_article_and_per_100_staff(region):
    report = _report(_client(make_user(role=roles.EDITOR)).get(URL))
    # 30 + 15 + 5 + 7 (no office) + 4 (a draft); 1,000 views were 40 days ago.
    assert report.total_views == 61
    # Active profiles: 1 + 4 + 5; the region's editor has none.
    assert report.staff == 10
    top = [(row.title, row.views) for row in report.top]
    assert top == [("Стандарт приёма", 52), ("Памятка", 5)]  # published only, no zero
    assert report.top[0].per_100 == pytest.approx(520.0)
    # Least read: every published article, the unread one (no rows) first.
    assert [(row.title, row.views) for row in report.least] == [
        ("Скрипт звонка", 0),
        ("Памятка", 5),
        ("Стандарт приёма", 52),
    ]
    assert report.least[0].per_100 == 0


def test_offices_are_subtree_totals_per_100_active_staff(region):
    report = _report(_client(make_user(role=roles.WORKING_GROUP)).get(URL))
    rows = {row.title: (row.views, row.staff, row.per_100) for row in report.offices}
    assert rows["ЦЗН Северного района"] == (35, 4, pytest.approx(875.0))
    assert rows["ЦЗН Южного района"] == (19, 5, pytest.approx(380.0))
    # The root office holds both: 35 + 19, staff 1 + 4 + 5.
    assert rows["Управляющий центр"] == (54, 10, pytest.approx(540.0))
    assert report.without_office.views == 7


def test_offices_sort_by_views_per_100(region):
    report = _report(_client(make_user(role=roles.WORKING_GROUP)).get(URL, {"sort": "per100"}))
    assert [row.title for row in report.offices] == [
        "ЦЗН Северного района",
        "Управляющий центр",
        "ЦЗН Южного района",
    ]


def test_sections_top_level_and_subsections(region):
    client = _client(make_user(role=roles.EDITOR))
    report = _report(client.get(URL))
    assert [(row.title, row.views, row.articles) for row in report.sections] == [
        ("Кодекс", 57, 2),
        ("Скрипты", 4, 1),  # the draft's views count for its section
    ]
    codex = report.sections[0]
    assert codex.share == pytest.approx(100 * 57 / 61)
    chosen = _report(client.get(URL, {"section": region["popular"].section.parent_id}))
    assert [(row.title, row.views, row.own) for row in chosen.sections] == [
        ("Кодекс", 5, True),
        ("Правила приёма", 52, False),
    ]
    assert [row.title for row in chosen.least] == ["Памятка", "Стандарт приёма"]


def test_head_of_one_office_sees_its_subtree_only(region):
    head = employee(region["north"], role=roles.MANAGER)
    report = _report(_client(head).get(URL))
    assert report.total_views == 35
    assert report.staff == 5  # four staff and the head
    assert [row.title for row in report.offices] == ["ЦЗН Северного района"]
    assert report.without_office is None
    assert report.top[0].views == 30
    # Another office in the address is not a choice: the default, with a message.
    response = _client(head).get(URL, {"office": region["south"].pk})
    assert _report(response).total_views == 35
    assert "Выберите корректный вариант" in response.content.decode()


def test_regional_manager_sees_the_region_and_may_narrow_it(region):
    regional = employee(region["root"], role=roles.MANAGER)
    client = _client(regional)
    assert _report(client.get(URL)).total_views == 54  # the root's subtree: no «без подразделения»
    narrowed = _report(client.get(URL, {"office": region["south"].pk}))
    assert narrowed.total_views == 19
    assert narrowed.staff == 5


def test_manager_without_an_office_is_told_so(region):
    response = _client(make_user(role=roles.MANAGER)).get(URL)
    assert response.status_code == 200
    assert "не привязан к подразделению" in response.content.decode()
    assert _client(make_user(role=roles.MANAGER)).get(URL + "export.csv").status_code == 403


def test_search_click_through(region):
    search("справка", clicks=2)
    search("справка", clicks=0)
    search("справка", clicks=1)
    search("справка", clicks=1, page=2)  # a second page is not a new search
    search("бланк", results=0)
    search("пособие", results=5)
    search("пособие", results=5)
    search("старое", clicks=1, days_ago=45)
    figures = _report(_client(make_user(role=roles.EDITOR)).get(URL)).search
    assert figures.searches == 6
    assert figures.clicked == 2
    assert figures.click_through == pytest.approx(100 * 2 / 6)
    top = {row.query: (row.searches, row.clicked) for row in figures.top}
    assert top == {"справка": (3, 2), "пособие": (2, 0), "бланк": (1, 0)}
    assert figures.top[0].click_through == pytest.approx(100 * 2 / 3)
    # Found something, nobody opened: not «бланк», which found nothing.
    assert [(row.query, row.searches) for row in figures.unopened] == [("пособие", 2)]


def test_sparkline_per_day_and_per_week(region):
    client = _client(make_user(role=roles.EDITOR))
    week = _report(client.get(URL, {"period": "7"}))
    popular = week.top[0]
    assert len(popular.series) == 7
    assert popular.series[-2] == 37 and popular.series[-4] == 15
    long = _report(client.get(URL, {"period": "90"}))
    assert long.filters.weekly
    assert all(b.weekday() == 0 for b in long.buckets)
    assert sum(long.top[0].series) == 1052
    html = client.get(URL, {"period": "90"}).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"' in html
    assert "по неделям" in html


def test_custom_period(region):
    client = _client(make_user(role=roles.EDITOR))
    start, end = _days_ago(45), _days_ago(35)
    report = _report(client.get(URL, {"period": "custom", "start": start, "end": end}))
    assert (report.filters.start, report.filters.end) == (start, end)
    assert report.total_views == 1000


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "start": "2026-02-30"}, "Укажите дату в виде ГГГГ-ММ-ДД"),
        ({"period": "custom"}, "Для своих дат укажите начало периода."),
        (
            {"period": "custom", "start": "2026-03-10", "end": "2026-03-01"},
            "Начало периода позже его конца.",
        ),
        (
            {"period": "custom", "start": "2020-01-01", "end": "2022-01-01"},
            "Период длиннее 366 дней",
        ),
        ({"period": "custom", "start": "2026-01-01", "end": "2999-01-01"}, "ещё не наступила"),
        ({"period": "365"}, "Выберите корректный вариант"),
        ({"section": "abc"}, "Выберите корректный вариант"),
    ],
)
def test_bad_input_shows_a_russian_message_and_the_default(region, params, message):
    response = _client(make_user(role=roles.EDITOR)).get(URL, params)
    report = _report(response)
    assert message in response.content.decode()
    assert report.filters.days == 30 and report.filters.end == timezone.localdate()


def test_exports_neutralise_formulas(region):
    Article.objects.filter(pk=region["popular"].pk).update(title='=HYPERLINK("http://x")')
    search("+7 999", clicks=1)
    client = _client(make_user(role=roles.WORKING_GROUP))
    response = client.get(URL + "export.csv", {"period": "7"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="reading-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"',
        response["Content-Disposition"],
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'+7 999" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert rows[0] == ["Аналитика чтения базы знаний"]
    response = client.get(URL + "export.xlsx", {"period": "7"})
    workbook = load_workbook(io.BytesIO(response.content))
    top = workbook["Читают чаще всего"]
    assert top["A2"].value == '=HYPERLINK("http://x")'
    assert top["A2"].data_type == "s"
    assert top["C2"].value == 52
    assert workbook["Подразделения"]["D2"].value == 54  # the root with both offices


def _queries(django_assert_num_queries, client, params):
    client.get(URL, params)  # the section tree cached
    with django_assert_num_queries(10):
        assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize("who", ["editor", "head"])
def test_query_count_does_not_grow_with_the_data(region, django_assert_num_queries, who):
    user = (
        make_user(role=roles.EDITOR)
        if who == "editor"
        else employee(region["north"], role=roles.MANAGER)
    )
    client = _client(user)
    params = {"period": "90", "section": region["popular"].section.parent_id}
    _queries(django_assert_num_queries, client, params)
    more = make_articles_bulk(region["popular"].section, 40)
    extra = office("ЦЗН Западного района", "west", parent=region["north"])
    for i, article in enumerate(more):
        view(article, extra if i % 2 else region["north"], i + 1, days_ago=i % 80)
        search(f"запрос {i}", clicks=i % 2)
    employee(extra)
    _queries(django_assert_num_queries, client, params)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (roles.STAFF, False),
        (roles.EDITOR, True),
        (roles.WORKING_GROUP, True),
        (roles.MANAGER, True),
        (roles.ADMINISTRATOR, True),
    ],
)
def test_the_reports_page_links_to_the_page_for_its_roles(region, role, shown):
    response = _client(employee(region["root"], role=role)).get("/reports/")
    assert (f'href="{URL}"' in response.content.decode()) is shown


def test_knowledge_use_links_to_the_page(region):
    page = _client(make_user(role=roles.WORKING_GROUP)).get("/dashboards/knowledge/")
    # Beside the page's own text, not only in the menu.
    assert (
        f'по материалам, разделам и подразделениям: <a href="{URL}">Аналитика чтения</a>'
        in page.content.decode()
    )
