"""Imports of client feedback and operational indicators, and their rollback.

The flow follows pretix's import: upload → map and preview the columns →
validate every row (a dry run that stores the rejected rows with their
reasons and counts duplicates) → confirm → write every good row in one
transaction, together with the monthly slices. Validation and writing run
in the background (see `batch_start`), so no request waits for a big file.
"""

import datetime as dt
import hashlib
import logging
import operator
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import PurePath

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

from feedback.aggregates import slices_refresh, touched_keys
from feedback.importers import (
    RESPONSE_COLUMNS,
    RESPONSE_FIELDS,
    checker_for,
    columns_for,
    mapping_guess,
)
from feedback.models import FeedbackResponse, ImportBatch, OperationalIndicator, RejectedRow
from feedback.tables import TableError, TableInfo, cell_text, table_inspect, table_rows

log = logging.getLogger(__name__)

REJECTED_CHUNK = 2000
KEY_CHECK_CHUNK = 5000
PHASES = ("validate", "write")
RUNNERS = ("subprocess", "thread", "sync")


def max_upload_bytes():
    return getattr(settings, "FEEDBACK_IMPORT_MAX_MB", 200) * 1024 * 1024


def write_chunk_size():
    # COPY makes big chunks cheap on PostgreSQL; SQLite prefers smaller ones.
    return 50_000 if connection.vendor == "postgresql" else 10_000


class RollbackError(Exception):
    """The batch cannot be rolled back; the message is for the person."""


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


def mapping_missing(kind, columns):
    """Headers of the required columns the mapping leaves out."""
    return [
        str(column.header)
        for column in columns_for(kind)
        if column.required and columns.get(column.key) is None
    ]


def batch_map(*, batch, columns):
    """Save the person's column mapping and queue the validation."""
    batch.mapping = {**batch.mapping, "columns": columns}
    batch.status = ImportBatch.Status.VALIDATING
    batch.rows_processed = 0
    batch.error = ""
    batch.save(update_fields=["mapping", "status", "rows_processed", "error"])
    batch_start(batch, "validate")


def batch_confirm(*, batch):
    """Queue the writing of a validated batch. False if it was not waiting
    for confirmation (a second click, or another person got there first)."""
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALIDATED).update(
        status=ImportBatch.Status.RUNNING, rows_processed=0
    )
    if started:
        batch_start(batch, "write")
    return bool(started)


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


def batch_run(batch_id, phase, *, on_progress=None):
    """Run one phase of a batch and record a failure on it instead of raising."""
    batch = ImportBatch.objects.get(pk=batch_id)
    separate = phase == "write" and connection.vendor == "postgresql"
    progress = Progress(batch.pk, separate_connection=separate, on_progress=on_progress)
    try:
        if phase == "validate":
            batch_validate(batch=batch, progress=progress)
        else:
            batch_import(batch=batch, progress=progress)
    except TableError as error:
        batch_fail(batch, str(error), phase=phase)
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
        )
    finally:
        progress.close()
    batch.refresh_from_db()
    return batch


def batch_fail(batch, message, *, phase):
    if phase == "validate":
        RejectedRow.objects.filter(batch=batch).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, error=message, finished_at=timezone.now()
    )


class Progress:
    """Writes how many rows are done into ImportBatch.rows_processed, at
    most once a second.

    While the rows are written, the import's transaction is open, and what
    it writes is invisible to others; on PostgreSQL the count then goes
    through a connection of its own. SQLite allows one writer at a time, so
    there the page shows the writing without a count.
    """

    def __init__(self, batch_id, *, separate_connection=False, on_progress=None, interval=1.0):
        self.batch_id = batch_id
        self.separate_connection = separate_connection
        self.on_progress = on_progress
        self.interval = interval
        self.share = None  # set by table_rows: a callable giving the share read
        self._last = 0.0
        self._connection = None

    def __call__(self, rows, *, force=False):
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        if self.on_progress is not None:
            self.on_progress(rows, self.share() if self.share else None)
        if self.separate_connection:
            self._write_aside(rows)
        elif not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=self.batch_id).update(rows_processed=rows)

    def _write_aside(self, rows):
        try:
            if self._connection is None:
                self._connection = connections.create_connection("default")
                with self._connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '1s'")
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportBatch._meta.db_table} SET rows_processed = %s WHERE id = %s",  # noqa: S608
                    [rows, self.batch_id],
                )
        except DatabaseError:
            # Progress is a courtesy: the import itself must not fail for it.
            log.warning("could not record the progress of import batch %s", self.batch_id)

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- Validation and writing -----------------------------------------------------------


