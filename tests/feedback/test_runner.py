"""The background job of an import: who runs it, its heartbeat, and what
happens when it dies — the batch is marked failed with a Russian reason
and can be restarted or cancelled; a job given up for dead writes nothing.
(A job really killed with SIGKILL is in test_killed_job.py.)"""

import datetime as dt
import functools
import os
import socket
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from feedback import services
from feedback.models import FeedbackResponse, ImportBatch, RejectedRow
from tests.feedback.factories import csv_bytes, feedback_row, import_file

pytestmark = pytest.mark.django_db

HOST = socket.gethostname()


@pytest.fixture
def mine(manager):
    return functools.partial(import_file, user=manager)


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _long_ago():
    return timezone.now() - dt.timedelta(seconds=services.stale_seconds() + 5)


def _queue_without_running(batch, phase="validate"):
    """What the page leaves behind: a phase queued for a job to take."""
    with mock.patch.object(services, "batch_start"):
        if phase == "validate":
            services.batch_map(batch=batch, columns=batch.mapping["columns"])
        else:
            assert services.batch_confirm(batch=batch)
    batch.refresh_from_db()
    return batch


def _as_taken(batch, **runner):
    """The batch as if a job had taken it and then gone quiet."""
    fields = {
        "runner_host": HOST,
        "runner_pid": os.getpid(),
        "runner_started_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        **runner,
    }
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    batch.refresh_from_db()
    return batch


def test_a_job_records_who_runs_it_and_when(office, mine):
    before = timezone.now()
    batch = mine(csv_bytes([feedback_row()]))
    assert (batch.status, batch.phase) == ("imported", "write")
    assert (batch.runner_host, batch.runner_pid) == (HOST, os.getpid())
    assert before <= batch.runner_started_at <= batch.heartbeat_at <= timezone.now()


def test_queuing_a_phase_forgets_the_previous_job(office, mine):
    batch = mine(csv_bytes([feedback_row()]), confirm=False)
    batch = _queue_without_running(batch, "write")
    assert (batch.status, batch.phase, batch.runner_pid, batch.runner_host) == (
        "running",
        "write",
        None,
        "",
    )
    assert batch.heartbeat_at is not None  # the job's time to show up starts now


def test_a_live_job_is_left_alone(manager_client, office, mine):
    batch = _as_taken(_queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False)))
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert 'http-equiv="refresh"' in page.text
    assert ImportBatch.objects.get(pk=batch.pk).status == "validating"


def test_a_phase_no_job_took_fails_after_the_stale_time(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False))
    assert manager_client.get(f"/feedback/imports/{batch.pk}/").context["batch"].is_busy
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=_long_ago())
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "Обработка прервалась: фоновая задача не запустилась за 60 с" in page.text
    assert "http-equiv" not in page.text
    assert "Запустить заново" in page.text
    assert "Отменить импорт" in page.text
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"


def test_a_job_whose_process_is_gone_fails_at_once(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False), "write")
    pid = _dead_pid()
    _as_taken(batch, runner_pid=pid)  # heartbeat fresh: only the pid tells
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert f"Обработка прервалась: процесс {pid} на сервере {HOST} завершился" in page.text
    assert "Ничего не записано." in page.text
    batch.refresh_from_db()
    assert (batch.status, batch.finished_at is not None) == ("failed", True)


def test_the_journal_marks_dead_jobs_too(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False))
    _as_taken(batch, runner_pid=_dead_pid())
    page = manager_client.get("/feedback/imports/")
    assert "ошибка" in page.text
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"


def test_a_silent_job_on_another_host_fails_after_the_stale_time(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False))
    _as_taken(batch, runner_host="kb-web-2", runner_pid=4242)
    manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert ImportBatch.objects.get(pk=batch.pk).status == "validating"  # it may be working
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=_long_ago())
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "процесс 4242 на сервере kb-web-2 не подаёт признаков работы с" in page.text
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"


