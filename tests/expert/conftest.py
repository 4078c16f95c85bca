import datetime as dt

import pytest

from people.models import Office, Profile
from tests.dashboards.factories import make_office
from tests.factories import ROLE_USERS, make_user

# «Today» for these tests: 5 April 2026, so the last complete quarter is
# January–March 2026 (the dashboard's default period) and April is in progress.
APRIL_5 = dt.date(2026, 4, 5)
JANUARY = dt.date(2026, 1, 1)
MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _april(monkeypatch):
    monkeypatch.setattr("dashboards.forms.today", lambda: APRIL_5)


@pytest.fixture
def region(db):
    centre = make_office("Управляющий центр", kind=Office.Kind.CENTER)
    north = make_office("Северный отдел", parent=centre, kind=Office.Kind.DEPARTMENT)
    first = make_office("ЦЗН Первый", parent=north)
    second = make_office("ЦЗН Второй", parent=north)
    return {"centre": centre, "north": north, "first": first, "second": second}


@pytest.fixture
def regional_manager(region):
    """A Руководитель of the region's root office: the dashboard of the whole region."""
    user = make_user("rukovoditel", role=ROLE_USERS["manager"])
    Profile.objects.create(user=user, office=region["centre"])
    return user
