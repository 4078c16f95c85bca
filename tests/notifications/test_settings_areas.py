"""/notifications/settings/: kinds grouped by area, only those that can reach
the person, and saving leaves the kinds not shown as they were."""

import re

import pytest

from notifications.models import Kind, NotificationPreference
from notifications.selectors import KIND_AREAS, kinds_for
from notifications.services import preferences_set
from tests.factories import ROLE_USERS, make_user

URL = "/notifications/settings/"
EVERYONE = {
    Kind.IDEA_STATUS,
    Kind.IDEA_COMMENT,
    Kind.IDEA_MERGE,
    Kind.PROPOSAL_STATUS,
    Kind.QUESTION_NEW,
    Kind.QUESTION_ANSWER,
    Kind.ERROR_REPORT,
    Kind.REVIEW_DUE,
    Kind.MANDATORY,
    Kind.SUBSCRIPTION,
}
EDITORS = {Kind.PROPOSAL_NEW, Kind.REVIEW_ESCALATION}
CX = {Kind.CASE_NEW, Kind.CASE_OVERDUE, Kind.CX_REPORT}


def _shown(html):
    return set(re.findall(r'name="email_kinds" value="([a-z_]+)"', html))


def _legends(html):
    return re.findall(r"<legend>([^<]+)</legend>", html)


def test_every_kind_is_in_exactly_one_area():
    listed = [kind for _title, kinds in KIND_AREAS for kind in kinds]
    assert sorted(listed) == sorted(Kind) and len(listed) == len(set(listed))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", EVERYONE),
        ("editor", EVERYONE | EDITORS),
        ("working_group", EVERYONE | CX),
        ("manager", EVERYONE | CX),
        ("administrator", EVERYONE | EDITORS | CX),
    ],
)
def test_each_role_sees_the_kinds_that_can_reach_it(db, client_for, role, expected):
    user = make_user(role=ROLE_USERS[role])
    assert set(kinds_for(user=user)) == expected
    assert _shown(client_for(user).get(URL).content.decode()) == expected


def test_staff_see_their_areas_in_order_without_cases_or_cx(staff_client):
    html = staff_client.get(URL).content.decode()
    assert _legends(html) == [
        "Банк идей",
        "Предложения",
        "Вопросы",
        "Актуализация",
        "Обязательные документы",
        "Подписки",
        "Дайджест по электронной почте",  # the digest's own form below
    ]
    # The area is the heading: the label inside it does not repeat it.
    assert "Новый комментарий к идее" in html
    assert "Банк идей: новый комментарий" not in html


def test_administrators_see_every_area(administrator, client_for):
    html = client_for(administrator).get(URL).content.decode()
    assert _legends(html) == [
        *(str(title) for title, _kinds in KIND_AREAS),
        "Дайджест по электронной почте",
    ]


def test_saving_keeps_the_kinds_not_shown_unchanged(staff, staff_client):
    # Set earlier (say, while the person was a manager and an editor).
    preferences_set(user=staff, email_kinds=[Kind.CASE_NEW, Kind.PROPOSAL_NEW])
    response = staff_client.post(URL, {"email_kinds": [Kind.MANDATORY]})
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=staff).values_list("kind", "email"))
    assert saved[Kind.CASE_NEW] is True and saved[Kind.PROPOSAL_NEW] is True
    assert saved[Kind.CX_REPORT] is False and saved[Kind.REVIEW_ESCALATION] is False
    assert saved[Kind.MANDATORY] is True and saved[Kind.IDEA_STATUS] is False


def test_a_kind_not_shown_is_refused_and_nothing_saved(staff, staff_client):
    response = staff_client.post(URL, {"email_kinds": [Kind.IDEA_STATUS, Kind.CX_REPORT]})
    assert response.status_code == 200
    assert "Такого вида уведомлений нет: cx_report." in response.content.decode()
    assert not NotificationPreference.objects.filter(user=staff).exists()


def test_the_page_says_where_letters_go(db, client_for):
    with_mail = make_user(role=ROLE_USERS["staff"], email="anna@czn.example")
    without = make_user(role=ROLE_USERS["staff"])
    assert "anna@czn.example" in client_for(with_mail).get(URL).content.decode()
    assert "не указан адрес" in client_for(without).get(URL).content.decode()


def test_preferences_set_without_kinds_still_sets_every_kind(staff):
    preferences_set(user=staff, email_kinds=[Kind.CX_REPORT])
    saved = dict(NotificationPreference.objects.filter(user=staff).values_list("kind", "email"))
    assert len(saved) == len(Kind) and saved[Kind.CX_REPORT] is True
