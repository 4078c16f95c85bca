"""Import of a knowledge base kept as folders of files.

Folders become sections (the tree kept, under a chosen section), each file a
draft article in its section with the file attached — checked as an
editor's upload is (`articles.uploads.inspect_upload`) and its text read by
the same pipeline (`articles.services.attachment_prepare`) — with a title
cleaned from the file name, a kind guessed from its type and the file's date
as the article's date.

The flow: upload (the ZIP's central directory is checked at once, see
`kbimport.archive`) → the check, a dry run that reads every file and
reports what will be created and what is skipped and why → confirmation →
the import. Both run away from the request (`kbimport.jobs`). The import
reads the files and their text first, outside any transaction (parsing may
take seconds a file, and SQLite has one writer), then writes every section,
article and attachment in one transaction: all of it or nothing.

Each imported file is recorded by its path and the hash of its content
(`ImportedFile`), each folder with its section (`ImportedFolder`): a
re-import of the same tree creates nothing, a file whose content changed
becomes a new version of its article (the attachment replaced, both in
history).
"""

import logging
import shutil
import tempfile
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Attachment, Section
from articles.services import attachment_prepare
from articles.uploads import inspect_upload
from kbimport import archive, jobs
from kbimport.archive import ArchiveRefused, EntryTooLarge
from kbimport.models import ImportedFile, ImportedFolder, KbImportBatch, path_key
from kbimport.naming import clean_title, kind_for, looks_like_copy, natural_key, slug_base
from search.services import search_index_articles

log = logging.getLogger(__name__)

INDEX_CHUNK = 500
CREATE, UPDATE = "create", "update"


class ImportRefused(Exception):
    """The import cannot go on; the message is for the person."""


# --- Starting, confirming, restarting, cancelling --------------------------------------


