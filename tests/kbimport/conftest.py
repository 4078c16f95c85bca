import pytest


@pytest.fixture(autouse=True)
def _imports_run_inline(settings):
    """Background phases run inside the request, so tests see their result."""
    settings.KB_IMPORT_RUNNER = "sync"


@pytest.fixture
def admin_client(client_for, administrator):
    return client_for(administrator)
