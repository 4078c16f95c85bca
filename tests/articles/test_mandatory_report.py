"""«Ознакомление с обязательными документами» (/mandatory/report/): per
document and per office (with subtotals) the audience, read on time, late,
not yet; who has not read, with their position; XLSX/CSV; each person sees
their scope; the number of queries does not grow with the data."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from articles.models import Acknowledgement
from articles.report import build_report, report_documents
from people import roles
from people.scopes import Scope
from tests.articles.reading import fresh, mandatory_article, office, person, reack, region, spec
from tests.factories import make_user

URL = "/mandatory/report/"
TODAY = timezone.localdate()


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def world(db):
    offices = region()
    people = {
        "anna": person("anna", office=offices["n1"], position="консультант"),
        "boris": person("boris", office=offices["n1"], position="психолог"),
        "vera": person("vera", office=offices["n2"], position="консультант"),
        "gleb": person("gleb", office=offices["north"], position="руководитель ЦЗН"),
        "dina": person("dina", office=offices["s1"], position="консультант"),
        "egor": person("egor", office=offices["centre"], position="юрист"),
    }
    deadline = TODAY - timedelta(days=3)
    code = mandatory_article(title="Кодекс", deadline=TODAY + timedelta(days=1))
    code.mandatory_deadline = deadline
    code.save()  # the deadline has passed since
    consultants = mandatory_article(
        title="Скрипт консультанта", audience=spec(positions=["консультант"])
    )

    def ack(article, who, at):
        Acknowledgement.objects.create(
            article=article, user=people[who], article_version=article.version, acknowledged_at=at
        )

    ack(code, "anna", _at(deadline, 23))  # the last evening: on time
    ack(code, "boris", _at(deadline + timedelta(days=1), 9))  # late
    ack(code, "dina", _at(deadline - timedelta(days=2), 12))
    ack(consultants, "anna", timezone.now())
    ack(consultants, "vera", timezone.now())
    return offices, people, {"code": code, "consultants": consultants}


def _head(offices, where, username="head"):
    return person(username, office=offices[where], role=roles.MANAGER)


def _counts(counts):
    return (counts.audience, counts.on_time, counts.late, counts.not_yet)


def test_per_document_on_time_late_and_not_yet(world):
    _offices, _people, documents = world
    result = build_report(scope=Scope(everything=True))
    by_title = {row.article.title: _counts(row.counts) for row in result.documents}
    # Кодекс: everyone (6 people); Скрипт: the three consultants, no deadline.
    assert by_title == {"Кодекс": (6, 2, 1, 3), "Скрипт консультанта": (3, 2, 0, 1)}
    assert result.documents[0].counts.on_time_share == 33.3
    assert _counts(result.total) == (9, 4, 1, 4)
    assert documents


def test_offices_carry_the_totals_of_their_subtrees(world):
    offices, _people, documents = world
    result = build_report(scope=Scope(everything=True), article=documents["code"])
    rows = {row.office.title: row for row in result.offices}
    assert _counts(rows["ЦЗН Северный-1"].counts) == (2, 1, 1, 0)
    assert _counts(rows["Северный отдел"].counts) == (4, 1, 1, 2)  # + ЦЗН-2 and gleb
    assert _counts(rows["Северный отдел"].own) == (1, 0, 0, 1)  # gleb, of the department
    assert rows["Северный отдел"].has_children
    assert _counts(rows["Управляющий центр"].counts) == (6, 2, 1, 3)
    assert _counts(rows["Южный отдел"].counts) == (1, 1, 0, 0)
    assert [row.office.title for row in result.offices][:3] == [
        "Управляющий центр",
        "Северный отдел",
        "ЦЗН Северный-1",
    ]
    assert offices


def test_after_a_round_only_the_new_version_counts(world):
    _offices, people, documents = world
    reack(documents["consultants"])
    result = build_report(scope=Scope(everything=True), article=documents["consultants"])
    assert _counts(result.total) == (3, 0, 0, 3)  # the old marks stay, for the old version
    Acknowledgement.objects.create(
        article=documents["consultants"],
        user=people["vera"],
        article_version=documents["consultants"].version,
    )
    result = build_report(scope=Scope(everything=True), article=documents["consultants"])
    assert _counts(result.total) == (3, 1, 0, 2)


def test_people_out_of_the_audience_or_inactive_are_not_counted(world):
    _offices, people, documents = world
    people["boris"].is_active = False
    people["boris"].save()
    profile = people["vera"].profile
    profile.position = None
    profile.save()
    result = build_report(scope=Scope(everything=True))
    by_title = {row.article.title: _counts(row.counts) for row in result.documents}
    assert by_title == {"Кодекс": (5, 2, 0, 3), "Скрипт консультанта": (2, 1, 0, 1)}
    assert documents


def test_the_page_shows_the_tables_and_who_has_not_read(world, client_for):
    offices, _people, documents = world
    client = client_for(make_user("wg", role=roles.WORKING_GROUP))
    response = client.get(URL, {"office": offices["north"].pk, "article": documents["code"].pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ознакомление с обязательными документами" in page
    rows = list(response.context["unread"])
    assert [(row.name, row.position, row.office) for row in rows] == [
        ("gleb", "руководитель ЦЗН", "Северный отдел"),
        ("vera", "консультант", "ЦЗН Северный-2"),
    ]
    assert rows[0].overdue
    assert "руководитель ЦЗН" in page and "просрочено" in page
    assert "Управляющий центр" in page  # the way back up


def test_without_an_office_chosen_the_region_is_summed_and_no_names_are_listed(world, client_for):
    client = client_for(make_user("admin-1", role=roles.ADMINISTRATOR))
    response = client.get(URL)
    assert response.context["unread"] is None
    assert "Выберите подразделение" in response.content.decode()


def test_a_manager_sees_their_subtree_only(world, client_for):
    offices, _people, documents = world
    client = client_for(_head(offices, "north"))
    response = client.get(URL, {"article": documents["code"].pk})
    assert response.status_code == 200
    titles = [row.office.title for row in response.context["report"].offices]
    assert titles == ["Северный отдел", "ЦЗН Северный-1", "ЦЗН Северный-2"]
    assert _counts(response.context["report"].total) == (5, 1, 1, 3)  # + the head
    assert [row.name for row in response.context["unread"]] == ["gleb", "head", "vera"]
    page = response.content.decode()
    assert "dina" not in page and "ЦЗН Южный-1" not in page


def test_a_manager_asking_for_another_office_is_refused_in_russian(world, client_for):
    offices, _people, _documents = world
    client = client_for(_head(offices, "north"))
    for value in [offices["s1"].pk, 999999]:
        response = client.get(URL, {"office": value})
        assert response.status_code == 403
        assert "Это подразделение вне вашей зоны" in response.content.decode()
    response = client.get("/mandatory/report/export.xlsx", {"office": offices["s1"].pk})
    assert response.status_code == 403


def test_a_manager_without_an_office_is_told_to_get_one(world, client_for):
    client = client_for(make_user("lost", role=roles.MANAGER))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ваш профиль не привязан к подразделению" in response.content.decode()
    assert client.get("/mandatory/report/export.csv").status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.STAFF, 403),
        (roles.EDITOR, 200),
        (roles.WORKING_GROUP, 200),
        (roles.ADMINISTRATOR, 200),
    ],
)
def test_who_may_open_the_report(world, client_for, role, status):
    client = client_for(make_user(f"p-{role}", role=role))
    assert client.get(URL).status_code == status
    assert client.get("/mandatory/report/export.csv").status_code == status


def test_editors_see_the_region(world, client_for):
    client = client_for(make_user("ed", role=roles.EDITOR))
    report = client.get(URL).context["report"]
    assert report.scope.everything
    assert len(report.offices) == 7


def test_export_xlsx_has_the_three_tables(world, client_for):
    offices, _people, _documents = world
    client = client_for(make_user("wg", role=roles.WORKING_GROUP))
    response = client.get("/mandatory/report/export.xlsx", {"office": offices["north"].pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="oznakomlenie-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Отчёт", "Документы", "Подразделения", "Не ознакомились"]
    documents = list(book["Документы"].values)
    assert documents[0][:4] == ("Документ", "Срок", "Версия для ознакомления", "В аудитории")
    assert documents[1][0] == "Кодекс" and documents[1][3] == 4
    people = [row[:4] for row in list(book["Не ознакомились"].values)[1:]]
    assert ("gleb", "руководитель ЦЗН", "Северный отдел", "Кодекс") in people
    assert ("vera", "консультант", "ЦЗН Северный-2", "Кодекс") in people


def test_export_csv_is_for_russian_excel_and_never_a_formula(world, client_for):
    offices, people, _documents = world
    people["vera"].first_name = "=HYPERLINK(1)"
    people["vera"].last_name = ""
    people["vera"].save()
    client = client_for(make_user("wg", role=roles.WORKING_GROUP))
    response = client.get("/mandatory/report/export.csv", {"office": offices["north"].pk})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert ["'=HYPERLINK(1)", "консультант", "ЦЗН Северный-2", "Кодекс"] in [r[:4] for r in rows]
    assert any(row[:1] == ["Кодекс"] and "25,0" in row for row in rows)  # decimal comma


def _query_count(client, django_assert_num_queries, params, expected):
    client.get(URL, params)
    with django_assert_num_queries(expected):
        response = client.get(URL, params)
    assert response.status_code == 200
    return response


# user, roles; the documents, the offices shown, the counts; drilled into an
# office: the office asked for, its ancestors, the page of who has not read.
REPORT = 5
REPORT_DRILLED = 8
REPORT_MANAGER = 7  # + the manager's own office; drilled by default, no ancestors


def test_query_count_does_not_grow_with_staff_documents_or_offices(
    world, client_for, django_assert_num_queries
):
    offices, _people, _documents = world
    wg = client_for(make_user("wg", role=roles.WORKING_GROUP))
    head = client_for(_head(offices, "north"))
    drilled = {"office": offices["north"].pk}
    for _round in range(2):
        _query_count(wg, django_assert_num_queries, {}, REPORT)
        _query_count(wg, django_assert_num_queries, drilled, REPORT_DRILLED)
        _query_count(head, django_assert_num_queries, {}, REPORT_MANAGER)
        # More of everything: offices, people, documents, acknowledgements.
        north = fresh(offices["north"])[0]
        for i in range(5):
            new = office(f"ЦЗН Новый-{_round}-{i}", parent=north)
            for j in range(4):
                reader = person(f"p{_round}{i}{j}", office=new, position="консультант")
                for document in report_documents()[:1]:
                    Acknowledgement.objects.create(
                        article=document, user=reader, article_version=document.version
                    )
        for i in range(3):
            mandatory_article(title=f"Документ {_round}-{i}", audience=spec(offices=[north]))


def test_the_regions_export_lists_no_names_without_an_office(world, client_for):
    client = client_for(make_user("wg", role=roles.WORKING_GROUP))
    book = load_workbook(io.BytesIO(client.get("/mandatory/report/export.xlsx").content))
    rows = list(book["Не ознакомились"].values)
    assert [row[0] for row in rows[1:]] == [
        "Выберите подразделение, чтобы получить список сотрудников."
    ]
    assert [row[0] for row in list(book["Документы"].values)[1:]] == [
        "Кодекс",
        "Скрипт консультанта",
    ]


def test_an_export_beyond_its_limit_says_how_many_are_left_out(world, client_for, monkeypatch):
    from articles import report

    offices, _people, _documents = world
    monkeypatch.setattr(report, "EXPORT_UNREAD_LIMIT", 1)
    client = client_for(make_user("wg", role=roles.WORKING_GROUP))
    response = client.get("/mandatory/report/export.csv", {"office": offices["north"].pk})
    text = response.content.decode("utf-8")
    assert "…и ещё 1: выберите подразделение поменьше или документ" in text
