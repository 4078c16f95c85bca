import pytest

from tests.factories import ROLE_USERS, make_article, make_section, make_user


@pytest.fixture
def owner(db):
    """The article's responsible editor."""
    return make_user("owner", role=ROLE_USERS["editor"], first_name="Ольга", last_name="Иванова")


@pytest.fixture
def colleague(db):
    return make_user("colleague", role=ROLE_USERS["staff"], first_name="Борис", last_name="Сидоров")


@pytest.fixture
def article(owner):
    section = make_section("Стандарты", slug="standarty")
    return make_article(section, title="Стандарт приёма", slug="standart-priyoma", owner=owner)