@dataclass
class Outcome:
    read: int = 0
    rejected: int = 0
    duplicate: int = 0
    imported: int = 0
    updated: int = 0
    keys: set = field(default_factory=set)
    replaced: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def batch_validate(*, batch, progress=None):
    """The dry run: check every row, keep the rejected ones, count the
    duplicates; write no response. Leaves the batch «проверен»."""
    RejectedRow.objects.filter(batch=batch).delete()
    outcome = _process(batch, write=False, progress=progress)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.VALIDATED,
        rows_read=outcome.read,
        rows_processed=outcome.read,
        rows_rejected=outcome.rejected,
        rows_duplicate=outcome.duplicate,
        rows_updated=outcome.updated,
        error="",
    )
    batch.refresh_from_db()
    return outcome


def batch_import(*, batch, progress=None):
    """Check and write every row in one transaction, with the monthly
    slices of the touched months and offices: all of it, or nothing."""
    started = time.perf_counter()
    with transaction.atomic():
        RejectedRow.objects.filter(batch=batch).delete()
        outcome = _process(batch, write=True, progress=progress)
        outcome.timings["rows"] = time.perf_counter() - started
        if outcome.keys:
            slices_refresh(keys=outcome.keys)
        outcome.timings["slices"] = time.perf_counter() - started - outcome.timings["rows"]
        ImportBatch.objects.filter(pk=batch.pk).update(
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
        commit_started = time.perf_counter()
    outcome.timings["commit"] = time.perf_counter() - commit_started
    log.info(
        "import batch %s: %s rows in %.1f s (rows %.1f s, of which writing %.1f s; "
        "slices %.1f s; commit %.1f s)",
        batch.pk,
        outcome.read,
        time.perf_counter() - started,
        outcome.timings["rows"],
        outcome.timings.get("write", 0),
        outcome.timings["slices"],
        outcome.timings["commit"],
    )
    batch.refresh_from_db()
    return outcome


def _process(batch, *, write, progress):
    info = TableInfo.from_dict(batch.mapping["table"])
    checker = checker_for(batch.kind, batch.mapping.get("columns", {}))
    handler = (
        _FeedbackRows(batch, write=write)
        if batch.kind == ImportBatch.Kind.FEEDBACK
        else _IndicatorRows(batch, write=write)
    )
    rejected = []
    outcome = handler.outcome
    try:
        with batch.file.open("rb") as fileobj:
            for number, cells in table_rows(fileobj, info, progress=progress):
                outcome.read += 1
                values, reasons = checker.check(cells)
                reasons = list(reasons) if values is None else handler.add(number, values)
                if reasons:
                    outcome.rejected += 1
                    rejected.append(
                        RejectedRow(
                            batch_id=batch.pk,
                            row_number=number,
                            values=[cell_text(cell) for cell in cells],
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

    def __init__(self, batch, *, write):
        self.batch = batch
        self.write = write
        self.outcome = Outcome()
        self.seen = set()
        self.pending = []
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
            self.writer.write(self.pending)
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

    def _run(self):
        while (rows := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.writer.write(rows)
                except BaseException as error:
                    self.error = error

    def write(self, rows):
        self._raise()
        self.queue.put(rows)

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


class _ResponseWriter:
    """Inserts rows of responses, skipping any whose dedup_key exists.

    ``ON CONFLICT (dedup_key) DO NOTHING`` makes two imports running at once
    safe: the second waits for the first's transaction and then skips what
    it wrote. On PostgreSQL the rows go through COPY into a temporary table
    first, the fastest way in; SQLite gets an executemany.
    """

    table = FeedbackResponse._meta.db_table
    stage = "feedback_import_stage"

    def __init__(self):
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.vendor = self.connection.vendor
        self.inserted = 0
        self.seconds = 0.0
        self.columns = ", ".join(self.connection.ops.quote_name(name) for name in RESPONSE_COLUMNS)
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                # Names come from the model, never from the file.
                create = (
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.stage} ON COMMIT DROP AS "  # noqa: S608
                    f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
                )
                cursor.execute(create)
                cursor.execute(f"TRUNCATE {self.stage}")
        else:
            self.submitted = RESPONSE_FIELDS.index("submitted_at")
            self.month = RESPONSE_FIELDS.index("month")

    def write(self, rows):
        started = time.perf_counter()
        self.inserted += self._insert(rows)
        self.seconds += time.perf_counter() - started

    def close(self):
        pass

    def abort(self):
        pass

    def _insert(self, rows):
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.stage} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) SELECT {self.columns} "  # noqa: S608
                    f"FROM {self.stage} ON CONFLICT (dedup_key) DO NOTHING"
                )
                inserted = cursor.rowcount
                cursor.execute(f"TRUNCATE {self.stage}")
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
    Returns how many were inserted. The caller refreshes the slices."""
    writer = _ResponseWriter()
    chunk = []
    for row in values:
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
