"""Imports of client feedback and operational indicators, and their rollback.

The flow follows pretix's import: upload → map and preview the columns →
validate every row (a dry run that stores the rejected rows with their
reasons and counts duplicates) → confirm → write every good row in one
transaction, together with the monthly slices. Validation and writing run
in the background (see `batch_start`), so no request waits for a big file.

A background job records on its batch who runs it (host, process, start)
and, every few seconds, that it is still alive (`Heartbeat`). A busy batch
whose job is gone — killed, out of memory, its host lost — is marked failed
with the reason when its page is looked at (`batch_check_runner`), and can
then be restarted or cancelled; a job that was given up for dead and wakes
up again notices and stops without writing anything.
"""

import datetime as dt
import functools
import hashlib
import logging
import operator
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cases.services import cases_on_rollback, cases_open_for_batch
from feedback.aggregates import slices_refresh, touched_keys
from feedback.importers import (
    RESPONSE_COLUMNS,
    RESPONSE_FIELDS,
    checker_for,
    columns_for,
    mapping_guess,
)
from feedback.masking import comment_mask
from feedback.models import (
    FeedbackResponse,
    ImportBatch,
    OperationalIndicator,
    RejectedRow,
    ResponseTopic,
)
from feedback.tables import XLSX, TableError, TableInfo, cell_text, table_inspect, table_rows
from feedback.topics import BatchTagger, TermsStage, comment_terms

log = logging.getLogger(__name__)

REJECTED_CHUNK = 2000
KEY_CHECK_CHUNK = 5000
PHASES = tuple(ImportBatch.Phase.values)
RUNNERS = ("subprocess", "thread", "sync")
# The state a batch is in while each phase runs.
BUSY = {
    ImportBatch.Phase.VALIDATE: ImportBatch.Status.VALIDATING,
    ImportBatch.Phase.WRITE: ImportBatch.Status.RUNNING,
}


def max_upload_bytes():
    return getattr(settings, "FEEDBACK_IMPORT_MAX_MB", 200) * 1024 * 1024


def stale_seconds():
    """How long a job may stay silent before it is taken for dead."""
    return getattr(settings, "FEEDBACK_IMPORT_STALE_SECONDS", 60)


def heartbeat_seconds():
    """How often a job says it is alive (and how many rows it has done)."""
    return max(0.2, min(2.0, stale_seconds() / 10))


def write_chunk_size():
    # COPY makes big chunks cheap on PostgreSQL; SQLite prefers smaller ones.
    return 50_000 if connection.vendor == "postgresql" else 10_000


class RollbackError(Exception):
    """The batch cannot be rolled back; the message is for the person."""


class RunnerLost(Exception):
    """This job's batch was given up for dead or started again by someone else."""


# --- Upload and mapping ---------------------------------------------------------------


