"""The demo's directory: offices with addresses and phones, the generated
staff with phones and two or three subjects, the demo logins with what the
contacts article sends people to them for; done once, quickly."""

import re

import pytest
from django.contrib.auth.models import User

from fixtures import demo_content
from kb_portal.demo import DEMO_EXPERTISE, _seed_offices, _seed_users
from people.demo import STAFF_PREFIX, seed_directory, seed_positions, seed_staff
from people.models import Expertise, Office, Profile


@pytest.fixture
def seeded(db):
    _seed_offices(demo_content.OFFICES, parent=None)
    seed_positions()
    _seed_users({"users": 0})
    seed_staff()
    created = seed_directory(DEMO_EXPERTISE)
    return created


def test_every_office_has_an_address_and_a_phone_of_its_town(seeded):
    offices = list(Office.objects.all())
    assert len(offices) == 80
    for office in offices:
        assert office.address.endswith(tuple(f"д. {n}" for n in range(1, 121))), office.address
        assert (office.city or "Самара") in office.address
        assert re.fullmatch(r"\+7 \d{3,5} [\d-]+", office.phone), office.phone
        assert len(re.sub(r"\D", "", office.phone)) == 11, office.phone
    assert Office.objects.get(code="czn-syzran").phone.startswith("+7 8464 ")


def test_the_generated_staff_have_phones_and_a_few_subjects(seeded):
    staff = Profile.objects.filter(user__username__startswith=STAFF_PREFIX).select_related("office")
    assert 550 <= staff.count() <= 650
    for profile in staff:
        assert profile.phone.startswith(profile.office.phone + " доб. 1"), profile.phone
        assert 2 <= profile.expertise.count() <= 3, profile
    subjects = set(Expertise.objects.values_list("name", flat=True))
    for name in ("квотирование", "пособие по безработице", "СВО", "инвалидность"):
        assert name in subjects
    assert {"работодатели", "портал Работа России", "профобучение"} <= subjects
    assert Expertise.objects.get(name="СВО").profiles.count() >= 20


def test_the_demo_logins_have_their_subjects(seeded):
    for login, names in DEMO_EXPERTISE.items():
        profile = User.objects.get(username=login).profile
        assert sorted(e.name for e in profile.expertise.all()) == sorted(names), login


def test_a_second_run_changes_nothing(seeded):
    profile = Profile.objects.get(user__username="sotrudnik")
    profile.expertise.clear()  # what a person changed stays
    before = (
        list(Office.objects.values_list("address", "phone").order_by("pk")),
        list(Profile.objects.values_list("phone").order_by("pk")),
        Expertise.objects.count(),
        Profile.expertise.through.objects.count(),
    )
    assert seed_directory(DEMO_EXPERTISE) == 0
    after = (
        list(Office.objects.values_list("address", "phone").order_by("pk")),
        list(Profile.objects.values_list("phone").order_by("pk")),
        Expertise.objects.count(),
        Profile.expertise.through.objects.count(),
    )
    assert after == before
    assert seeded == Expertise.objects.count()


def test_the_generated_staff_are_found_by_name_and_subject(seeded, client_for):
    client = client_for(User.objects.get(username="sotrudnik"))
    response = client.get("/people/", {"q": "КВОТИРОВАНИЕ", "office": "to-syzran"})
    assert response.context["page"].paginator.count >= 1
    assert client.get("/people/", {"expertise": "сво"}).context["page"].paginator.count >= 20
    page = client.get("/people/offices/czn-samara-zheleznodorozhnyj/").content.decode()
    assert "Сергей Никитин" in page.split('id="head-title"')[1].split("</section>")[0]
