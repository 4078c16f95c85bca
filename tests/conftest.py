import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import ROLE_USERS, make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    return make_user("staff", role=ROLE_USERS["staff"], first_name="Анна", last_name="Петрова")


@pytest.fixture
def editor(db):
    return make_user("editor", role=ROLE_USERS["editor"], first_name="Елена", last_name="Орлова")


@pytest.fixture
def working_group(db):
    return make_user("wg", role=ROLE_USERS["working_group"])


@pytest.fixture
def manager(db):
    return make_user("manager", role=ROLE_USERS["manager"])


@pytest.fixture
def administrator(db):
    return make_user("administrator", role=ROLE_USERS["administrator"])


# staff_client and editor_client are the same `client` logged in as different
# people: a test needing two people at once uses client_for(user) instead.
@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def client_for(db):
    """A logged-in test client for any user: ``client_for(user)``."""

    def _client_for(user):
        client = Client()
        client.force_login(user)
        return client

    return _client_for