def upload_inspect(upload):
    """Check an uploaded file's size and that it is a readable table with
    rows; return its TableInfo. Raises TableError with a Russian message."""
    if upload.size == 0:
        raise TableError(_("Файл пустой (0 байт)."))
    limit = max_upload_bytes()
    if upload.size > limit:
        raise TableError(
            _("Файл больше %(limit)s МБ. Разделите его на части или загрузите командой сервера.")
            % {"limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    return table_inspect(upload)


def batch_create(*, kind, upload, user, info):
    """An ImportBatch for an uploaded and inspected file, with the columns
    matched by their headers where possible."""
    name = PurePath(upload.name).name[:255]
    batch = ImportBatch(
        kind=kind,
        original_name=name,
        created_by=user,
        mapping={"table": info.as_dict(), "columns": mapping_guess(kind, info.headers)},
    )
    stored = get_valid_filename(name) or "import"
    upload.seek(0)
    batch.file.save(stored, upload, save=False)
    batch.save()
    return batch


def batch_sheet_choose(*, batch, sheet):
    """Read another visible sheet of the batch's XLSX book: its headers are
    matched again and any earlier check of the other sheet is forgotten.
    Raises TableError (a Russian message) when that sheet holds no table."""
    with batch.file.open("rb") as handle:
        info = table_inspect(handle, sheet=sheet)
    batch.mapping = {"table": info.as_dict(), "columns": mapping_guess(batch.kind, info.headers)}
    batch.status = ImportBatch.Status.UPLOADED
    batch.rows_read = batch.rows_processed = batch.rows_rejected = batch.rows_duplicate = 0
    batch.rows_updated = 0
    batch.error = ""
    with transaction.atomic():
        RejectedRow.objects.filter(batch=batch).delete()
        batch.save(
            update_fields=[
                "mapping",
                "status",
                "rows_read",
                "rows_processed",
                "rows_rejected",
                "rows_duplicate",
                "rows_updated",
                "error",
            ]
        )
    return info


def mapping_missing(kind, columns):
    """Headers of the required columns the mapping leaves out."""
    return [
        str(column.header)
        for column in columns_for(kind)
        if column.required and columns.get(column.key) is None
    ]


def _queued(phase):
    """The fields of a batch whose ``phase`` is queued and not yet taken by a job."""
    return {
        "status": BUSY[phase],
        "phase": phase,
        "rows_processed": 0,
        "error": "",
        "finished_at": None,
        "runner_host": "",
        "runner_pid": None,
        "runner_started_at": None,
        # From now on the job has stale_seconds() to show up.
        "heartbeat_at": timezone.now(),
    }


def batch_map(*, batch, columns):
    """Save the person's column mapping and queue the validation."""
    batch.mapping = {**batch.mapping, "columns": columns}
    fields = _queued(ImportBatch.Phase.VALIDATE)
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=["mapping", *fields])
    batch_start(batch, ImportBatch.Phase.VALIDATE)


def batch_confirm(*, batch):
    """Queue the writing of a validated batch. False if it was not waiting
    for confirmation (a second click, or another person got there first)."""
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALIDATED).update(
        **_queued(ImportBatch.Phase.WRITE)
    )
    if started:
        batch_start(batch, ImportBatch.Phase.WRITE)
    return bool(started)


def batch_restart(*, batch):
    """Run the phase that failed once more, from the file kept with the
    batch. False if the batch has not failed (a second click)."""
    phase = batch.phase or ImportBatch.Phase.VALIDATE
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.FAILED).update(
        **_queued(phase)
    )
    if started:
        batch_start(batch, phase)
    return bool(started)


def batch_cancel(*, batch):
    """Drop a batch that wrote nothing: it stays in the journal as «отменён»
    with its file, without its rejected rows. False if it cannot be
    cancelled (running, written or rolled back)."""
    with transaction.atomic():
        cancelled = ImportBatch.objects.filter(
            pk=batch.pk, status__in=ImportBatch.CANCELLABLE
        ).update(status=ImportBatch.Status.CANCELLED, finished_at=timezone.now())
        if cancelled:
            RejectedRow.objects.filter(batch_id=batch.pk).delete()
    return bool(cancelled)


# --- Background jobs ------------------------------------------------------------------


def batch_start(batch, phase):
    """Run a phase of the import away from the request.

    FEEDBACK_IMPORT_RUNNER chooses how: ``subprocess`` (default) starts
    ``manage.py import_feedback --batch N --phase P`` in its own session, so
    the job survives the gunicorn worker that started it being recycled and
    keeps no state in any worker; ``thread`` runs it in a thread of this
    process (development server); ``sync`` runs it right here (tests).
    Everything the progress page shows is in the database.
    """
    runner = getattr(settings, "FEEDBACK_IMPORT_RUNNER", "subprocess")
    if runner not in RUNNERS:
        raise ImproperlyConfigured(
            f"FEEDBACK_IMPORT_RUNNER={runner!r}; use one of {', '.join(RUNNERS)}."
        )
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
        "import_feedback",
        "--batch",
        str(batch.pk),
        "--phase",
        phase,
    ]
    transaction.on_commit(lambda: _spawn(command))


def _spawn(command):
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


def _host():
    """This server's name as ImportBatch.runner_host holds it."""
    return socket.gethostname()[:255]


