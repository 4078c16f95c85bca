"""«Мой профиль» (/accounts/profile/): who I am on the portal, my roles, my
e-mail choices, and the way there from the header."""

import pytest
from django.contrib.auth.models import Group

from notifications.feeds import feed_token_create
from notifications.models import Kind
from notifications.services import preferences_set
from notifications.subscriptions import subscription_follow
from people import roles
from people.models import Profile
from people.services import profile_contacts_update
from tests.factories import ROLE_USERS, make_article, make_position, make_user
from tests.feedback.factories import make_office

URL = "/accounts/profile/"


@pytest.fixture
def anna(db):
    user = make_user(
        "anna",
        role=ROLE_USERS["staff"],
        first_name="Анна",
        last_name="Петрова",
        email="anna@czn.example",
    )
    Profile.objects.create(
        user=user,
        position=make_position("Ведущий инспектор"),
        office=make_office("ЦЗН г. Тольятти", code="czn-togliatti"),
        phone="+7 8482 00-00-00",
    )
    return user


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_shows_name_position_office_role_and_address(anna, client_for):
    page = client_for(anna).get(URL).content.decode()
    for text in (
        "Мой профиль",
        "Анна Петрова",
        "anna",
        "anna@czn.example",
        "Ведущий инспектор",
        "ЦЗН г. Тольятти",
        "+7 8482 00-00-00",
        "Сотрудник",
        'href="/accounts/password/"',
        'href="/notifications/settings/"',
    ):
        assert text in page, text


def test_several_roles_are_listed_in_the_portals_order(anna, client_for):
    anna.groups.add(Group.objects.get(name=roles.EDITOR))
    anna.groups.add(Group.objects.get(name=roles.MANAGER))
    page = client_for(anna).get(URL).content.decode()
    assert "Роли" in page and "Сотрудник, Редактор, Руководитель" in page


def test_someone_without_a_profile_or_address_sees_dashes_and_why_no_mail(db, client_for):
    user = make_user("bare")
    page = client_for(user).get(URL).content.decode()
    assert "не указана" in page and "письма не приходят" in page
    assert "Сотрудник" in page  # every logged-in person is staff


def test_lists_the_kinds_that_come_by_email_by_area(anna, client_for):
    preferences_set(user=anna, email_kinds=[Kind.IDEA_COMMENT, Kind.REVIEW_DUE, Kind.CX_REPORT])
    response = client_for(anna).get(URL)
    # CX_REPORT cannot reach a staff member: not counted, not listed.
    assert response.context["by_email"] == [
        ("Банк идей", ["Новый комментарий к идее"]),
        ("Актуализация", ["Подходит или прошёл срок проверки материала"]),
    ]
    assert response.context["kinds_total"] == 10
    assert "отмечено 2 из 10" in response.content.decode()


def test_nothing_by_email_says_so(anna, client_for):
    preferences_set(user=anna, email_kinds=[])
    page = client_for(anna).get(URL).content.decode()
    assert "По почте не приходит ничего" in page


def test_markup_in_names_stays_text(db, client_for):
    user = make_user(first_name="<script>alert(1)</script>", last_name="Иванов")
    page = client_for(user).get(URL).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Иванов" in page


@pytest.mark.parametrize("url", ["/", "/ideas/", "/notifications/"])
def test_the_header_name_leads_to_the_profile(anna, client_for, url):
    header = client_for(anna).get(url).content.decode().split('<nav class="user-nav"')[1]
    header = header.split("</nav>")[0]
    assert f'href="{URL}"' in header and "Анна Петрова" in header


def test_the_header_marks_the_profile_as_the_current_page(anna, client_for):
    page = client_for(anna).get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in page


def test_only_get(anna, client_for):
    assert client_for(anna).post(URL).status_code == 405


# user, roles, profile with its office, its subjects, e-mail preferences,
# section tree stamp, the feed's key, «Мои подписки»
PROFILE_QUERIES = 8


def test_profile_query_count(anna, client_for, django_assert_num_queries):
    client = client_for(anna)
    client.get(URL)
    with django_assert_num_queries(PROFILE_QUERIES):
        assert client.get(URL).status_code == 200
    preferences_set(user=anna, email_kinds=list(Kind))
    feed_token_create(user=anna)
    for n in range(5):
        subscription_follow(user=anna, article=make_article(title=f"Материал {n}"))
    profile_contacts_update(user=anna, phone="", expertise=[f"тема {n}" for n in range(10)])
    client.get(URL)
    with django_assert_num_queries(PROFILE_QUERIES):
        assert client.get(URL).status_code == 200


def test_shows_the_subjects_and_leads_to_their_edit_and_the_directory(anna, client_for):
    profile_contacts_update(user=anna, phone="+7 846 1", expertise=["СВО", "квотирование"])
    page = client_for(anna).get(URL).content.decode()
    assert '<a class="tag" href="/people/?expertise=%D1%81%D0%B2%D0%BE">СВО</a>' in page
    assert ">квотирование</a>" in page
    assert 'href="/accounts/profile/edit/"' in page and 'href="/people/"' in page