def upload_inspect(upload):
    """Check an uploaded ZIP as far as its central directory tells, without
    unpacking anything. Raises ImportRefused with a Russian message."""
    limit = settings.KB_IMPORT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ImportRefused(
            _(
                "Архив больше %(limit)s МБ. Разделите его на части или импортируйте "
                "командой сервера."
            )
            % {"limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        with archive.zip_source(upload) as source:
            files = source.files
    except ArchiveRefused as error:
        raise ImportRefused(str(error)) from None
    finally:
        upload.seek(0)
    if not files:
        raise ImportRefused(_("В архиве нет ни одного файла."))
    return len(files)


def _root_fields(root):
    return {
        "root": root,
        "root_key": root.pk if root else 0,
        "root_title": root.title if root else "",
    }


def batch_create(*, upload, root, user):
    """A batch for an inspected ZIP, its check queued."""
    name = PurePath(upload.name).name[:255] or "archive.zip"
    batch = KbImportBatch(original_name=name, created_by=user, **_root_fields(root))
    upload.seek(0)
    batch.file.save("import.zip", upload, save=False)
    for attribute, value in jobs.queued(KbImportBatch.Phase.CHECK).items():
        setattr(batch, attribute, value)
    batch.save()
    jobs.batch_start(batch, KbImportBatch.Phase.CHECK)
    return batch


def batch_create_folder(*, path, root, user, phase):
    """A batch for a folder on the server (the command), ``phase`` queued
    for the command to run itself."""
    resolved = Path(path).resolve()
    batch = KbImportBatch(
        original_name=resolved.name[:255] or str(resolved)[:255],
        source_path=str(resolved),
        created_by=user,
        **_root_fields(root),
    )
    for attribute, value in jobs.queued(phase).items():
        setattr(batch, attribute, value)
    batch.save()
    return batch


def batch_confirm(*, batch):
    """Queue the writing of a checked batch. False when it was not waiting
    for confirmation (a second click) or another import is being written."""
    if busy_writing():
        return False
    started = KbImportBatch.objects.filter(pk=batch.pk, status=KbImportBatch.Status.CHECKED).update(
        **jobs.queued(KbImportBatch.Phase.WRITE)
    )
    if started:
        jobs.batch_start(batch, KbImportBatch.Phase.WRITE)
    return bool(started)


def busy_writing():
    """Another import being written (one whose job died is marked failed
    first): two at once could both create the same files."""
    running = KbImportBatch.objects.filter(status=KbImportBatch.Status.RUNNING).defer("report")
    return any(jobs.batch_check_runner(batch=other).is_busy for other in running)


def batch_restart(*, batch):
    """Run the failed phase again. False if the batch has not failed."""
    phase = batch.phase or KbImportBatch.Phase.CHECK
    if phase == KbImportBatch.Phase.WRITE and busy_writing():
        return False
    started = KbImportBatch.objects.filter(pk=batch.pk, status=KbImportBatch.Status.FAILED).update(
        **jobs.queued(phase)
    )
    if started:
        jobs.batch_start(batch, phase)
    return bool(started)


def batch_cancel(*, batch):
    """Drop a batch that wrote nothing; its archive is deleted."""
    cancelled = KbImportBatch.objects.filter(
        pk=batch.pk, status__in=KbImportBatch.CANCELLABLE
    ).update(status=KbImportBatch.Status.CANCELLED, finished_at=timezone.now())
    if cancelled:
        _drop_archive(batch)
    return bool(cancelled)


def _drop_archive(batch):
    if batch.file:
        batch.file.delete(save=False)
        KbImportBatch.objects.filter(pk=batch.pk).update(file="")


# --- The plan: what the tree becomes ----------------------------------------------------


@dataclass
class Folder:
    path: str
    parts: tuple
    title: str
    section_id: int | None = None  # the section it is (None: to be created, or the top)
    recorded: bool = False
    trashed: str = ""  # the title of the section in the trash on its way
    used: bool = False
    slug: str = ""
    section: object = None  # the Section, once written


@dataclass
class PlannedFile:
    entry: archive.Entry
    action: str
    title: str
    kind: str
    size: int
    content_hash: str
    record: dict | None = None
    temp: Path | None = None
    attachment: Attachment | None = None
    text_file: Path | None = None
    article_id: int | None = None  # once written


@dataclass
class Plan:
    folders: dict = field(default_factory=dict)  # path -> Folder ("" is the root)
    files: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)  # (path, article id)
    skipped: list = field(default_factory=list)  # (path, reason)

    @property
    def new_folders(self):
        return [f for f in self.folders.values() if f.path and f.used and f.section_id is None]

    def report(self):
        files = [
            {
                "path": planned.entry.path,
                "title": planned.title,
                "kind": planned.kind,
                "folder": planned.entry.folder,
                "date": planned.entry.modified.isoformat() if planned.entry.modified else "",
                "size": planned.size,
                "action": planned.action,
                "article": planned.article_id
                or (planned.record["article_id"] if planned.record else None),
            }
            for planned in self.files
        ]
        sections = [
            {
                "path": folder.path,
                "title": folder.title,
                "level": len(folder.parts) - 1,
                "new": folder.section_id is None,
                "slug": folder.section.slug if folder.section else folder.slug,
            }
            for folder in sorted(self.folders.values(), key=lambda f: natural_key(f.path))
            if folder.path and folder.used
        ]
        return {
            "sections": sections,
            "files": files,
            "unchanged": [{"path": path, "article": pk} for path, pk in self.unchanged],
            "skipped": [{"path": path, "reason": reason} for path, reason in self.skipped],
        }


class _Unread:
    """A file as the upload check sees it before a byte is read: its name and
    size. The check asks for bytes only after the name and size passed."""

    class NeedsBytes(Exception):
        pass

    def __init__(self, name, size):
        self.name, self.size = name, size

    def seek(self, *args):
        raise self.NeedsBytes

    def read(self, *args):
        raise self.NeedsBytes


def _refused_by_name(entry, size):
    """The upload check's message for a file refused by its name or size."""
    try:
        inspect_upload(_Unread(entry.name, size))
    except ValidationError as error:
        return " ".join(error.messages)
    except _Unread.NeedsBytes:
        return ""
    return ""


def _open_source(batch):
    try:
        if batch.source_path:
            return archive.folder_source(batch.source_path)
        if not batch.file:
            raise ImportRefused(_("Архив этого импорта удалён: загрузите его снова."))
        try:
            handle = batch.file.open("rb")
        except FileNotFoundError:
            raise ImportRefused(_("Архив этого импорта не найден: загрузите его снова.")) from None
        try:
            return archive.zip_source(handle, owns_handle=True)
        except ArchiveRefused:
            handle.close()
            raise
    except ArchiveRefused as error:
        raise ImportRefused(str(error)) from None


def _root_section(batch):
    if not batch.root_key:
        return None
    root = Section.all_objects.filter(pk=batch.root_key).first()
    if root is None or root.deleted_at is not None:
        raise ImportRefused(
            _(
                "Раздел «%(title)s», куда шёл импорт, удалён или лежит в корзине. "
                "Загрузите архив снова и выберите другой раздел."
            )
            % {"title": batch.root_title}
        )
    return root


def _folders(source, root, root_key):
    """Every folder of the tree with the section it is, was, or will be."""
    records = {
        row["path_hash"]: row
        for row in ImportedFolder.objects.filter(root_key=root_key).values(
            "path_hash", "section_id", "section__slug", "section__deleted_at", "section__title"
        )
    }
    # Live sections by parent and title: a folder named as an existing
    # subsection goes into it rather than beside it.
    by_title = {}
    for pk, slug, parent_id, title in Section.objects.values_list(
        "id", "slug", "parent_id", "title"
    ):
        by_title.setdefault((parent_id, title.strip().casefold()), (pk, slug))
    paths = set()
    for entry in source.entries:
        if entry.skip:
            continue
        folder_parts = entry.parts if entry.is_dir else entry.parts[:-1]
        for depth in range(1, len(folder_parts) + 1):
            paths.add(folder_parts[:depth])
    folders = {"": Folder("", (), "", section_id=root.pk if root else None)}
    for parts in sorted(paths, key=lambda p: (len(p), natural_key("/".join(p)))):
        path = "/".join(parts)
        parent = folders["/".join(parts[:-1])]
        folder = Folder(path, parts, clean_title(parts[-1], is_file=False))
        record = records.get(path_key(path))
        if parent.trashed:
            folder.trashed = parent.trashed
        elif record is not None:
            folder.recorded = True
            folder.section_id, folder.slug = record["section_id"], record["section__slug"]
            if record["section__deleted_at"] is not None:
                folder.trashed = record["section__title"]
        elif parent.section_id is not None or not parent.path:
            match = by_title.get((parent.section_id, folder.title.casefold()))
            if match is not None:
                folder.section_id, folder.slug = match
        folders[path] = folder
    return folders


def plan_build(*, source, root, progress, keep_dir=None):
    """What importing ``source`` under ``root`` would do now.

    Every file is read: its hash says whether it changed, and it must pass
    the upload check. With ``keep_dir`` the files to write are kept there
    (for their text and their storage); otherwise nothing is kept."""
    root_key = root.pk if root else 0
    plan = Plan(folders=_folders(source, root, root_key))
    records = {
        row["path_hash"]: row
        for row in ImportedFile.objects.filter(root_key=root_key).values(
            "id",
            "path",
            "path_hash",
            "content_hash",
            "article_id",
            "attachment_id",
            "article__deleted_at",
            "article__title",
        )
    }
    by_hash = {row["content_hash"]: row for row in records.values()}
    seen_hashes, seen_paths = {}, set()
    # Folder by folder in the order meant by their numbering; in a folder,
    # originals before copies, so that of two equal files the original is kept.
    files = sorted(
        source.files,
        key=lambda entry: (
            natural_key(entry.folder),
            looks_like_copy(entry.name),
            natural_key(entry.name),
        ),
    )
    progress.start(KbImportBatch.Step.READ, len(files))
    for number, entry in enumerate(files, start=1):
        progress(number - 1)
        planned = _plan_file(
            entry, plan, source, records, by_hash, seen_hashes, seen_paths, keep_dir, number
        )
        if planned is None:
            continue
        plan.files.append(planned)
        if planned.action == CREATE:
            folder = plan.folders[entry.folder]
            while folder.path:
                folder.used = True
                folder = plan.folders["/".join(folder.parts[:-1])]
    progress(len(files), force=True)
    return plan


def _plan_file(entry, plan, source, records, by_hash, seen_hashes, seen_paths, keep_dir, number):
    if entry.skip:
        plan.skipped.append((entry.path, entry.skip))
        return None
    if entry.path in seen_paths:
        plan.skipped.append((entry.path, _("файл с таким путём в архиве уже есть")))
        return None
    seen_paths.add(entry.path)
    folder = plan.folders[entry.folder]
    if not folder.path and folder.section_id is None:
        plan.skipped.append(
            (
                entry.path,
                _(
                    "файл лежит в корне архива, а раздел для импорта не выбран: выберите "
                    "раздел или положите файл в папку"
                ),
            )
        )
        return None
    refused = _refused_by_name(entry, entry.size)
    if refused:
        plan.skipped.append((entry.path, refused))
        return None
    keep = keep_dir / f"{number}{PurePath(entry.name).suffix.lower()}" if keep_dir else None
    planned = _read_file(entry, plan, source, records, by_hash, seen_hashes, folder, keep)
    if planned is None and keep is not None:
        keep.unlink(missing_ok=True)
    return planned


def _read_file(entry, plan, source, records, by_hash, seen_hashes, folder, keep):
    try:
        with keep.open("w+b") if keep else tempfile.SpooledTemporaryFile(8 * 1024 * 1024) as out:
            size, content_hash = source.copy(entry, out)
            upload = File(out, name=entry.name)
            upload.size = size
            try:
                inspect_upload(upload)
            except ValidationError as error:
                plan.skipped.append((entry.path, " ".join(error.messages)))
                return None
    except EntryTooLarge:
        plan.skipped.append((entry.path, _refused_by_name(entry, source.limits.file_bytes + 1)))
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        log.info("kb import: %s not read: %s", entry.path, error)
        plan.skipped.append(
            (entry.path, _("файл в архиве повреждён или сжат неподдерживаемым способом"))
        )
        return None
    if content_hash in seen_hashes:
        plan.skipped.append(
            (
                entry.path,
                _("такой же файл уже есть в архиве: %(path)s")
                % {"path": seen_hashes[content_hash]},
            )
        )
        return None
    seen_hashes[content_hash] = entry.path
    record = records.get(path_key(entry.path))
    if record is not None:
        if record["content_hash"] == content_hash:
            plan.unchanged.append((entry.path, record["article_id"]))
            return None
        if record["article__deleted_at"] is not None:
            plan.skipped.append(
                (
                    entry.path,
                    _("материал «%(title)s» из этого файла лежит в корзине")
                    % {"title": record["article__title"]},
                )
            )
            return None
        action = UPDATE
    else:
        twin = by_hash.get(content_hash)
        if twin is not None:
            plan.skipped.append(
                (
                    entry.path,
                    _("этот файл уже импортирован как «%(title)s» (%(path)s)")
                    % {"title": twin["article__title"], "path": twin["path"]},
                )
            )
            return None
        if folder.trashed:
            plan.skipped.append(
                (
                    entry.path,
                    _(
                        "раздел «%(title)s» лежит в корзине: восстановите его, чтобы "
                        "импортировать сюда"
                    )
                    % {"title": folder.trashed},
                )
            )
            return None
        action = CREATE
    return PlannedFile(
        entry=entry,
        action=action,
        title=clean_title(entry.name),
        kind=kind_for(entry.name),
        size=size,
        content_hash=content_hash,
        record=record,
        temp=keep,
    )


def _plan_counts(plan):
    return {
        "sections_created": len(plan.new_folders),
        "articles_created": sum(1 for p in plan.files if p.action == CREATE),
        "articles_updated": sum(1 for p in plan.files if p.action == UPDATE),
        "files_unchanged": len(plan.unchanged),
        "files_skipped": len(plan.skipped),
    }


# --- The phases -------------------------------------------------------------------------


def batch_check(*, batch, progress, runner=None):
    """The dry run: read every file, say what would be created, changed and
    skipped and why; write nothing but the batch's report."""
    root = _root_section(batch)
    with _open_source(batch) as source:
        try:
            plan = plan_build(source=source, root=root, progress=progress)
        except ArchiveRefused as error:
            raise ImportRefused(str(error)) from None
    done = KbImportBatch.objects.filter(
        pk=batch.pk, **jobs.owned(runner, KbImportBatch.Phase.CHECK)
    ).update(
        status=KbImportBatch.Status.CHECKED,
        report=plan.report(),
        files_total=len(plan.files) + len(plan.unchanged) + len(plan.skipped),
        files_done=0,
        step="",
        error="",
        **_plan_counts(plan),
    )
    if not done:
        raise jobs.RunnerLost
    return plan


def batch_write(*, batch, progress, runner=None):
    """The import: the plan made again (the tree or the database may have
    changed since the check), the files' text read, then everything written
    in one transaction."""
    root = _root_section(batch)
    user = batch.created_by
    keep_dir = Path(tempfile.mkdtemp(prefix="kbimport-"))
    stored = []  # files saved to the storage, removed again if the transaction fails
    try:
        with _open_source(batch) as source:
            try:
                plan = plan_build(source=source, root=root, progress=progress, keep_dir=keep_dir)
            except ArchiveRefused as error:
                raise ImportRefused(str(error)) from None
        _extract(plan, progress)
        progress.start(KbImportBatch.Step.WRITE, len(plan.files))
        # Said before the transaction: on SQLite nothing else writes inside it.
        KbImportBatch.objects.filter(
            pk=batch.pk, **jobs.owned(runner, KbImportBatch.Phase.WRITE)
        ).update(step=KbImportBatch.Step.WRITE, files_total=len(plan.files), files_done=0)
        progress.writing = True
        try:
            with transaction.atomic():
                replaced = _write(
                    plan, batch=batch, root=root, user=user, progress=progress, stored=stored
                )
                done = KbImportBatch.objects.filter(
                    pk=batch.pk, **jobs.owned(runner, KbImportBatch.Phase.WRITE)
                ).update(
                    status=KbImportBatch.Status.IMPORTED,
                    report=plan.report(),
                    files_total=len(plan.files) + len(plan.unchanged) + len(plan.skipped),
                    files_done=len(plan.files),
                    finished_at=timezone.now(),
                    step="",
                    error="",
                    **_plan_counts(plan),
                )
                if not done:
                    raise jobs.RunnerLost
                # The replaced files go once the new ones are committed.
                transaction.on_commit(lambda: _delete_files(replaced))
        except BaseException:
            _delete_files(stored)
            raise
        finally:
            progress.writing = False
    finally:
        shutil.rmtree(keep_dir, ignore_errors=True)
    _drop_archive(batch)
    return plan


def _extract(plan, progress):
    """The text of every file to write, by the attachment pipeline, several
    files at once (each in its own limited child process); the text waits
    in a file, not in memory, until the transaction."""
    progress.start(KbImportBatch.Step.EXTRACT, len(plan.files))

    def prepare(planned):
        with planned.temp.open("rb") as handle:
            upload = File(handle, name=planned.entry.name)
            upload.size = planned.size
            attachment = attachment_prepare(upload=upload)
        planned.text_file = planned.temp.with_suffix(".text")
        planned.text_file.write_text(attachment.extracted_text, encoding="utf-8")
        attachment.extracted_text = ""
        attachment.file = None
        planned.attachment = attachment

    workers = settings.KB_IMPORT_EXTRACT_WORKERS
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kbimport-extract") as pool:
        for number, _result in enumerate(pool.map(prepare, plan.files), start=1):
            progress(number)


def _delete_files(names):
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError as error:
            log.warning("kb import: %s not deleted: %s", name, error)


def _free_slugs(model, bases):
    """A free slug for each base, never one a live, trashed or former row holds."""
    history = model.history.model
    chosen = list(bases)
    suffix = [1] * len(bases)
    handed = set()
    while True:
        taken = set()
        wanted = list(dict.fromkeys(chosen))
        for start in range(0, len(wanted), INDEX_CHUNK):
            chunk = wanted[start : start + INDEX_CHUNK]
            taken |= set(model.all_objects.filter(slug__in=chunk).values_list("slug", flat=True))
            taken |= set(history.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        clash = False
        handed.clear()
        for i, slug in enumerate(chosen):
            if slug in taken or slug in handed:
                suffix[i] += 1
                chosen[i] = f"{bases[i]}-{suffix[i]}"
                clash = True
            else:
                handed.add(slug)
        if not clash:
            return chosen


# django-simple-history keeps a change's reason in 100 characters.
REASON_MAX = Article.history.model._meta.get_field("history_change_reason").max_length


def _reason(template, batch, path):
    """«Импорт базы знаний №N: path», the path shortened from its start to fit."""
    text = template % {"pk": batch.pk, "path": path}
    if len(text) <= REASON_MAX:
        return text
    keep = REASON_MAX - len(template % {"pk": batch.pk, "path": ""}) - 1
    return template % {"pk": batch.pk, "path": "…" + path[-keep:]}


def _import_reason(batch, planned):
    return _reason(_("Импорт базы знаний №%(pk)s: %(path)s"), batch, planned.entry.path)


def _write(plan, *, batch, root, user, progress, stored):
    """Write the plan; returns the storage names of files replaced by newer ones."""
    root_key = root.pk if root else 0
    description = _("Раздел из импорта «%(name)s».") % {"name": batch.original_name}
    new_folders = sorted(plan.new_folders, key=lambda f: (len(f.parts), natural_key(f.path)))
    section_slugs = _free_slugs(
        Section, [slug_base(f.title, fallback="razdel") for f in new_folders]
    )
    for folder, slug in zip(new_folders, section_slugs, strict=True):
        parent = plan.folders["/".join(folder.parts[:-1])]
        section = Section(
            title=folder.title[: Section._meta.get_field("title").max_length],
            slug=slug,
            parent_id=parent.section.pk if parent.section else parent.section_id,
            description=description,
        )
        section._history_user = user
        section._change_reason = _reason(
            _("Импорт базы знаний №%(pk)s: %(path)s"), batch, folder.path
        )
        section.save()
        folder.section = section
    ImportedFolder.objects.bulk_create(
        ImportedFolder(
            root_key=root_key,
            path=folder.path,
            path_hash=path_key(folder.path),
            section_id=folder.section.pk if folder.section else folder.section_id,
            batch=batch,
        )
        for folder in plan.folders.values()
        if folder.path and folder.used and not folder.recorded
    )
    created = [p for p in plan.files if p.action == CREATE]
    article_slugs = iter(
        _free_slugs(Article, [slug_base(p.title, fallback="material") for p in created])
    )
    replaced, touched, records = [], [], []
    for number, planned in enumerate(plan.files, start=1):
        if planned.action == CREATE:
            folder = plan.folders[planned.entry.folder]
            section_id = folder.section.pk if folder.section else folder.section_id
            article, attachment = _create(planned, section_id, next(article_slugs), batch, user)
            records.append(
                ImportedFile(
                    root_key=root_key,
                    path=planned.entry.path,
                    path_hash=path_key(planned.entry.path),
                    content_hash=planned.content_hash,
                    size=planned.size,
                    file_date=planned.entry.modified,
                    article=article,
                    attachment=attachment,
                    batch=batch,
                )
            )
        else:
            article, attachment, old_name = _update(planned, batch, user)
            if old_name:
                replaced.append(old_name)
            ImportedFile.objects.filter(pk=planned.record["id"]).update(
                content_hash=planned.content_hash,
                size=planned.size,
                file_date=planned.entry.modified,
                attachment=attachment,
                batch=batch,
                updated_at=timezone.now(),
            )
        stored.append(attachment.file.name)
        planned.article_id = article.pk
        touched.append(article.pk)
        progress(number)
    ImportedFile.objects.bulk_create(records, batch_size=INDEX_CHUNK)
    for start in range(0, len(touched), INDEX_CHUNK):
        search_index_articles(article_ids=touched[start : start + INDEX_CHUNK])
    return replaced


def _date(planned):
    return planned.entry.modified or timezone.now()


def _save_attachment(planned, attachment, batch, user):
    """Save ``attachment`` with the planned file and the text read before."""
    prepared = planned.attachment
    for name in ("extraction_status", "extraction_error", "extracted_at"):
        setattr(attachment, name, getattr(prepared, name))
    attachment.extracted_text = planned.text_file.read_text(encoding="utf-8")
    attachment._history_user = user
    attachment._change_reason = _import_reason(batch, planned)
    with planned.temp.open("rb") as handle:
        attachment.file = File(handle, name=planned.entry.name)
        attachment.save()
    return attachment


def _create(planned, section_id, slug, batch, user):
    article = Article(
        section_id=section_id,
        title=planned.title,
        slug=slug,
        kind=planned.kind,
        status=Article.Status.DRAFT,
    )
    # The file's date is the article's: set with the content's hash, so that
    # save() sees no change of its own to date now.
    article.content_hash = article.compute_content_hash()
    article.updated_at = _date(planned)
    article._history_user = user
    article._change_reason = _import_reason(batch, planned)
    article.save()
    attachment = _save_attachment(planned, Attachment(article=article), batch, user)
    return article, attachment


def _update(planned, batch, user):
    """A changed file: its attachment replaced, the article saved as a new
    version dated with the file. Returns the storage name of the old file."""
    article = Article.all_objects.select_for_update().get(pk=planned.record["article_id"])
    attachment = Attachment.objects.filter(
        pk=planned.record["attachment_id"], article=article
    ).first()
    old_name = attachment.file.name if attachment is not None else ""
    attachment = _save_attachment(planned, attachment or Attachment(article=article), batch, user)
    article.content_hash = article.compute_content_hash()
    article.updated_at = _date(planned)
    article._history_user = user
    article._change_reason = _reason(
        _("Новая версия файла из импорта базы знаний №%(pk)s: %(path)s"), batch, planned.entry.path
    )
    article.save()
    return article, attachment, old_name


def vendor_is_sqlite():
    return connection.vendor == "sqlite"