def test_writing_on_sqlite_needs_no_heartbeat_while_the_process_lives(office, mine):
    """SQLite lets one writer at a time: no heartbeat can be written while
    the rows are, so there the live process is the sign of life."""
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False), "write")
    _as_taken(batch, heartbeat_at=_long_ago())
    batch = services.batch_check_runner(batch=batch)
    expected = "running" if connection.vendor == "sqlite" else "failed"
    assert batch.status == expected
    assert ImportBatch.objects.get(pk=batch.pk).status == expected


def test_a_zombie_or_a_reused_pid_is_not_a_live_job():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert services.process_alive(process.pid)
        process.kill()
        for _i in range(100):  # killed, not reaped by us (its parent) yet: a zombie
            if not services.process_alive(process.pid):
                break
            time.sleep(0.02)
        assert not services.process_alive(process.pid)
    finally:
        process.wait()
    assert not services.process_alive(process.pid)
    # This process is alive, but it is not a job that started a day ago.
    assert services.process_alive(os.getpid(), since=timezone.now())
    assert not services.process_alive(os.getpid(), since=timezone.now() - dt.timedelta(days=1))


def test_a_job_that_finished_meanwhile_is_not_marked(office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False))
    batch = _as_taken(batch, runner_pid=_dead_pid())
    stale_view = ImportBatch.objects.get(pk=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(status="validated")  # it just finished
    assert services.batch_check_runner(batch=stale_view).status == "validated"


def test_a_check_killed_halfway_leaves_no_rows_and_restarts_without_doubles(
    manager_client, office, mine
):
    rows = [feedback_row(csat="0") for _i in range(3)] + [feedback_row()]
    batch = _queue_without_running(mine(csv_bytes(rows), confirm=False))
    _as_taken(batch, runner_pid=_dead_pid())
    RejectedRow.objects.bulk_create(  # what the dead job had written so far
        RejectedRow(batch=batch, row_number=n, values=[], reasons="…") for n in (2, 3)
    )
    page = manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert "Обработка прервалась" in page.text
    assert not RejectedRow.objects.filter(batch=batch).exists()
    response = manager_client.post(f"/feedback/imports/{batch.pk}/restart/", follow=True)
    assert "Обработка запущена заново." in response.text
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read, batch.rows_rejected) == ("validated", 4, 3)
    assert sorted(batch.rejected_rows.values_list("row_number", flat=True)) == [2, 3, 4]


def test_restart_runs_the_failed_write_again(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False), "write")
    _as_taken(batch, runner_pid=_dead_pid())
    manager_client.get(f"/feedback/imports/{batch.pk}/")
    manager_client.post(f"/feedback/imports/{batch.pk}/restart/")
    batch.refresh_from_db()
    assert (batch.status, batch.rows_imported) == ("imported", 1)
    assert FeedbackResponse.objects.count() == 1
    response = manager_client.post(f"/feedback/imports/{batch.pk}/restart/", follow=True)
    assert "только импорт, завершившийся ошибкой" in response.text


def test_a_failed_import_can_be_mapped_again(manager_client, office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False))
    _as_taken(batch, runner_pid=_dead_pid())
    manager_client.get(f"/feedback/imports/{batch.pk}/")
    assert manager_client.get(f"/feedback/imports/{batch.pk}/mapping/").status_code == 200


def test_cancel_drops_an_import_that_wrote_nothing(manager_client, office, mine):
    batch = mine(csv_bytes([feedback_row(), feedback_row(csat="0")]), confirm=False)
    response = manager_client.post(f"/feedback/imports/{batch.pk}/cancel/", follow=True)
    assert "Импорт отменён: ничего не записано." in response.text
    batch.refresh_from_db()
    assert (batch.status, batch.finished_at is not None) == ("cancelled", True)
    assert not batch.rejected_rows.exists()
    assert "Запустить заново" not in response.text
    assert "Отменить импорт" not in response.text
    # Nothing more can happen to it.
    assert not services.batch_confirm(batch=batch)
    assert not services.batch_restart(batch=batch)
    response = manager_client.get(f"/feedback/imports/{batch.pk}/mapping/", follow=True)
    assert "Этот импорт отменён: загрузите файл снова." in response.text
    assert ImportBatch.objects.get(pk=batch.pk).status == "cancelled"
    assert not FeedbackResponse.objects.exists()


