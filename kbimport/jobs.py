"""Running an import's check and writing away from the request.

The approach of the feedback import (feedback.services): the batch row says
which phase is queued, who runs it (host, process, start) and, every second
or so, that the job is alive and how far it got. A job that died — killed,
out of memory, its host lost — is noticed when the batch's page is looked at
(`batch_check_runner`) and the batch can be restarted; a job that was given
up for dead and wakes up notices it and stops without writing anything.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, close_old_connections, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.services import process_alive
from kbimport.models import KbImportBatch

log = logging.getLogger(__name__)

RUNNERS = ("subprocess", "thread", "sync")
BUSY = {
    KbImportBatch.Phase.CHECK: KbImportBatch.Status.CHECKING,
    KbImportBatch.Phase.WRITE: KbImportBatch.Status.RUNNING,
}


class RunnerLost(Exception):
    """This job's batch was given up for dead or taken by another job."""


def stale_seconds():
    return settings.KB_IMPORT_STALE_SECONDS


def heartbeat_seconds():
    return max(0.2, min(2.0, stale_seconds() / 10))


def queued(phase):
    """The fields of a batch whose ``phase`` waits for a job."""
    return {
        "status": BUSY[phase],
        "phase": phase,
        "step": "",
        "files_done": 0,
        "error": "",
        "finished_at": None,
        "runner_host": "",
        "runner_pid": None,
        "runner_started_at": None,
        "heartbeat_at": timezone.now(),
    }


def batch_start(batch, phase):
    """Run ``phase`` of ``batch`` as KB_IMPORT_RUNNER says: ``subprocess``
    (``manage.py import_kb --batch N --phase P`` in its own session, which
    outlives the worker that started it), ``thread`` (the development
    server) or ``sync`` (tests, right here)."""
    runner = settings.KB_IMPORT_RUNNER
    if runner not in RUNNERS:
        raise ImproperlyConfigured(f"KB_IMPORT_RUNNER={runner!r}; use one of {', '.join(RUNNERS)}.")
    if runner == "sync":
        batch_run(batch.pk, phase)
        return
    if runner == "thread":
        thread = threading.Thread(target=_thread_run, args=(batch.pk, phase), daemon=True)
        transaction.on_commit(thread.start)
        return
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "import_kb",
        "--batch",
        str(batch.pk),
        "--phase",
        phase,
    ]
    transaction.on_commit(lambda: spawn(command))


