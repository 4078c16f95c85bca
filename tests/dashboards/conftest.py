import pytest

from people.models import Office
from tests.dashboards.factories import make_office


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
def manager_client(client_for, manager):
    return client_for(manager)
