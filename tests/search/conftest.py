import pytest

from tests.factories import make_section


@pytest.fixture
def section(db):
    return make_section("Маршруты клиентов", slug="marshruty")
