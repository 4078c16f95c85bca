"""Writes that span several rows: trash, restore, purge, acknowledgements."""

import functools
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from articles.extraction import extension_of, extract_text
from articles.models import Acknowledgement, Article, ArticleViewMonth, Attachment, Section
from articles.uploads import inspect_upload
from search.services import search_index_articles


@transaction.atomic
def article_trash(*, article):
    article.deleted_at = timezone.now()
    article.save()
    search_index_articles(article_ids=[article.pk])


@transaction.atomic
def article_restore(*, article):
    """Bring an article back from the trash; its section comes back with it."""
    section = article.section
    if section.deleted_at is not None:
        section_restore(section=section, with_articles=False)
    article.deleted_at = None
    article.save()
    search_index_articles(article_ids=[article.pk])


@transaction.atomic
def section_trash(*, section):
    """Move a section, its subsections and all their articles to the trash.

    Everything gets the same timestamp, so restoring the section brings back
    exactly what was deleted with it and not what had been deleted before.
    """
    now = timezone.now()
    subtree = list(section.get_descendants(include_self=True).filter(deleted_at__isnull=True))
    for node in subtree:
        node.deleted_at = now
        node.save()
    trashed = []
    for article in Article.objects.filter(section__in=subtree):
        article.deleted_at = now
        article.save()
        trashed.append(article.pk)
    search_index_articles(article_ids=trashed)


@transaction.atomic
def section_restore(*, section, with_articles=True):
    """Restore a section, with what was deleted together with it, and the
    ancestors it needs to be reachable."""
    for ancestor in section.get_ancestors().filter(deleted_at__isnull=False):
        ancestor.deleted_at = None
        ancestor.save()
    deleted_at = section.deleted_at
    subtree = [
        node
        for node in Section.all_objects.filter(
            tree_id=section.tree_id, lft__gte=section.lft, rght__lte=section.rght
        )
        if node.deleted_at == deleted_at
    ]
    for node in subtree:
        node.deleted_at = None
        node.save()
    if with_articles and deleted_at is not None:
        for article in Article.all_objects.filter(section__in=subtree, deleted_at=deleted_at):
            article.deleted_at = None
            article.save()
    # Articles restored one by one (not with the section) are searchable again
    # once their section is; what is still in the trash stays out.
    search_index_articles(
        article_ids=Article.objects.filter(section__in=subtree).values_list("pk", flat=True)
    )


def trash_cutoff():
    return timezone.now() - timedelta(days=settings.TRASH_RETENTION_DAYS)


def trash_until():
    """The day something moved to the trash now leaves it for good."""
    return timezone.localdate() + timedelta(days=settings.TRASH_RETENTION_DAYS)


@transaction.atomic
def trash_purge(*, before=None):
    """Delete for good what has been in the trash longer than the retention.

    Returns the number of articles and sections removed. History rows stay,
    so the record of what existed is never lost.
    """
    before = before or trash_cutoff()
    articles = list(Article.all_objects.filter(deleted_at__lt=before))
    for article in articles:
        for attachment in article.attachments.all():
            attachment.file.delete(save=False)
        article.delete()
    sections = Section.all_objects.filter(deleted_at__lt=before).order_by("-level")
    removed_sections = 0
    for section in sections:
        holds_articles = Article.all_objects.filter(section=section).exists()
        if holds_articles or Section.all_objects.filter(parent=section).exists():
            continue  # still holds something that is not due yet
        section.delete()
        removed_sections += 1
    return len(articles), removed_sections


def article_acknowledge(*, article, user):
    """Mark that ``user`` has read ``article``. Doing it twice is harmless."""
    try:
        with transaction.atomic():
            Acknowledgement.objects.get_or_create(
                article=article, user=user, defaults={"article_version": article.version}
            )
    except IntegrityError:
        pass  # a double click raced us; the mark exists, which is all we need


VIEW_FLUSH_EVERY = 20


