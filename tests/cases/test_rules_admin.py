"""Administrators edit rules in the admin; a rule that matches everything
needs a confirmation that shows how many responses it matches."""

import pytest

from cases.models import CaseRule
from tests.cases.factories import make_response

ADD = "/admin/cases/caserule/add/"


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)


def _form(**values):
    data = {"title": "Новое правило", "is_active": "on", "order": "50"}
    data.update(values)
    return data


def test_an_administrator_adds_a_rule(admin_client):
    response = admin_client.post(ADD, _form(csat_at_most="3", with_comment="on"))
    assert response.status_code == 302
    rule = CaseRule.objects.get(title="Новое правило")
    assert (rule.csat_at_most, rule.with_comment) == (3, True)
    assert rule.history.count() == 1


def test_a_catch_all_rule_needs_a_confirmation_with_the_count(admin_client, region):
    for _ in range(3):
        make_response(region["office"], csat=5)
    response = admin_client.post(ADD, _form())
    assert response.status_code == 200
    html = response.content.decode()
    assert "подходит к каждому отзыву" in html
    assert "3 отзыва из 3" in html or "попадают 3" in html
    assert not CaseRule.objects.filter(title="Новое правило").exists()
    response = admin_client.post(ADD, _form(confirm_catch_all="on"))
    assert response.status_code == 302
    assert CaseRule.objects.get(title="Новое правило").is_catch_all


def test_a_rule_every_existing_response_meets_also_needs_a_confirmation(admin_client, region):
    make_response(region["office"], csat=1)
    make_response(region["office"], csat=2)
    response = admin_client.post(ADD, _form(csat_at_most="2"))
    assert response.status_code == 200
    assert "попадают 2" in response.content.decode()


def test_an_inactive_catch_all_rule_saves_without_asking(admin_client):
    data = _form()
    del data["is_active"]
    assert admin_client.post(ADD, data).status_code == 302


def test_an_out_of_range_score_is_refused(admin_client):
    response = admin_client.post(ADD, _form(csat_at_most="7", nps_at_most="11"))
    assert response.status_code == 200
    assert not CaseRule.objects.filter(title="Новое правило").exists()


@pytest.mark.parametrize("role", ["staff", "editor", "working_group", "manager"])
def test_other_roles_cannot_edit_rules(client_for, role, request):
    client = client_for(request.getfixturevalue(role))
    response = client.post(ADD, _form(csat_at_most="2"))
    assert response.status_code in (302, 403)
    assert not CaseRule.objects.filter(title="Новое правило").exists()