def _claim(batch_id, phase):
    """Take a queued phase of a batch for this process: the runner fields
    that identify this job from now on, or None if the batch is not waiting
    for this phase (cancelled, given up, or another job took it)."""
    runner = {
        "runner_host": _host(),
        "runner_pid": os.getpid(),
        "runner_started_at": timezone.now(),
    }
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status=BUSY[phase], phase=phase, runner_pid=None
    ).update(heartbeat_at=runner["runner_started_at"], **runner)
    return runner if claimed else None


def _owned(runner, phase):
    """The filter that matches a batch only while it is still this job's."""
    if runner is None:
        return {}
    return {"status": BUSY[phase], **runner}


def batch_run(batch_id, phase, *, on_progress=None):
    """Run one phase of a batch and record a failure on it instead of raising."""
    runner = _claim(batch_id, phase)
    batch = ImportBatch.objects.get(pk=batch_id)
    if runner is None:
        log.warning(
            "import batch %s is not waiting for its %s phase (%s): nothing done",
            batch_id,
            phase,
            batch.status,
        )
        return batch
    progress = Progress(on_progress=on_progress)
    # SQLite has one writer at a time: while the rows are written nobody,
    # the heartbeat included, can write; there the live process is the sign.
    heartbeat = None
    if not (phase == ImportBatch.Phase.WRITE and connection.vendor == "sqlite"):
        heartbeat = Heartbeat(batch.pk, runner, progress, phase=phase)
    try:
        if phase == ImportBatch.Phase.VALIDATE:
            batch_validate(batch=batch, progress=progress, runner=runner)
        else:
            batch_import(batch=batch, progress=progress, runner=runner)
    except RunnerLost:
        log.warning(
            "import batch %s: the %s job %s was given up for dead; it stopped, writing nothing",
            batch_id,
            phase,
            runner,
        )
        if phase == ImportBatch.Phase.VALIDATE:
            # Rows it may have added since; a restarted check clears them itself.
            RejectedRow.objects.filter(
                batch_id=batch_id,
                batch__status__in=[ImportBatch.Status.FAILED, ImportBatch.Status.CANCELLED],
            ).delete()
    except TableError as error:
        batch_fail(batch, str(error), phase=phase, runner=runner)
    except Exception as error:
        # The job runs with nobody watching: whatever went wrong must end up
        # on the batch's page (and in the log), never leave it «выполняется».
        log.exception("feedback import %s of batch %s failed", phase, batch_id)
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
        if heartbeat is not None:
            heartbeat.stop()
    batch.refresh_from_db()
    return batch


def batch_fail(batch, message, *, phase, runner=None):
    """Mark a batch failed with a message for the person (while it is still
    this job's, when ``runner`` is given); a failed check keeps no rows."""
    with transaction.atomic():
        failed = ImportBatch.objects.filter(pk=batch.pk, **_owned(runner, phase)).update(
            status=ImportBatch.Status.FAILED, error=message, finished_at=timezone.now()
        )
        if failed and phase == ImportBatch.Phase.VALIDATE:
            RejectedRow.objects.filter(batch=batch).delete()


class Progress:
    """The rows a phase has done: the heartbeat records them on the batch,
    the command's progress bar is drawn from them at most once a second.
    Raises RunnerLost when the heartbeat learnt that the batch is no longer
    this job's, so that the job stops within seconds."""

    def __init__(self, *, on_progress=None, interval=1.0):
        self.on_progress = on_progress
        self.interval = interval
        self.share = None  # set by table_rows: a callable giving the share read
        self.rows = 0
        self.lost = False
        self._last = 0.0

    def __call__(self, rows, *, force=False):
        self.rows = rows
        if self.lost:
            raise RunnerLost
        if self.on_progress is None:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self.on_progress(rows, self.share() if self.share else None)


