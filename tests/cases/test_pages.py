"""«Обращения к разбору»: who sees which cases, the list's filters, one case's page."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case
from people import roles
from tests.cases.factories import make_case, make_head, make_response
from tests.factories import make_user

LIST = "/cases/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cases(region):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {
        "office": make_case(region["office"]),
        "sibling": make_case(region["sibling"], due_date=yesterday),
        "other": make_case(region["other"]),
    }


# --- Who sees what -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, "/cases/{pk}/"])
def test_anonymous_is_sent_to_login(client, cases, url):
    response = client.get(url.format(pk=cases["office"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [roles.STAFF, roles.EDITOR])
def test_staff_and_editors_are_refused(cases, role):
    client = _client(make_user(role=role))
    assert client.get(LIST).status_code == 403
    assert client.get(cases["office"].get_absolute_url()).status_code == 403


@pytest.mark.parametrize("role", [roles.WORKING_GROUP, roles.ADMINISTRATOR])
def test_working_group_and_administrators_see_every_case(cases, role):
    client = _client(make_user(role=role))
    response = client.get(LIST)
    assert response.status_code == 200
    assert {case.pk for case in response.context["page"]} == {c.pk for c in cases.values()}
    for case in cases.values():
        assert client.get(case.get_absolute_url()).status_code == 200


def test_a_head_sees_the_cases_of_their_office_subtree(cases, north_head):
    client = _client(north_head)
    shown = {case.pk for case in client.get(LIST).context["page"]}
    assert shown == {cases["office"].pk, cases["sibling"].pk}
    assert client.get(cases["office"].get_absolute_url()).status_code == 200


def test_a_head_of_a_job_centre_sees_only_its_cases(cases, head):
    client = _client(head)
    assert {case.pk for case in client.get(LIST).context["page"]} == {cases["office"].pk}
    assert client.get(cases["sibling"].get_absolute_url()).status_code == 404


def test_a_head_of_another_office_gets_404_on_a_case_outside(cases, other_head):
    client = _client(other_head)
    assert client.get(cases["office"].get_absolute_url()).status_code == 404
    response = client.post(cases["office"].get_absolute_url(), {"status": "in_progress"})
    assert response.status_code == 404
    assert Case.objects.get(pk=cases["office"].pk).status == Case.Status.NEW


def test_a_manager_without_an_office_sees_a_message_not_the_region(cases):
    client = _client(make_user(role=roles.MANAGER))
    response = client.get(LIST)
    assert response.status_code == 200
    assert "не привязан к подразделению" in response.content.decode()
    assert "page" not in response.context
    assert client.get(cases["office"].get_absolute_url()).status_code == 404


# --- The list ------------------------------------------------------------------------------


def test_filters_by_status_office_and_overdue(cases, region, working_group):
    client = _client(working_group)
    Case.objects.filter(pk=cases["other"].pk).update(
        status=Case.Status.RESOLVED, action_taken="Извинились", closed_at=timezone.now()
    )

    def shown(query):
        return {case.pk for case in client.get(LIST + query).context["page"]}

    assert shown("?status=resolved") == {cases["other"].pk}
    assert shown("?status=open") == {cases["office"].pk, cases["sibling"].pk}
    assert shown(f"?office={region['north'].pk}") == {cases["office"].pk, cases["sibling"].pk}
    assert shown("?overdue=on") == {cases["sibling"].pk}


def test_overdue_cases_are_shown_red(cases, working_group):
    html = _client(working_group).get(LIST).content.decode()
    assert html.count("case-row--overdue") == 1
    assert "просрочено" in html


def test_a_bad_filter_shows_the_page(cases, working_group):
    response = _client(working_group).get(LIST + "?office=abc&status=nonsense&page=99")
    assert response.status_code == 200


# --- One case ------------------------------------------------------------------------------


def test_the_page_shows_what_the_client_answered_and_nothing_blank(region, working_group):
    response = make_response(
        region["office"], csat=1, nps=2, comment="<script>alert(1)</script> Никто не помог"
    )
    case = make_case(region["office"], response=response)
    html = _client(working_group).get(case.get_absolute_url()).content.decode()
    assert "Никто не помог" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Удовлетворённость (CSAT)" in html
    # Scores the client did not give are not shown.
    assert "Вежливость" not in html
    assert "Лёгкость (CES)" not in html


def test_closing_without_saying_what_was_done_is_refused(cases, head):
    case = cases["office"]
    response = _client(head).post(
        case.get_absolute_url(),
        {"status": "resolved", "action_taken": "  ", "version": case.version},
    )
    assert response.status_code == 200
    assert "опишите, что сделано" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW
    assert case.closed_at is None


def test_a_head_works_a_case_to_the_end(cases, head):
    case = cases["office"]
    client = _client(head)
    response = client.post(
        case.get_absolute_url(),
        {"status": "in_progress", "assignee": head.pk, "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.Status.IN_PROGRESS, head)
    client.post(
        case.get_absolute_url(),
        {
            "status": "resolved",
            "assignee": head.pk,
            "action_taken": "Позвонили клиенту, записали на приём без очереди",
            "contacted_back": "on",
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert case.contacted_back
    assert case.closed_at is not None
    assert [r.status for r in case.history.order_by("history_date")][-2:] == [
        "in_progress",
        "resolved",
    ]
    assert case.history.first().history_user == head


def test_a_stale_form_is_refused_with_a_russian_message(cases, head):
    case = cases["office"]
    client = _client(head)
    stale = case.version
    client.post(case.get_absolute_url(), {"status": "in_progress", "version": stale})
    response = client.post(
        case.get_absolute_url(),
        {"status": "not_confirmed", "action_taken": "Не подтвердилось", "version": stale},
        follow=True,
    )
    assert "уже изменили" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_a_closed_case_cannot_go_back_to_new(cases, head):
    case = cases["office"]
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED, action_taken="Сделано")
    response = _client(head).post(
        case.get_absolute_url(), {"status": "new", "action_taken": "x", "version": case.version}
    )
    assert "нельзя перейти" in response.content.decode()


def test_an_assignee_from_outside_the_office_is_refused(cases, head, other_head):
    case = cases["office"]
    response = _client(head).post(
        case.get_absolute_url(),
        {"status": "in_progress", "assignee": other_head.pk, "version": case.version},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.assignee is None


def test_a_case_whose_response_was_rolled_back_says_so(region, working_group):
    case = make_case(region["office"], status=Case.Status.IN_PROGRESS)
    response = case.response
    Case.objects.filter(pk=case.pk).update(response=None, response_removed=True)
    response.delete()
    html = _client(working_group).get(case.get_absolute_url()).content.decode()
    assert "ответ удалён при откате импорта" in html


# --- Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(region, django_assert_num_queries, count):
    for i in range(count):
        make_case(region["office"] if i % 2 else region["sibling"], assignee=make_user())
    head = make_head(region["north"])
    client = _client(head)
    client.get(LIST)
    # user, roles, profile with office, offices, count, page (the session is cached)
    with django_assert_num_queries(6):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("history", [1, 15])
def test_detail_query_count_does_not_grow(region, django_assert_num_queries, history):
    case = make_case(region["office"])
    for i in range(history):
        case.action_taken = f"шаг {i}"
        case.save()
    client = _client(make_user(role=roles.WORKING_GROUP))
    client.get(case.get_absolute_url())
    # user, roles, case with its response, assignees, history
    with django_assert_num_queries(5):
        assert client.get(case.get_absolute_url()).status_code == 200