def test_written_or_running_imports_cannot_be_cancelled(manager_client, office, mine):
    written = mine(csv_bytes([feedback_row()]))
    response = manager_client.post(f"/feedback/imports/{written.pk}/cancel/", follow=True)
    assert "нельзя отменить" in response.text
    running = _as_taken(_queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False)))
    assert not services.batch_cancel(batch=running)
    assert ImportBatch.objects.get(pk=written.pk).status == "imported"
    assert ImportBatch.objects.get(pk=running.pk).status == "validating"


def test_a_second_job_for_a_taken_phase_does_nothing(office, mine):
    batch = _as_taken(_queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False)))
    services.batch_run(batch.pk, "validate")
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read) == ("validating", 1)  # still the first job's


def test_a_job_given_up_for_dead_does_not_commit_its_writing(office, mine):
    batch = _queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False), "write")
    gone = {"runner_host": HOST, "runner_pid": 1, "runner_started_at": timezone.now()}
    _as_taken(batch, **gone)
    someone_else = {**gone, "runner_pid": 2}  # the batch was restarted meanwhile
    with pytest.raises(services.RunnerLost):
        services.batch_import(batch=batch, runner=someone_else)
    assert not FeedbackResponse.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == "running"


def test_a_check_given_up_for_dead_stops_and_keeps_no_rows(office, mine, monkeypatch):
    """The heartbeat finds the batch failed by a page view: the job stops at its next rows."""
    rows = [feedback_row(csat="0") for _i in range(2500)]
    batch = _queue_without_running(mine(csv_bytes(rows), confirm=False))
    real_call = services.Progress.__call__

    def call(self, count, **kwargs):
        if count == 1000:  # what a page view and then the heartbeat do meanwhile
            ImportBatch.objects.filter(pk=batch.pk).update(status="failed", error="прервалась")
            self.lost = True
        return real_call(self, count, **kwargs)

    monkeypatch.setattr(services.Progress, "__call__", call)
    monkeypatch.setattr(services, "REJECTED_CHUNK", 500)  # some rows reached the table
    batch = services.batch_run(batch.pk, "validate")
    assert (batch.status, batch.error) == ("failed", "прервалась")
    assert not batch.rejected_rows.exists()


def test_the_heartbeat_tells_a_job_it_lost_its_batch(office, mine):
    batch = _as_taken(_queue_without_running(mine(csv_bytes([feedback_row()]), confirm=False)))
    runner = {
        "runner_host": batch.runner_host,
        "runner_pid": batch.runner_pid,
        "runner_started_at": batch.runner_started_at,
    }
    progress = services.Progress()
    progress.rows = 42
    heartbeat = services.Heartbeat(batch.pk, runner, progress, phase="validate", interval=3600)
    try:
        heartbeat.beat()
        batch.refresh_from_db()
        assert (batch.rows_processed, progress.lost) == (42, False)
        ImportBatch.objects.filter(pk=batch.pk).update(status="failed")
        heartbeat.beat()
        assert progress.lost
        with pytest.raises(services.RunnerLost):
            progress(43)
    finally:
        heartbeat.stop()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_through_its_own_connection(office):
    batch = import_file(csv_bytes([feedback_row()]), confirm=False)
    batch = _as_taken(_queue_without_running(batch), heartbeat_at=_long_ago())
    runner = {
        "runner_host": batch.runner_host,
        "runner_pid": batch.runner_pid,
        "runner_started_at": batch.runner_started_at,
    }
    progress = services.Progress()
    progress.rows = 7
    heartbeat = services.Heartbeat(batch.pk, runner, progress, phase="validate", interval=0.05)
    try:
        for _i in range(200):
            batch.refresh_from_db()
            if batch.rows_processed == 7:
                break
            time.sleep(0.02)
    finally:
        heartbeat.stop()
    assert batch.rows_processed == 7
    assert timezone.now() - batch.heartbeat_at < dt.timedelta(seconds=10)