class Heartbeat:
    """A thread of the job that every `heartbeat_seconds` records on the
    batch that the job is alive, with the rows done so far.

    It writes through a connection of its own: the job's connection may be
    inside the long transaction of writing, whose changes nobody sees until
    the end (on PostgreSQL; SQLite gets no heartbeat while writing, see
    `batch_run`). The update matches only while the batch is still this
    job's; when it no longer does, the job is told to stop (`Progress`).
    """

    def __init__(self, batch_id, runner, progress, *, phase, interval=None):
        self.batch_id = batch_id
        self.owned = _owned(runner, phase)
        self.progress = progress
        self.interval = interval or heartbeat_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"feedback-heartbeat-{batch_id}", daemon=True
        )
        self._thread.start()

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connection

    def beat(self):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        # Better a missed beat than a job stuck behind a row lock.
                        cursor.execute("SET LOCAL lock_timeout = '1s'")
                beaten = ImportBatch.objects.filter(pk=self.batch_id, **self.owned).update(
                    heartbeat_at=timezone.now(), rows_processed=self.progress.rows
                )
            # A batch this connection cannot see (not committed yet) is not lost.
            if not beaten and ImportBatch.objects.filter(pk=self.batch_id).exists():
                self.progress.lost = True
                self._stop.set()
        except DatabaseError as error:
            # Expected now and then: while the job commits, its transaction
            # holds the batch's row. A job that never beats is judged stale.
            log.info("heartbeat of import batch %s not recorded: %s", self.batch_id, error)

    def stop(self):
        self._stop.set()
        self._thread.join()


def batch_check_runner(*, batch, now=None):
    """If ``batch`` is busy but its job is gone, mark it failed saying why
    (its partial rejected rows go too). Returns the batch, updated."""
    if not batch.is_busy:
        return batch
    now = now or timezone.now()
    reason = runner_gone(batch, now=now)
    if reason is None:
        return batch
    message = _("Обработка прервалась: %(reason)s.") % {"reason": reason}
    seen = {
        "status": batch.status,
        "runner_host": batch.runner_host,
        "runner_pid": batch.runner_pid,
        "runner_started_at": batch.runner_started_at,
    }
    with transaction.atomic():
        # Only the very state judged: a job that just took it, or finished, wins.
        marked = ImportBatch.objects.filter(pk=batch.pk, **seen).update(
            status=ImportBatch.Status.FAILED, error=message, finished_at=now
        )
        if marked and batch.status == ImportBatch.Status.VALIDATING:
            RejectedRow.objects.filter(batch_id=batch.pk).delete()
    if marked:
        log.warning("import batch %s marked failed: %s", batch.pk, message)
        batch.status, batch.error, batch.finished_at = ImportBatch.Status.FAILED, message, now
    else:
        batch.refresh_from_db(fields=["status", "error", "finished_at", "rows_processed"])
    return batch


def batches_check_runners():
    """Check every busy batch (`batch_check_runner`); the ones marked failed."""
    marked = []
    for batch in ImportBatch.objects.filter(status__in=BUSY.values()).defer("mapping", "replaced"):
        if batch_check_runner(batch=batch).status == ImportBatch.Status.FAILED:
            marked.append(batch)
    return marked


def runner_gone(batch, *, now):
    """Why the job of a busy batch is no longer working on it, in Russian,
    or None while it may be."""
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
                    "фоновая задача не запустилась за %(seconds)s с; запустите обработку заново, "
                    "а если так повторится — сообщите администратору портала"
                )
                % names
            )
        return None
    here = batch.runner_host == _host()
    if here and not process_alive(batch.runner_pid, since=batch.runner_started_at):
        return (
            _(
                "процесс %(pid)s на сервере %(host)s завершился, не закончив работу (его "
                "остановили, или серверу не хватило памяти)"
            )
            % names
        )
    if here and batch.status == ImportBatch.Status.RUNNING and connection.vendor == "sqlite":
        return None  # no heartbeat while SQLite writes; the process is alive
    if silent:
        return (
            _("процесс %(pid)s на сервере %(host)s не подаёт признаков работы с %(time)s") % names
        )
    return None


