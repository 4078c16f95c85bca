import pytest

from people.models import Office, Profile
from tests.dashboards.factories import make_office
from tests.factories import ROLE_USERS, make_user


@pytest.fixture
def region(db):
    """Регион → two departments; the first has two job centres."""
    centre = make_office("Управляющий центр", kind=Office.Kind.CENTER)
    north = make_office("Северный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    south = make_office("Южный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    first = make_office("ЦЗН Первый", parent=north)
    second = make_office("ЦЗН Второй", parent=north)
    return {"centre": centre, "north": north, "south": south, "first": first, "second": second}


@pytest.fixture
def manager(region):
    """The regional manager: attached to the region's root office, sees all of it."""
    user = make_user("manager", role=ROLE_USERS["manager"])
    Profile.objects.create(user=user, office=region["centre"])
    return user


@pytest.fixture
def manager_client(client_for, manager):
    return client_for(manager)


def make_head(office, username=None):
    """A Руководитель attached to ``office`` (a head of that office)."""
    user = make_user(username, role=ROLE_USERS["manager"])
    Profile.objects.create(user=user, office=office)
    return user
