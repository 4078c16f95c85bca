import datetime as dt

import pytest

from people.models import Office, Profile
from tests.dashboards.factories import make_office

# «Today» for these tests: March 2026 is the last complete month.
APRIL_5 = dt.date(2026, 4, 5)


@pytest.fixture(autouse=True)
def _april(monkeypatch):
    monkeypatch.setattr("dashboards.forms.today", lambda: APRIL_5)


@pytest.fixture
def region(db):
    """Управляющий центр → two departments; the northern one has two job centres."""
    centre = make_office("Управляющий центр", kind=Office.Kind.CENTER)
    north = make_office("Северный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    south = make_office("Южный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    first = make_office("ЦЗН Первый", parent=north)
    second = make_office("ЦЗН Второй", parent=north)
    return {"centre": centre, "north": north, "south": south, "first": first, "second": second}


def place(user, office):
    """Give ``user`` a profile in ``office``."""
    Profile.objects.update_or_create(user=user, defaults={"office": office})
    return user


@pytest.fixture
def staff_of_first(client, staff, region):
    """A staff member of ЦЗН Первый, logged in."""
    place(staff, region["first"])
    client.force_login(staff)
    return client
