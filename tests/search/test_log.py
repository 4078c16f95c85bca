"""Every search is logged without the person; editors read the weekly report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people import roles
from search.models import SearchClick, SearchQuery
from tests.factories import make_section
from tests.search.factories import make_indexed

REPORT_URL = "/admin/search/searchquery/"


@pytest.fixture
def article(db):
    return make_indexed(make_section(), title="Памятка по выплатам")


def test_a_search_is_logged_with_role_filters_and_count_but_not_the_person(
    staff_client, staff, article
):
    staff_client.get("/search/", {"q": "  Памятки  ПО выплатам ", "kind": "document"})
    log = SearchQuery.objects.get()
    assert log.query == "памятки по выплатам"
    assert log.filters == {"kind": "document"}
    assert log.results == 1
    assert log.role == roles.STAFF
    assert log.page == 1
    field_names = {field.name for field in SearchQuery._meta.get_fields()}
    assert not field_names & {"user", "author", "person"}
    assert staff.username not in str(SearchQuery.objects.values().get())


def test_the_editor_role_is_logged(editor_client, article):
    editor_client.get("/search/", {"q": "памятка"})
    assert SearchQuery.objects.get().role == roles.EDITOR


def test_an_empty_query_is_not_logged(staff_client, article):
    staff_client.get("/search/", {"q": "  "})
    assert not SearchQuery.objects.exists()


def test_results_link_through_the_click_log(staff_client, article):
    response = staff_client.get("/search/", {"q": "памятка"})
    log = SearchQuery.objects.get()
    url = f"/search/click/{log.pk}/{article.pk}/?pos=1"
    assert url in response.content.decode()
    opened = staff_client.get(url)
    assert opened.status_code == 302
    assert opened["Location"] == article.get_absolute_url()
    click = SearchClick.objects.get()
    assert (click.search_id, click.article_id, click.position) == (log.pk, article.pk, 1)


def test_click_on_a_draft_is_404_for_staff(staff_client, db):
    from articles.models import Article

    draft = make_indexed(make_section(), title="Черновик", status=Article.Status.DRAFT)
    log = SearchQuery.objects.create(query="черновик")
    assert staff_client.get(f"/search/click/{log.pk}/{draft.pk}/").status_code == 404
    assert not SearchClick.objects.exists()


def test_click_with_an_unknown_log_still_opens_the_article(staff_client, article):
    response = staff_client.get(f"/search/click/999999/{article.pk}/")
    assert response.status_code == 302
    assert not SearchClick.objects.exists()


def _log(query, results, *, days_ago=0, clicks=0, article=None):
    entry = SearchQuery.objects.create(
        query=query,
        results=results,
        role=roles.STAFF,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    for _ in range(clicks):
        SearchClick.objects.create(search=entry, article=article)
    return entry


def test_report_shows_top_zero_and_unopened_queries_of_the_week(editor_client, article):
    for _ in range(3):
        _log("пособие", 5, clicks=1, article=article)
    _log("пособие", 5)
    _log("квоты инвалидов", 0)
    _log("квоты инвалидов", 0)
    _log("ярмарка", 2)
    _log("старый запрос", 0, days_ago=60)
    response = editor_client.get(REPORT_URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert [(row["query"], row["n"], row["clicks"]) for row in report["top"]][:3] == [
        ("пособие", 4, 3),
        ("квоты инвалидов", 2, 0),
        ("ярмарка", 1, 0),
    ]
    assert [row["query"] for row in report["zero"]] == ["квоты инвалидов"]
    assert [row["query"] for row in report["unopened"]] == ["ярмарка"]
    html = response.content.decode()
    assert "Ничего не нашлось — о чём написать" in html
    assert "старый запрос" not in html


def test_report_for_an_earlier_week(editor_client, article):
    _log("старый запрос", 0, days_ago=14)
    week = timezone.localdate() - timedelta(days=14)
    response = editor_client.get(REPORT_URL, {"week": week.isoformat()})
    assert [row["query"] for row in response.context["report"]["zero"]] == ["старый запрос"]


def test_report_is_for_editors_only(client_for, staff, editor, administrator, manager):
    assert client_for(editor).get(REPORT_URL).status_code == 200
    assert client_for(administrator).get(REPORT_URL).status_code == 200
    assert client_for(staff).get(REPORT_URL).status_code in (302, 403)
    assert client_for(manager).get(REPORT_URL).status_code in (302, 403)


def test_single_log_rows_cannot_be_opened_or_changed(editor_client, article):
    entry = _log("пособие", 1)
    assert editor_client.get(f"{REPORT_URL}{entry.pk}/change/").status_code == 403
    assert editor_client.get(f"{REPORT_URL}add/").status_code == 403
