"""An import whose background job is killed with SIGKILL: the real command
(the very command line the page spawns) is started on the test database,
killed in the middle of its work, and then the import page must say that
the processing broke off, keep nothing half-done, and restart cleanly.

On SQLite the test database lives in memory; it is copied to a file for
the job and back afterwards (sqlite3's backup API). On PostgreSQL the job
simply connects to the test database.
"""

import os
import signal
import sqlite3
import subprocess
import time
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from feedback import services
from feedback.aggregates import slices_refresh
from feedback.models import FeedbackResponse, ImportBatch, MonthlySlice, RejectedRow
from tests.feedback.factories import csv_bytes, feedback_row, import_file, upload

pytestmark = pytest.mark.django_db(transaction=True)


class SharedDatabase:
    """The test database as another process can reach it."""

    def __init__(self, tmp_path):
        self.settings = connection.settings_dict
        self.sqlite = connection.vendor == "sqlite"
        self.in_memory = self.sqlite and connection.is_in_memory_db()
        self.path = tmp_path / "shared.sqlite3" if self.in_memory else self.settings["NAME"]

    @property
    def url(self):
        if self.sqlite:
            return f"sqlite:///{self.path}"
        s = self.settings
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
        return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"

    def hand_over(self):
        """Make what this process wrote visible to the other one."""
        if self.in_memory:
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)

    def take_back(self):
        """Make what the other process wrote visible here."""
        if self.in_memory:
            source = sqlite3.connect(self.path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def value(self, sql, params=()):
        """One value read as the other process left it, without taking it back."""
        if self.in_memory:
            with sqlite3.connect(self.path, timeout=20) as db:
                return db.execute(sql, params).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchone()[0]


def _job_command(batch, phase, settings):
    """Queue ``phase`` as the page does; the command line it would spawn."""
    settings.FEEDBACK_IMPORT_RUNNER = "subprocess"
    try:
        with mock.patch.object(services, "_spawn") as spawn:
            if phase == "validate":
                services.batch_map(batch=batch, columns=batch.mapping["columns"])
            else:
                assert services.batch_confirm(batch=batch)
    finally:
        settings.FEEDBACK_IMPORT_RUNNER = "sync"
    return spawn.call_args.args[0]


def _start(command, shared, settings):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kb_portal.settings",
        DEBUG="0",
        SECRET_KEY="tests-only-not-secret",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=shared.url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    return subprocess.Popen(  # noqa: S603 - the command line of batch_start
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait_for(process, condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"the job ended before {what}: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"timed out waiting for {what}")


def _kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def admin_client(db):
    # A transactional test starts from an emptied database: no role groups.
    return Client(), User.objects.create_superuser("root", password="x-1234-word")


def _page(client_and_user, batch):
    client, user = client_and_user
    client.force_login(user)
    return client.get(f"/feedback/imports/{batch.pk}/")


def test_a_check_killed_halfway_is_failed_and_restarts_without_doubles(
    office, tmp_path, settings, admin_client
):
    bad = 16_000  # about 3 s of checking: the job is killed well before its end
    rows = [feedback_row(csat="0", external_id=f"bad-{i}") for i in range(bad)]
    file = upload(csv_bytes([*rows, feedback_row()]))
    batch = services.batch_create(
        kind="feedback", upload=file, user=None, info=services.upload_inspect(file)
    )
    shared = SharedDatabase(tmp_path)
    command = _job_command(batch, "validate", settings)
    shared.hand_over()

    job = _start(command, shared, settings)
    rejected = "SELECT count(*) FROM feedback_rejectedrow WHERE batch_id = ?"
    _wait_for(job, lambda: shared.value(rejected, [batch.pk]) >= 2000, "rows were rejected")
    _kill(job)
    shared.take_back()

    batch.refresh_from_db()
    assert batch.status == "validating"  # killed mid-run: nobody said anything
    assert batch.runner_pid == job.pid
    assert 0 < RejectedRow.objects.filter(batch=batch).count() < bad  # the partial rows

    page = _page(admin_client, batch)
    assert f"Обработка прервалась: процесс {job.pid} на сервере" in page.text
    assert "завершился, не закончив работу" in page.text
    assert "Запустить заново" in page.text and "Отменить импорт" in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert not RejectedRow.objects.filter(batch=batch).exists()

    client, _user = admin_client
    client.post(f"/feedback/imports/{batch.pk}/restart/")  # runs in-process in tests
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read, batch.rows_rejected) == ("validated", bad + 1, bad)
    assert RejectedRow.objects.filter(batch=batch).count() == bad  # never doubled


def test_a_write_killed_halfway_writes_nothing_and_restarts(
    office, tmp_path, settings, admin_client
):
    count = 20_000  # about 2 s of writing: the job is killed well before its end
    batch = import_file(csv_bytes([feedback_row() for _i in range(count)]), confirm=False)
    assert batch.rows_to_import == count
    shared = SharedDatabase(tmp_path)
    command = _job_command(batch, "write", settings)
    assert command[-5:] == ["import_feedback", "--batch", str(batch.pk), "--phase", "write"]
    shared.hand_over()

    job = _start(command, shared, settings)
    taken = "SELECT runner_pid FROM feedback_importbatch WHERE id = ?"
    _wait_for(job, lambda: shared.value(taken, [batch.pk]) == job.pid, "the job took the batch")
    time.sleep(0.3)  # well into its rows, far from their end
    _kill(job)
    shared.take_back()

    batch.refresh_from_db()
    assert batch.status == "running"  # killed mid-run
    assert not FeedbackResponse.objects.exists()  # its transaction died with it

    page = _page(admin_client, batch)
    assert f"Обработка прервалась: процесс {job.pid} на сервере" in page.text
    assert "Ничего не записано." in page.text
    batch.refresh_from_db()
    assert batch.status == "failed"

    client, _user = admin_client
    client.post(f"/feedback/imports/{batch.pk}/restart/")
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("imported", count)
    assert FeedbackResponse.objects.count() == count
    left = sorted(MonthlySlice.objects.values_list("month", "office", "responses"))
    slices_refresh()
    assert left == sorted(MonthlySlice.objects.values_list("month", "office", "responses"))
    assert ImportBatch.objects.get(pk=batch.pk).rows_rejected == 0
