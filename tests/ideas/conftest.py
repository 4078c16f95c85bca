import pytest

from tests.factories import ROLE_USERS, make_user
from tests.ideas.factories import make_idea, make_meeting


@pytest.fixture
def colleague(db):
    return make_user("colleague", role=ROLE_USERS["staff"], first_name="Борис", last_name="Сидоров")


@pytest.fixture
def idea(staff):
    """An idea submitted by ``staff``."""
    return make_idea(staff, title="Запись на приём по телефону")


@pytest.fixture
def meeting(working_group):
    return make_meeting(working_group)


@pytest.fixture
def wg_client(client_for, working_group):
    return client_for(working_group)