def process_alive(pid, *, since=None):
    """Whether process ``pid`` of this host is running. Where /proc tells,
    a zombie (killed, not yet reaped by its parent) is dead, and so is a
    process that started after ``since``: the pid was reused."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists and belongs to another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: the signal is all we know
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in {"Z", "X"}:
        return False
    boot = _boot_time()
    if since is not None and boot is not None:
        started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
        if started > since.timestamp() + 2:
            return False
    return True


@functools.cache
def _boot_time():
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return int(line.split()[1])
    except OSError:
        pass
    return None


# --- Validation and writing -----------------------------------------------------------


@dataclass
class Outcome:
    read: int = 0
    rejected: int = 0
    duplicate: int = 0
    imported: int = 0
    updated: int = 0
    keys: set = field(default_factory=set)
    cases: int = 0
    links: int = 0
    replaced: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def batch_validate(*, batch, progress=None, runner=None):
    """The dry run: check every row, keep the rejected ones, count the
    duplicates; write no response. Leaves the batch «проверен».

    Rejected rows of an earlier attempt are deleted first, so a check run
    again after a crash never doubles them."""
    RejectedRow.objects.filter(batch=batch).delete()
    outcome = _process(batch, write=False, progress=progress)
    done = ImportBatch.objects.filter(
        pk=batch.pk, **_owned(runner, ImportBatch.Phase.VALIDATE)
    ).update(
        status=ImportBatch.Status.VALIDATED,
        rows_read=outcome.read,
        rows_processed=outcome.read,
        rows_rejected=outcome.rejected,
        rows_duplicate=outcome.duplicate,
        rows_updated=outcome.updated,
        error="",
    )
    if not done:
        raise RunnerLost
    batch.refresh_from_db()
    return outcome


def batch_import(*, batch, progress=None, runner=None):
    """Check and write every row in one transaction, with the monthly
    slices of the touched months and offices: all of it, or nothing."""
    started = time.perf_counter()
    with transaction.atomic():
        RejectedRow.objects.filter(batch=batch).delete()
        # Topics are matched in the row pass (the terms are at hand there)
        # and their links written from the stored rows at its end.
        tagger = BatchTagger() if batch.kind == ImportBatch.Kind.FEEDBACK else None
        outcome = _process(batch, write=True, progress=progress, tagger=tagger)
        outcome.timings["rows"] = time.perf_counter() - started
        if outcome.keys:
            slices_refresh(keys=outcome.keys)
        outcome.timings["slices"] = time.perf_counter() - started - outcome.timings["rows"]
        # Cases of the negative answers, in this transaction: all or nothing with the rows.
        outcome.cases = cases_open_for_batch(batch=batch)
        outcome.timings["cases"] = (
            time.perf_counter() - started - outcome.timings["rows"] - outcome.timings["slices"]
        )
        done = ImportBatch.objects.filter(
            pk=batch.pk, **_owned(runner, ImportBatch.Phase.WRITE)
        ).update(
            status=ImportBatch.Status.IMPORTED,
            rows_read=outcome.read,
            rows_processed=outcome.read,
            rows_rejected=outcome.rejected,
            rows_duplicate=outcome.duplicate,
            rows_imported=outcome.imported,
            rows_updated=outcome.updated,
            replaced=outcome.replaced,
            finished_at=timezone.now(),
            error="",
        )
        if not done:
            raise RunnerLost  # rolls every row back: the batch is someone else's now
        commit_started = time.perf_counter()
    outcome.timings["commit"] = time.perf_counter() - commit_started
    log.info(
        "import batch %s: %s rows in %.1f s (rows %.1f s, of which writing %.1f s, "
        "%s topic links %.1f s of it; slices %.1f s; %s cases %.1f s; commit %.1f s)",
        batch.pk,
        outcome.read,
        time.perf_counter() - started,
        outcome.timings["rows"],
        outcome.timings.get("write", 0),
        outcome.links,
        outcome.timings.get("links", 0),
        outcome.timings["slices"],
        outcome.cases,
        outcome.timings["cases"],
        outcome.timings["commit"],
    )
    batch.refresh_from_db()
    return outcome


def _process(batch, *, write, progress, tagger=None):
    info = TableInfo.from_dict(batch.mapping["table"])
    checker = checker_for(
        batch.kind, batch.mapping.get("columns", {}), formulas=info.format == XLSX
    )
    handler = (
        _FeedbackRows(batch, write=write, tagger=tagger)
        if batch.kind == ImportBatch.Kind.FEEDBACK
        else _IndicatorRows(batch, write=write)
    )
    rejected = []
    outcome = handler.outcome
    # A rejected row is kept for correction, but its comment masked like a
    # stored one: the raw text of a comment is never kept.
    comment_index = (
        checker.mapping.get("comment") if batch.kind == ImportBatch.Kind.FEEDBACK else None
    )
    try:
        with batch.file.open("rb") as fileobj:
            for number, cells in table_rows(fileobj, info, progress=progress):
                outcome.read += 1
                values, reasons = checker.check(cells)
                reasons = list(reasons) if values is None else handler.add(number, values)
                if reasons:
                    outcome.rejected += 1
                    kept = [cell_text(cell) for cell in cells]
                    if comment_index is not None and comment_index < len(kept):
                        kept[comment_index] = comment_mask(kept[comment_index])
                    rejected.append(
                        RejectedRow(
                            batch_id=batch.pk,
                            row_number=number,
                            values=kept,
                            reasons="\n".join(reasons),
                        )
                    )
                    if len(rejected) >= REJECTED_CHUNK:
                        RejectedRow.objects.bulk_create(rejected)
                        rejected = []
                if progress is not None and outcome.read % 1000 == 0:
                    progress(outcome.read)
        RejectedRow.objects.bulk_create(rejected)
        handler.finish()
    except BaseException:
        handler.abort()  # stop the writing thread before the transaction rolls back
        raise
    if progress is not None:
        progress(outcome.read, force=True)
    return outcome


class _FeedbackRows:
    """Deduplicates and writes (or, in a dry run, counts) good responses."""

    def __init__(self, batch, *, write, tagger=None):
        self.batch = batch
        self.write = write
        self.tagger = tagger
        self.outcome = Outcome()
        self.seen = set()
        self.pending = []
        # (terms, topic ids) of the comments of pending rows whose terms
        # this import has not staged yet, when it tags them.
        self.pairs = [] if tagger else None
        self.chunk = write_chunk_size() if write else KEY_CHECK_CHUNK
        self.writer = None
        self.written = 0
        if write:
            writer = _ResponseWriter()
            # On PostgreSQL the database inserts one chunk while Python
            # checks the next; SQLite connections stay in their thread.
            self.writer = _ThreadedWriter(writer) if writer.vendor == "postgresql" else writer

    def add(self, number, values):
        # 64 bits of the sha256 are plenty to spot repeats within one file;
        # the database's unique key on the whole hash has the last word.
        short = int(values["dedup_key"][:16], 16)
        if short in self.seen:
            self.outcome.duplicate += 1
            return None
        self.seen.add(short)
        self.outcome.keys.add((values["month"], values["office_id"]))
        if self.write:
            values["batch_id"] = self.batch.pk
            self.pending.append(_response_row(values))
            if self.pairs is not None:
                terms = values["comment_terms"]
                if topic_ids := self.tagger.new_topics(terms):
                    self.pairs.append((terms, topic_ids))
        else:
            self.pending.append(values["dedup_key"])
        if len(self.pending) >= self.chunk:
            self._flush()
        return None

    def _flush(self):
        if not self.pending:
            return
        if self.write:
            self.written += len(self.pending)
            self.writer.write(self.pending, self.pairs)
            if self.pairs is not None:
                self.pairs = []
        else:
            existing = FeedbackResponse.objects.filter(dedup_key__in=self.pending).count()
            self.outcome.duplicate += existing
        self.pending = []

    def finish(self):
        self._flush()
        if self.write:
            self.writer.close()
            self.outcome.imported = self.writer.inserted
            self.outcome.duplicate += self.written - self.writer.inserted
            self.outcome.timings["write"] = self.writer.seconds
            if self.pairs is not None:
                started = time.perf_counter()
                self.outcome.links = self.writer.stage.links_insert(batch_id=self.batch.pk)
                self.outcome.timings["links"] = time.perf_counter() - started

    def abort(self):
        if self.write:
            self.writer.abort()


class _ThreadedWriter:
    """Hands chunks of rows to a _ResponseWriter in a second thread.

    Both threads use the one connection of the import's transaction (Django
    allows it after ``inc_thread_sharing``; psycopg serialises its use), so
    the rows still commit or roll back together. The queue holds at most
    two chunks, which bounds the memory. An error in the thread is raised in
    the importing thread at the next chunk or at the end.
    """

    def __init__(self, writer):
        self.writer = writer
        self.queue = queue.Queue(maxsize=2)
        self.error = None
        writer.connection.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, name="feedback-writer", daemon=True)
        self.thread.start()

    @property
    def inserted(self):
        return self.writer.inserted

    @property
    def seconds(self):
        return self.writer.seconds

    @property
    def stage(self):
        return self.writer.stage

    def _run(self):
        while (chunk := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.writer.write(*chunk)
                except BaseException as error:
                    self.error = error

    def write(self, rows, pairs=None):
        self._raise()
        self.queue.put((rows, pairs))

    def close(self):
        self._stop()
        self._raise()

    def abort(self):
        self._stop()

    def _stop(self):
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
            self.writer.connection.dec_thread_sharing()

    def _raise(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error


_response_row = operator.itemgetter(*RESPONSE_FIELDS)
_DEDUP = RESPONSE_FIELDS.index("dedup_key")
_BATCH = RESPONSE_FIELDS.index("batch_id")


class _ResponseWriter:
    """Inserts rows of responses, skipping any whose dedup_key exists, and
    stages the topics of their comments' terms.

    ``ON CONFLICT (dedup_key) DO NOTHING`` makes two imports running at once
    safe: the second waits for the first's transaction and then skips what
    it wrote. On PostgreSQL the rows go through COPY into a temporary table
    first, the fastest way in; SQLite gets an executemany. The topic links
    are written from the stored rows at the end (`TermsStage.links_insert`),
    so no id is read back.
    """

    table = FeedbackResponse._meta.db_table
    staging = "feedback_import_stage"

    def __init__(self):
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.vendor = self.connection.vendor
        self.inserted = 0
        self.seconds = 0.0
        self.stage = TermsStage(self.connection)
        self.columns = ", ".join(self.connection.ops.quote_name(name) for name in RESPONSE_COLUMNS)
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                # Names come from the model, never from the file.
                create = (
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} ON COMMIT DROP AS "  # noqa: S608
                    f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
                )
                cursor.execute(create)
                cursor.execute(f"TRUNCATE {self.staging}")
        else:
            self.submitted = RESPONSE_FIELDS.index("submitted_at")
            self.month = RESPONSE_FIELDS.index("month")

    def write(self, rows, pairs=None):
        """Insert ``rows`` (tuples of RESPONSE_FIELDS) and stage ``pairs``
        ((terms, topic ids) of their comments not staged yet)."""
        started = time.perf_counter()
        self.inserted += self._insert(rows)
        for terms, topic_ids in pairs or ():
            self.stage.add(terms, topic_ids)
        self.seconds += time.perf_counter() - started

    def close(self):
        pass

    def abort(self):
        pass

    def _insert(self, rows):
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.staging} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) SELECT {self.columns} "  # noqa: S608
                    f"FROM {self.staging} ON CONFLICT (dedup_key) DO NOTHING"
                )
                inserted = cursor.rowcount
                cursor.execute(f"TRUNCATE {self.staging}")
                return inserted
            placeholders = ", ".join(["%s"] * len(RESPONSE_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders}) "  # noqa: S608
                "ON CONFLICT (dedup_key) DO NOTHING",
                [self._sqlite_row(row) for row in rows],
            )
            return cursor.rowcount

    def _sqlite_row(self, row):
        row = list(row)
        # As Django stores them in SQLite: UTC without zone, ISO dates.
        row[self.submitted] = str(row[self.submitted].astimezone(dt.UTC).replace(tzinfo=None))
        row[self.month] = row[self.month].isoformat()
        return row


class _IndicatorRows:
    """Collects indicator values; writing inserts new ones and updates the
    value of an office × month × code that exists, remembering the old value
    so that a rollback can restore it."""

    def __init__(self, batch, *, write):
        self.batch = batch
        self.write = write
        self.outcome = Outcome()
        self.rows = {}

    def add(self, number, values):
        key = (values["office_id"], values["month"], values["code"])
        previous = self.rows.get(key)
        if previous is not None:
            if previous[0] == values["value"]:
                self.outcome.duplicate += 1
                return None
            return [
                _(
                    "Показатель этого подразделения за этот месяц уже задан в строке %(number)s "
                    "другим значением (%(value)s)."
                )
                % {"number": previous[1], "value": previous[0]}
            ]
        self.rows[key] = (values["value"], number)
        return None

    def finish(self):
        if not self.rows:
            return
        offices = {key[0] for key in self.rows}
        months = {key[1] for key in self.rows}
        existing = {
            (row.office_id, row.month, row.code): row
            for row in OperationalIndicator.objects.filter(office_id__in=offices, month__in=months)
        }
        new, changed = [], []
        for key, (value, _number) in self.rows.items():
            row = existing.get(key)
            if row is None:
                new.append(
                    OperationalIndicator(
                        office_id=key[0], month=key[1], code=key[2], value=value, batch=self.batch
                    )
                )
            elif row.value == value:
                self.outcome.duplicate += 1
            else:
                self.outcome.replaced.append(
                    [row.office_id, row.month.isoformat(), row.code, str(row.value), row.batch_id]
                )
                row.value = value
                row.batch = self.batch
                changed.append(row)
        self.outcome.imported = len(new) + len(changed)
        self.outcome.updated = len(changed)
        if self.write:
            OperationalIndicator.objects.bulk_create(new, batch_size=5000)
            OperationalIndicator.objects.bulk_update(changed, ["value", "batch"], batch_size=2000)

    def abort(self):
        pass


# --- Rollback -------------------------------------------------------------------------


def batch_rollback(*, batch, user):
    """Remove everything a batch wrote, in one transaction with the slices;
    indicator values it overwrote get their old values back."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.IMPORTED:
            raise RollbackError(_("Откатить можно только завершённый импорт."))
        responses = FeedbackResponse.objects.filter(batch=batch)
        keys = touched_keys(responses)
        cases_on_rollback(batch=batch, user=user)
        # The topic links first, in one statement, rather than by the
        # response ids the cascade would collect.
        ResponseTopic.objects.filter(response__batch=batch).delete()
        responses.delete()
        if keys:
            slices_refresh(keys=keys)
        OperationalIndicator.objects.filter(batch=batch).delete()
        if batch.replaced:
            live_batches = set(
                ImportBatch.objects.filter(
                    pk__in={entry[4] for entry in batch.replaced if entry[4]}
                ).values_list("pk", flat=True)
            )
            OperationalIndicator.objects.bulk_create(
                [
                    OperationalIndicator(
                        office_id=office_id,
                        month=dt.date.fromisoformat(month),
                        code=code,
                        value=value,
                        batch_id=old_batch if old_batch in live_batches else None,
                    )
                    for office_id, month, code, value, old_batch in batch.replaced
                ],
                # A later import may have set the value again: that one stays.
                ignore_conflicts=True,
            )
        batch.status = ImportBatch.Status.ROLLED_BACK
        batch.rolled_back_at = timezone.now()
        batch.rolled_back_by = user
        batch.save(update_fields=["status", "rolled_back_at", "rolled_back_by"])
    return batch


@transaction.atomic
def responses_insert(values):
    """Insert responses given as dicts of RESPONSE_FIELDS (demo data, benchmarks)
    the fast way the import does; rows whose dedup_key exists are skipped.
    Comments are masked and analysed as the import does when the dict has
    no ``comment_terms``. Returns how many were inserted. The caller
    refreshes the slices and tags the topics (`topics_reapply`)."""
    writer = _ResponseWriter()
    chunk = []
    for row in values:
        if "comment_terms" not in row:
            row["comment"] = comment_mask(row.get("comment") or "")
            row["comment_terms"] = comment_terms(row["comment"])
        chunk.append(_response_row(row))
        if len(chunk) >= write_chunk_size():
            writer.write(chunk)
            chunk = []
    if chunk:
        writer.write(chunk)
    return writer.inserted


def dedup_key_of(source, external_id):
    """The dedup key of a response with an id in its source (demo data, tests)."""
    return hashlib.sha256(f"{source}|{external_id}".encode()).hexdigest()
