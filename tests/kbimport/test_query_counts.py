"""Pinned query counts of the import pages, and the import's own cost: the
check reads the database a fixed number of times whatever the number of
files, the writing a fixed number of times per file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kbimport import services
from kbimport.jobs import Progress
from kbimport.models import KbImportBatch
from tests.kbimport.factories import import_zip, zip_bytes

pytestmark = pytest.mark.django_db

# user, roles (the session comes from the cache), the imports' count and
# page, the section tree's stamp (sidebar), the sections to choose from.
LIST = 6
# user, roles, the import (with its person and section), its report, tree
# stamp; while a job runs, the page refreshing itself, no report.
DETAIL = 5
PROGRESS = 4


def _tree(n, prefix="Раздел"):
    return {
        f"{prefix} {i % 3}/{prefix} файл {i}.txt": f"{prefix}: текст {i}".encode() for i in range(n)
    }


@pytest.mark.parametrize("n", [3, 30])
def test_journal_costs_the_same_however_many_imports(admin_client, administrator, n):
    for i in range(n):
        KbImportBatch.objects.create(original_name=f"{i}.zip", created_by=administrator)
    admin_client.get("/kb-import/")  # the tree cached, as the page usually finds it
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/kb-import/")
    assert response.status_code == 200
    assert len(queries) == LIST, "\n".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_report_page_costs_the_same_however_many_files(admin_client, administrator, n):
    batch = import_zip(zip_bytes(_tree(n)), user=administrator, confirm=False)
    assert batch.articles_created == n
    admin_client.get(f"/kb-import/{batch.pk}/")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(f"/kb-import/{batch.pk}/")
    assert response.status_code == 200
    assert len(queries) == DETAIL, "\n".join(q["sql"] for q in queries.captured_queries)


def test_progress_page_does_not_read_the_report(admin_client, administrator):
    batch = import_zip(zip_bytes(_tree(30)), user=administrator, confirm=False)
    KbImportBatch.objects.filter(pk=batch.pk).update(
        status=KbImportBatch.Status.CHECKING, runner_pid=None, heartbeat_at=timezone.now()
    )
    admin_client.get(f"/kb-import/{batch.pk}/")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(f"/kb-import/{batch.pk}/")
    assert "Идёт проверка архива" in response.content.decode()
    assert len(queries) == PROGRESS, "\n".join(q["sql"] for q in queries.captured_queries)


def _check_queries(content):
    batch = import_zip(content, confirm=False)
    with CaptureQueriesContext(connection) as queries:
        services.batch_check(batch=batch, progress=Progress())
    return len(queries)


def test_the_check_reads_the_database_a_fixed_number_of_times():
    assert _check_queries(zip_bytes(_tree(3))) == _check_queries(zip_bytes(_tree(30, "Другой")))


def _write_queries(content):
    batch = import_zip(content, confirm=False)
    with CaptureQueriesContext(connection) as queries:
        services.batch_write(batch=batch, progress=Progress())
    return len(queries)


# Per file: the article and its history row, the attachment and its history
# row. The file records are inserted in bulk and the search index is written
# for all the articles at once.
PER_FILE = 4


def test_the_writing_costs_a_fixed_number_of_queries_per_file():
    _write_queries(zip_bytes(_tree(3, "Разогрев")))  # the search vocabulary's words are known
    three = _write_queries(zip_bytes(_tree(3, "А")))
    thirteen = _write_queries(zip_bytes(_tree(13, "Б")))
    twenty_three = _write_queries(zip_bytes(_tree(23, "В")))
    assert thirteen - three == 10 * PER_FILE
    assert twenty_three - thirteen == 10 * PER_FILE  # nothing grows with what exists