def spawn(command):
    subprocess.Popen(  # noqa: S603 - our own fixed command line, no shell
        command,
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _thread_run(batch_id, phase):
    close_old_connections()
    try:
        batch_run(batch_id, phase)
    finally:
        connection.close()


def host():
    return socket.gethostname()[:255]


def _claim(batch_id, phase):
    runner = {"runner_host": host(), "runner_pid": os.getpid(), "runner_started_at": timezone.now()}
    claimed = KbImportBatch.objects.filter(
        pk=batch_id, status=BUSY[phase], phase=phase, runner_pid=None
    ).update(heartbeat_at=runner["runner_started_at"], **runner)
    return runner if claimed else None


def owned(runner, phase):
    """The filter matching the batch only while it is still this job's."""
    if runner is None:
        return {}
    return {"status": BUSY[phase], **runner}


def batch_run(batch_id, phase, *, on_progress=None):
    """Run one phase of a batch; a failure is recorded on it, not raised."""
    from kbimport import services  # the phases live there; they use this module

    runner = _claim(batch_id, phase)
    batch = KbImportBatch.objects.get(pk=batch_id)
    if runner is None:
        log.warning(
            "kb import %s is not waiting for its %s phase (%s)", batch_id, phase, batch.status
        )
        return batch
    progress = Progress(on_progress=on_progress)
    heartbeat = Heartbeat(batch.pk, runner, progress, phase=phase)
    try:
        if phase == KbImportBatch.Phase.CHECK:
            services.batch_check(batch=batch, progress=progress, runner=runner)
        else:
            services.batch_write(batch=batch, progress=progress, runner=runner)
    except RunnerLost:
        log.warning("kb import %s: the %s job was given up for dead; it stopped", batch_id, phase)
    except services.ImportRefused as error:
        batch_fail(batch, str(error), phase=phase, runner=runner)
    except Exception as error:
        # Nobody watches the job: whatever went wrong must reach the page.
        log.exception("kb import %s of batch %s failed", phase, batch_id)
        batch_fail(
            batch,
            _(
                "Внутренняя ошибка при импорте (%(error)s). Ничего не записано; "
                "сообщите администратору портала."
            )
            % {"error": type(error).__name__},
            phase=phase,
            runner=runner,
        )
    finally:
        heartbeat.stop()
    batch.refresh_from_db()
    return batch


def batch_fail(batch, message, *, phase, runner=None):
    KbImportBatch.objects.filter(pk=batch.pk, **owned(runner, phase)).update(
        status=KbImportBatch.Status.FAILED, error=message, finished_at=timezone.now(), step=""
    )


class Progress:
    """How far the job got: the step, files done of how many. The
    heartbeat records it; the command draws its progress bar from it."""

    def __init__(self, *, on_progress=None, interval=1.0):
        self.on_progress = on_progress
        self.interval = interval
        self.step = ""
        self.total = 0
        self.done = 0
        self.lost = False
        # SQLite has one writer: inside the import's transaction nobody else,
        # the heartbeat included, can write (the live process is the sign).
        self.writing = False
        self._last = 0.0

    def start(self, step, total):
        self.step, self.total, self.done = step, total, 0
        self(0, force=True)

    def __call__(self, done, *, force=False):
        self.done = done
        if self.lost:
            raise RunnerLost
        if self.on_progress is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            self.on_progress(self.step, done, self.total)


class Heartbeat:
    """A thread recording, through a connection of its own, that the job is
    alive and how far it got; when the batch is no longer this job's it
    tells the job to stop (`Progress`)."""

    def __init__(self, batch_id, runner, progress, *, phase, interval=None):
        self.batch_id = batch_id
        self.owned = owned(runner, phase)
        self.progress = progress
        self.interval = interval or heartbeat_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"kbimport-heartbeat-{batch_id}", daemon=True
        )
        self._thread.start()

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()

    def beat(self):
        if self.progress.writing and connection.vendor == "sqlite":
            return
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '1s'")
                beaten = KbImportBatch.objects.filter(pk=self.batch_id, **self.owned).update(
                    heartbeat_at=timezone.now(),
                    step=self.progress.step,
                    files_done=self.progress.done,
                    files_total=self.progress.total,
                )
            if not beaten and KbImportBatch.objects.filter(pk=self.batch_id).exists():
                self.progress.lost = True
                self._stop.set()
        except DatabaseError as error:
            log.info("heartbeat of kb import %s not recorded: %s", self.batch_id, error)

    def stop(self):
        self._stop.set()
        self._thread.join()


def runner_gone(batch, *, now):
    """Why the job of a busy batch no longer works on it (Russian), or None."""
    last = batch.heartbeat_at or batch.created_at
    silent = (now - last).total_seconds() > stale_seconds()
    names = {
        "pid": batch.runner_pid,
        "host": batch.runner_host,
        "seconds": stale_seconds(),
        "time": timezone.localtime(last).strftime("%d.%m.%Y %H:%M:%S"),
    }
    if batch.runner_pid is None:
        if silent:
            return (
                _(
                    "фоновая задача не запустилась за %(seconds)s с; запустите импорт заново, "
                    "а если так повторится — сообщите администратору портала"
                )
                % names
            )
        return None
    here = batch.runner_host == host()
    if here and not process_alive(batch.runner_pid, since=batch.runner_started_at):
        return (
            _(
                "процесс %(pid)s на сервере %(host)s завершился, не закончив работу (его "
                "остановили, или серверу не хватило памяти)"
            )
            % names
        )
    if here and batch.step == KbImportBatch.Step.WRITE and connection.vendor == "sqlite":
        return None  # no heartbeat while SQLite writes; the process is alive
    if silent:
        return (
            _("процесс %(pid)s на сервере %(host)s не подаёт признаков работы с %(time)s") % names
        )
    return None


def batch_check_runner(*, batch, now=None):
    """A busy batch whose job is gone is marked failed, saying why."""
    if not batch.is_busy:
        return batch
    now = now or timezone.now()
    reason = runner_gone(batch, now=now)
    if reason is None:
        return batch
    message = _("Импорт прервался: %(reason)s. Ничего не записано.") % {"reason": reason}
    seen = {
        "status": batch.status,
        "runner_host": batch.runner_host,
        "runner_pid": batch.runner_pid,
        "runner_started_at": batch.runner_started_at,
    }
    marked = KbImportBatch.objects.filter(pk=batch.pk, **seen).update(
        status=KbImportBatch.Status.FAILED, error=message, finished_at=now
    )
    if marked:
        log.warning("kb import %s marked failed: %s", batch.pk, message)
        batch.status, batch.error, batch.finished_at = KbImportBatch.Status.FAILED, message, now
    else:
        batch.refresh_from_db()
    return batch