def article_count_view(*, article, user=None):
    """Count a view of ``article`` by ``user``: for «часто читают» and for
    the month's views of the reader's office.

    The month's count (``ArticleViewMonth``) is raised in the database by
    one statement per view (`_view_month_add`), exactly, whatever the
    traffic. ``Article.view_count`` only orders «часто читают»: views are
    added up in the cache and written once per VIEW_FLUSH_EVERY, so that
    the popular article's row is not updated on every view. A cache restart
    may lose a few of those, which a popularity ranking can afford.
    """
    if user is not None and user.is_authenticated:
        _view_month_add(article_id=article.pk, user_id=user.pk)
    key = f"kb:views:{article.pk}"
    if cache.add(key, 1, timeout=None):
        return
    try:
        pending = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=None)
        return
    if pending >= VIEW_FLUSH_EVERY:
        cache.delete(key)
        Article.all_objects.filter(pk=article.pk).update(view_count=F("view_count") + pending)


@functools.cache
def _view_month_sql():
    from people.models import Profile

    qn = connection.ops.quote_name
    table = qn(ArticleViewMonth._meta.db_table)
    # The reader's office is looked up inside the statement; none (no
    # profile, or a profile without an office) gives NULL. The conflict
    # target is the unique index «article_view_month_unique», COALESCE
    # included, so that the rows without an office are found too. An upsert
    # is atomic on SQLite and PostgreSQL: two views at once both count.
    return (
        f"INSERT INTO {table} ({qn('article_id')}, {qn('office_id')}, {qn('month')}, "  # noqa: S608
        f"{qn('views')}) VALUES (%s, (SELECT {qn('office_id')} FROM "
        f"{qn(Profile._meta.db_table)} WHERE {qn('user_id')} = %s), %s, 1) "
        f"ON CONFLICT ({qn('article_id')}, {qn('month')}, (COALESCE({qn('office_id')}, 0))) "
        f"DO UPDATE SET {qn('views')} = {table}.{qn('views')} + 1"
    )


def _view_month_add(*, article_id, user_id, month=None):
    """One more view of the article by the user's office this month (one statement)."""
    month = month or timezone.localdate().replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(_view_month_sql(), [article_id, user_id, month])


def attachment_add(*, article, upload, title=""):
    """Attach ``upload`` to ``article``; a refused file raises ValidationError
    and leaves nothing behind.

    The text for search is read before the transaction opens: parsing may
    take up to EXTRACT_MAX_SECONDS, and an open write transaction would hold
    the database (all of it, on SQLite) that long.
    """
    inspect_upload(upload)
    attachment = Attachment(article=article, file=upload, title=title)
    attachment_extract_text(attachment=attachment)
    with transaction.atomic():
        attachment.save()
        article.content_changed()
        search_index_articles(article_ids=[article.pk])
    return attachment


def attachment_extract_text(*, attachment):
    """Read the text of ``attachment``'s file for search and keep it with the
    status and, when there is no text, the reason.

    Works on a new attachment before it is saved (the upload is read) and on
    a stored one, whose four extraction fields are then written with one
    UPDATE: no history row, and no other field touched. A file that cannot be
    read gets a status and a reason, not an exception. Returns the
    ``ExtractionResult``.
    """
    file = attachment.file
    result = extract_text(
        _attachment_source(file),
        extension=extension_of(attachment.original_name or file.name),
        mime=attachment.mime_type,
    )
    attachment.extracted_text = result.text
    attachment.extraction_status = result.status
    attachment.extraction_error = result.reason[:300]
    attachment.extracted_at = timezone.now()
    if attachment.pk:
        Attachment.objects.filter(pk=attachment.pk).update(
            extracted_text=attachment.extracted_text,
            extraction_status=attachment.extraction_status,
            extraction_error=attachment.extraction_error,
            extracted_at=attachment.extracted_at,
        )
    return result


def _attachment_source(file):
    if not file._committed:  # a new upload, not stored yet
        return file.file
    try:
        return file.path
    except NotImplementedError:  # a storage without local paths (S3): read through it
        return file
