"""Who may open the CX dashboard, its comments and its exports: every role,
anonymous included, and managers by office — of the office, of another
office, of the region, without an office."""

import io
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client
from openpyxl import load_workbook

from feedback.models import FeedbackResponse
from feedback.topics import stored_comments_prepare
from tests.dashboards.conftest import make_head
from tests.dashboards.factories import GOOD, responses, save
from tests.factories import ROLE_USERS, make_user

SECRET = "Секретный отзыв клиента"
URLS = {
    "dashboard": "/dashboards/cx/",
    "dashboard_office": "/dashboards/cx/?office={office}&period=year&month=2026-03",
    "export_xlsx": "/dashboards/cx/export.xlsx",
    "export_csv": "/dashboards/cx/export.csv?office={office}",
    "comments": "/dashboards/cx/comments/?period=month&month=2026-03",
    "comments_search": "/dashboards/cx/comments/?office={office}&q=%D0%BE%D1%82%D0%B7%D1%8B%D0%B2",
}
ALL = dict.fromkeys(URLS, 200)
# Who sees the secret comment of «ЦЗН Первый» on a 200.
SEES_FIRST = {"working_group", "manager", "administrator", "head", "north_head", "regional"}
EXPECTED = {
    "staff": dict.fromkeys(URLS, 403),
    "editor": dict.fromkeys(URLS, 403),
    "working_group": ALL,
    "manager": ALL,  # the regional manager of the conftest
    "administrator": ALL,
    # Managers by office: «ЦЗН Первый» is in «Северный отдел»; «Южный отдел» is beside it.
    "head": ALL,
    "north_head": ALL,
    "regional": ALL,
    "other_head": {
        "dashboard": 200,  # opens on their own office
        "dashboard_office": 403,
        "export_xlsx": 200,  # their own office's
        "export_csv": 403,
        "comments": 200,
        "comments_search": 403,
    },
    # Sees a message, not the region; a file has no room for one.
    "no_office": {**ALL, "export_xlsx": 403, "export_csv": 403},
}


@pytest.fixture
def office(region):
    save(responses(region["first"], 30, **GOOD, comment=SECRET))
    save(responses(region["south"], 30, day=5, **GOOD, comment="Обычный отзыв"))
    stored_comments_prepare(FeedbackResponse)
    return region["first"].pk


@pytest.fixture
def person(region, manager):
    def _person(role):
        if role == "manager":
            return manager
        if role == "head":
            return make_head(region["first"])
        if role == "north_head":
            return make_head(region["north"])
        if role == "regional":
            return make_head(region["centre"])
        if role == "other_head":
            return make_head(region["south"])
        if role == "no_office":
            return make_user(role=ROLE_USERS["manager"])
        return make_user(role=ROLE_USERS[role])

    return _person


def _text(response):
    if response["Content-Type"].startswith("application/vnd.openxml"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", EXPECTED)
def test_role_gets_expected_status(office, person, role, name):
    client = Client()
    client.force_login(person(role))
    response = client.get(URLS[name].format(office=office))
    assert response.status_code == EXPECTED[role][name]
    text = _text(response)
    # «Секретный»: a search marks the word it found («<mark>отзыв</mark>»).
    if response.status_code != 200 or role not in SEES_FIRST:
        assert "Секретный" not in text
        assert "ЦЗН Первый" not in text
    elif name.startswith(("comments", "export")):
        assert "Секретный" in text


def test_a_head_of_another_office_sees_their_own_figures(office, region, client_for):
    client = client_for(make_head(region["south"]))
    report = client.get("/dashboards/cx/?period=month&month=2026-03").context["report"]
    assert report.office == region["south"]
    assert report.cx.responses == 30
    comments = client.get("/dashboards/cx/comments/?period=month&month=2026-03")
    assert [r.comment for r in comments.context["page"]] == ["Обычный отзыв"] * 20
    csv = client.get("/dashboards/cx/export.csv?period=month&month=2026-03").content
    assert "Обычный отзыв" in csv.decode("utf-8-sig")


def test_the_refusal_says_why_in_russian(office, region, client_for):
    client = client_for(make_head(region["south"]))
    for url in (URLS["dashboard_office"], URLS["comments_search"], URLS["export_csv"]):
        page = client.get(url.format(office=office)).content.decode()
        assert "Это подразделение вне вашей зоны" in page
        assert "«Южный отдел» и входящих в него" in page
    # An office that does not exist is refused the same way: ids cannot be probed.
    assert client.get("/dashboards/cx/?office=999999").status_code == 403
    # Not a number at all: the form says what is wrong, on their own office.
    response = client.get("/dashboards/cx/?office=abc")
    assert response.status_code == 200
    assert response.context["form"].errors["office"]
    assert response.context["report"].office == region["south"]


def test_a_manager_without_an_office_is_told_so(office, client_for):
    client = client_for(make_user(role=ROLE_USERS["manager"]))
    for url in ("/dashboards/cx/", URLS["comments"], URLS["dashboard_office"]):
        response = client.get(url.format(office=office))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Ваш профиль не привязан к подразделению" in page
        assert "report" not in response.context
    export = client.get("/dashboards/cx/export.csv")
    assert export.status_code == 403
    assert "Ваш профиль не привязан к подразделению" in export.content.decode()


def test_a_head_can_choose_only_offices_of_their_subtree(office, region, client_for):
    response = client_for(make_head(region["north"])).get("/dashboards/cx/")
    choices = [label for _value, label in response.context["form"].fields["office"].choices]
    assert choices == ["Северный отдел", "— ЦЗН Второй", "— ЦЗН Первый"]
    assert response.context["report"].office == region["north"]
    assert response.context["report"].ancestors == []
    page = response.content.decode()
    assert "весь регион" not in page
    assert "Южный отдел" not in page


def test_the_regional_manager_sees_the_region_as_the_working_group(
    office, region, client_for, working_group
):
    head = client_for(make_head(region["centre"])).get("/dashboards/cx/")
    group = client_for(working_group).get("/dashboards/cx/")
    assert head.context["report"].office is None
    assert head.context["report"].cx.responses == group.context["report"].cx.responses == 60
    choices = head.context["form"].fields["office"].choices
    assert choices == group.context["form"].fields["office"].choices
    assert choices[0][1] == "весь регион"


def test_cached_figures_never_cross_offices(office, region, client_for):
    """The same URL for two heads: each their own office's figures, though
    the first view cached them."""
    url = "/dashboards/cx/?period=month&month=2026-03"
    first = client_for(make_head(region["first"])).get(url).context["report"]
    south = client_for(make_head(region["south"])).get(url).context["report"]
    again = client_for(make_head(region["first"])).get(url).context["report"]
    assert (first.office, south.office, again.office) == (
        region["first"],
        region["south"],
        region["first"],
    )
    assert first.comments[0].comment == again.comments[0].comment == SECRET
    assert south.comments[0].comment == "Обычный отзыв"


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_login(client, office, name):
    url = URLS[name].format(office=office)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert unquote(parse_qs(location.query)["next"][0]) == unquote(url)


def test_superuser_sees_the_dashboard(office):
    client = Client()
    client.force_login(make_user(is_superuser=True))
    assert client.get("/dashboards/cx/").status_code == 200


def test_inactive_manager_is_refused(office, client):
    user = make_user(role=ROLE_USERS["manager"])
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/dashboards/cx/").status_code in (302, 403)


def test_nav_link_only_for_dashboard_roles(client_for, staff, manager, office):
    assert "/dashboards/cx/" not in client_for(staff).get("/").content.decode()
    assert "/dashboards/cx/" in client_for(manager).get("/").content.decode()
