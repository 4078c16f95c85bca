import pytest

from tests.feedback.factories import make_office, make_service


@pytest.fixture(autouse=True)
def _imports_run_inline(settings):
    """Background phases run inside the request, so tests see their result."""
    settings.FEEDBACK_IMPORT_RUNNER = "sync"


@pytest.fixture
def office(db):
    return make_office("ЦЗН Ленинского района", code="czn-leninskij")


@pytest.fixture
def other_office(db):
    return make_office("ЦЗН Кировского района", code="czn-kirovskij")


@pytest.fixture
def service(db):
    return make_service()


@pytest.fixture
def manager_client(client_for, manager):
    return client_for(manager)
