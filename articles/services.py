"""Writes that span several rows: trash, restore, purge, mandatory reading,
and the counting of views."""

import contextlib
import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from articles import mandatory
from articles.extraction import extension_of, extract_text
from articles.models import (
    Acknowledgement,
    AcknowledgementRound,
    Article,
    ArticleUpdate,
    ArticleViewDay,
    Attachment,
    MandatoryReminder,
    Section,
)
from articles.uploads import inspect_upload
from notifications.models import Kind
from notifications.services import notification_send
from notifications.subscriptions import followers_notify
from people.audiences import audience_save, members
from people.models import Audience
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


def _audience_drop(audience_id):
    """A purged row's target audience goes too (its history stays)."""
    if audience_id is not None:
        Audience.objects.filter(pk=audience_id).delete()


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
        _audience_drop(article.target_audience_id)
    sections = Section.all_objects.filter(deleted_at__lt=before).order_by("-level")
    removed_sections = 0
    for section in sections:
        holds_articles = Article.all_objects.filter(section=section).exists()
        if holds_articles or Section.all_objects.filter(parent=section).exists():
            continue  # still holds something that is not due yet
        section.delete()
        _audience_drop(section.target_audience_id)
        removed_sections += 1
    return len(articles), removed_sections


class AckResult:
    RECORDED = "recorded"  # the required version is now acknowledged
    ALREADY = "already"  # it was acknowledged before
    OUTDATED = "outdated"  # recorded for the version read, but a newer one is required
    NOT_FOR_YOU = "not_for_you"  # the document is not mandatory for this person


def article_acknowledge(*, article, user, version=None):
    """Record that ``user`` has read ``article`` in ``version`` (the one on
    the page they read; the current one when not given or not a version the
    article has had). Doing it twice is harmless. Returns an ``AckResult``.

    Nothing is recorded while the person holds an acknowledgement of the
    required version: so each person has at most one that counts (the
    required version only grows), which the report relies on."""
    if not mandatory.is_member(article=article, user=user):
        return AckResult.NOT_FOR_YOU
    if not isinstance(version, int) or not 1 <= version <= article.version:
        version = article.version
    valid = Acknowledgement.objects.filter(
        article=article, user=user, article_version__gte=article.ack_required_version
    )
    if valid.exists():
        return AckResult.ALREADY
    try:
        with transaction.atomic():
            _mark, created = Acknowledgement.objects.get_or_create(
                article=article, user=user, article_version=version
            )
    except IntegrityError:
        created = False  # a double click raced us; the mark exists, which is all we need
    if version < article.ack_required_version:
        return AckResult.OUTDATED
    return AckResult.RECORDED if created else AckResult.ALREADY


# How many people one notification_send call tells: the insert and the
# e-mail preference lookup stay small however large the audience.
NOTIFY_BATCH = 500


def _deadline_words(deadline):
    if deadline is None:
        return ""
    return " " + gettext("Срок — до %(date)s включительно.") % {
        "date": formats.date_format(deadline, "j E Y")
    }


def _notify_in_batches(*, user_ids, kind, text, url, target=None, subject=None):
    """Tell ``user_ids`` (an iterable, consumed as it goes) in batches."""
    told, batch = 0, []
    for user_id in user_ids:
        batch.append(user_id)
        if len(batch) >= NOTIFY_BATCH:
            told += notification_send(
                recipients=batch, kind=kind, text=text, url=url, target=target, subject=subject
            )
            batch = []
    if batch:
        told += notification_send(
            recipients=batch, kind=kind, text=text, url=url, target=target, subject=subject
        )
    return told


def mandatory_notify(*, article, before, round=None):
    """Tell the people ``article`` became mandatory for: its whole audience
    when a ``round`` starts; otherwise those in it now who were not before
    (``before``, a ``MandatorySnapshot``: it came into force, or its audience
    grew) — never someone who holds a valid acknowledgement. Returns the
    number of people told."""
    if not mandatory.is_in_force(article):
        return 0
    spec = mandatory.audience_of(article)
    people = mandatory.unread_member_ids(article=article, spec=spec)
    if round is not None:
        text = gettext(
            "Документ «%(title)s» изменён — ознакомьтесь с ним снова. Что изменилось: %(summary)s"
        ) % {"title": article.title, "summary": round.summary}
        subject = gettext("Документ изменён: «%(title)s»") % {"title": article.title}
    else:
        if before.in_force:
            earlier = set(members(before.spec).values_list("pk", flat=True))
            people = (user_id for user_id in people if user_id not in earlier)
        text = gettext("Обязательно для ознакомления: «%(title)s».") % {"title": article.title}
        subject = None
    return _notify_in_batches(
        user_ids=people,
        kind=Kind.MANDATORY,
        text=text + _deadline_words(article.mandatory_deadline),
        url=article.get_absolute_url(),
        target=article,
        subject=subject,
    )


@transaction.atomic
def article_mandatory_apply(*, article, before, spec, reack_summary="", by=None):
    """After ``article`` was saved: store who must read it (``spec``; nothing
    chosen is everyone), start a re-acknowledgement round when
    ``reack_summary`` («что изменилось») is given, and tell those concerned.

    ``before`` is the ``MandatorySnapshot`` read before the save. A round
    needs a published mandatory article (ValidationError otherwise, and
    nothing is written); its version is the article's version as saved now.
    Returns a ``MandatoryApplied``: the round (or None) and how many people
    were told."""
    reack_summary = (reack_summary or "").strip()
    if reack_summary and not mandatory.is_in_force(article):
        raise ValidationError(
            gettext(
                "Повторное ознакомление можно запросить только для опубликованного "
                "обязательного документа."
            ),
            code="not_mandatory",
        )
    old = article.mandatory_audience if article.mandatory_audience_id else None
    audience = None if spec.everyone else audience_save(audience=old, spec=spec)
    required = article.version if reack_summary else article.ack_required_version
    Article.all_objects.filter(pk=article.pk).update(
        mandatory_audience=audience, ack_required_version=required
    )
    article.mandatory_audience, article.ack_required_version = audience, required
    if old is not None and audience is None:
        old.delete()  # «everyone» again; the audience's history keeps what it was
    round = None
    if reack_summary:
        round = AcknowledgementRound.objects.create(
            article=article,
            article_version=article.version,
            summary=reack_summary,
            started_by=by,
            deadline=article.mandatory_deadline,
        )
    told = mandatory_notify(article=article, before=before, round=round)
    if round is not None:
        round.notified = told
        round.save(update_fields=["notified"])
        # A round is a substantive update too: «что нового» and the followers.
        article_update_record(
            article=article, summary=reack_summary, by=by, source=ArticleUpdate.Source.REACK
        )
    return MandatoryApplied(round=round, told=told)


def _target_apply(*, target, spec):
    old = target.target_audience if target.target_audience_id else None
    audience = None if spec.everyone else audience_save(audience=old, spec=spec)
    changes = {"target_audience": audience}
    if isinstance(target, Section):
        # The cached section tree carries the audience: move its stamp.
        changes["modified_at"] = timezone.now()
    type(target).all_objects.filter(pk=target.pk).update(**changes)
    target.target_audience = audience
    if old is not None and audience is None:
        old.delete()  # not targeted any more; the audience's history keeps what it was
    return audience


@transaction.atomic
def article_target_apply(*, article, spec):
    """After ``article`` was saved: store who it is for (``spec``; nothing
    chosen: not targeted). Discovery only — nobody loses access."""
    return _target_apply(target=article, spec=spec)


@transaction.atomic
def section_target_apply(*, section, spec):
    """As ``article_target_apply``, for a section: its subsections' and
    their articles' readers are the section's audience too."""
    return _target_apply(target=section, spec=spec)


@dataclass(frozen=True)
class MandatoryApplied:
    round: AcknowledgementRound | None
    told: int


# Views are added up in the cache and written to the database in amounts of
# this many: a page view costs no database write (a commit per view is what
# limits throughput, and the popular article's rows would be updated all day).
VIEW_FLUSH_EVERY = 20
# A day's buffered views outlive the flushes of that day and of the next
# (``article_views_flush`` reads today's and yesterday's), then expire.
VIEW_DAY_TIMEOUT = 3 * 24 * 60 * 60


def article_count_view(*, article, office_id=None, today=None):
    """Count a view of ``article`` by a reader of the office ``office_id``
    (None: a reader without an office): for «часто читают»
    (``Article.view_count``) and for the day's views of that office
    (``ArticleViewDay``).

    Both are added up in the cache with atomic add/incr and written in
    amounts of VIEW_FLUSH_EVERY. The first view of an article, office and
    day writes its day row at once (with 1), so that every buffered amount
    has a row for ``article_views_flush`` to find; the command moves what is
    left in the cache into the rows every few minutes. An ordinary view
    writes nothing. A cache restart or outage loses the views still in the
    cache, never more (no error: the page is shown all the same).
    """
    day = today or timezone.localdate()
    _buffer_view(
        f"kb:views:{article.pk}",
        timeout=None,
        write=lambda amount: Article.all_objects.filter(pk=article.pk).update(
            view_count=F("view_count") + amount
        ),
    )
    _buffer_view(
        view_day_key(day=day, article_id=article.pk, office_id=office_id),
        timeout=VIEW_DAY_TIMEOUT,
        write=lambda amount: article_view_days_add(amounts=[(article.pk, office_id, day, amount)]),
        first=True,
    )


def view_day_key(*, day, article_id, office_id):
    """The cache key of the views of one article, office and day not yet in the table."""
    return f"kb:viewday:{day:%Y%m%d}:{article_id}:{office_id or 0}"


def _buffer_view(key, *, timeout, write, first=False):
    """One more view under ``key``; ``write(amount)`` when VIEW_FLUSH_EVERY
    have come together (and, with ``first``, for the first one: 1)."""
    if cache.add(key, 0 if first else 1, timeout=timeout):
        if first:
            write(1)
        return
    try:
        pending = cache.incr(key)
    except ValueError:
        # Evicted between add() and incr(): start again. Or the cache is out
        # of reach (add() fails too): this view is lost.
        if cache.add(key, 0 if first else 1, timeout=timeout) and first:
            write(1)
        return
    if pending >= VIEW_FLUSH_EVERY:
        taken = view_buffer_take(key=key, amount=pending)
        if taken:
            write(taken)


def view_buffer_take(*, key, amount):
    """Take ``amount`` buffered views out of the cache under ``key`` with an
    atomic decrement, never a delete: views that arrive meanwhile stay.
    Returns how many were taken: ``amount``, or fewer when another take got
    some of them first (the key then went below 0, and what was not there is
    given back), or 0 when the key is gone (those views are lost)."""
    try:
        left = cache.decr(key, amount)
    except ValueError:  # evicted, or the cache is out of reach
        return 0
    if left >= 0:
        return amount
    missing = min(-left, amount)
    with contextlib.suppress(ValueError):  # gone meanwhile: nothing to give back to
        cache.incr(key, missing)
    return amount - missing


@functools.cache
def _view_days_sql():
    qn = connection.ops.quote_name
    table = qn(ArticleViewDay._meta.db_table)
    # The conflict target is the unique index «article_view_day_unique»,
    # COALESCE included, so that the rows without an office are found too.
    # An upsert is atomic on SQLite and PostgreSQL: two amounts at once both
    # count. Only the model's own names go into the text.
    return (
        f"INSERT INTO {table} ({qn('article_id')}, {qn('office_id')}, {qn('date')}, "  # noqa: S608
        f"{qn('views')}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({qn('article_id')}, {qn('date')}, (COALESCE({qn('office_id')}, 0))) "
        f"DO UPDATE SET {qn('views')} = {table}.{qn('views')} + excluded.{qn('views')}"
    )


def article_view_days_add(*, amounts):
    """Add views to the day rows: ``amounts`` of (article id, office id or
    None, day, views), in one statement each, the row made if missing."""
    amounts = sorted(amounts, key=lambda row: (row[0], row[1] or 0, row[2]))
    if not amounts:
        return
    with connection.cursor() as cursor:
        if len(amounts) == 1:
            cursor.execute(_view_days_sql(), amounts[0])
        else:
            cursor.executemany(_view_days_sql(), amounts)


def article_views_flush(*, today=None, batch=1000):
    """Move the views still buffered in the cache for today and yesterday
    into their day rows (``manage.py flush_article_views``, every few
    minutes and after midnight). Every buffered amount has its row (the
    first view wrote it); each is taken with an atomic decrement, so views
    arriving meanwhile stay for the next run, and a second run moves
    nothing twice. Returns {"rows": day rows looked at, "views": moved}."""
    today = today or timezone.localdate()
    days = [today - timedelta(days=1), today]
    rows = ArticleViewDay.objects.filter(date__in=days).order_by("pk")
    looked, moved, last = 0, 0, 0
    while True:
        chunk = list(
            rows.filter(pk__gt=last).values_list("pk", "article_id", "office_id", "date")[:batch]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        looked += len(chunk)
        keys = {
            view_day_key(day=day, article_id=article_id, office_id=office_id): (
                article_id,
                office_id,
                day,
            )
            for _pk, article_id, office_id, day in chunk
        }
        amounts = []
        for key, pending in cache.get_many(list(keys)).items():
            if isinstance(pending, int) and pending > 0:
                taken = view_buffer_take(key=key, amount=pending)
                if taken:
                    amounts.append((*keys[key], taken))
        article_view_days_add(amounts=amounts)
        moved += sum(amount[3] for amount in amounts)
    return {"rows": looked, "views": moved}


def attachment_add(*, article, upload, title=""):
    """Attach ``upload`` to ``article``; a refused file raises ValidationError
    and leaves nothing behind.

    The text for search is read before the transaction opens: parsing may
    take up to EXTRACT_MAX_SECONDS, and an open write transaction would hold
    the database (all of it, on SQLite) that long.
    """
    attachment = attachment_prepare(upload=upload, title=title)
    attachment.article = article
    with transaction.atomic():
        attachment.save()
        article.content_changed()
        search_index_articles(article_ids=[article.pk])
    return attachment


def attachment_prepare(*, upload, title=""):
    """The checks of an editor's upload and the text of the file, without a
    database write: an unsaved Attachment, to be given its article and
    saved (``attachment_add`` does both; an import saves many at once).
    A refused file raises ValidationError."""
    inspect_upload(upload)
    attachment = Attachment(file=upload, title=title)
    attachment_extract_text(attachment=attachment)
    return attachment


def attachment_extract_text(*, attachment):
    """Read the text of ``attachment``'s file for search and keep it with the
    status and, when there is no text, the reason.

    Works on a new attachment before it is saved (the upload is read) and on
    a stored one, whose five extraction fields are then written with one
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
    attachment.slides = list(result.slides)
    if attachment.pk:
        Attachment.objects.filter(pk=attachment.pk).update(
            extracted_text=attachment.extracted_text,
            extraction_status=attachment.extraction_status,
            extraction_error=attachment.extraction_error,
            extracted_at=attachment.extracted_at,
            slides=attachment.slides,
        )
    return result


def _attachment_source(file):
    if not file._committed:  # a new upload, not stored yet
        return file.file
    try:
        return file.path
    except NotImplementedError:  # a storage without local paths (S3): read through it
        return file


# --- Reminders before a deadline -------------------------------------------------

# Days before the deadline each reminder is due, and the last day it may
# still go out when a run was missed: 7 days before (up to 2 days before),
# 1 day before (up to the deadline itself).
REMINDER_WINDOWS = {
    MandatoryReminder.Stage.WEEK: (7, 2),
    MandatoryReminder.Stage.DAY: (1, 0),
}


class MandatoryReminderConflict(Exception):
    """Another run recorded the same reminders meanwhile; this one sent nothing."""


@dataclass
class MandatoryReminderRun:
    today: date
    dry_run: bool = False
    documents: int = 0  # document reminders recorded
    people: int = 0  # people told
    notifications: int = 0


def reminder_stage(*, deadline, today):
    """The reminder due on ``today`` for ``deadline``, or None."""
    days_left = (deadline - today).days
    for stage, (first, last) in REMINDER_WINDOWS.items():
        if last <= days_left <= first:
            return stage
    return None


def _reminder_text(articles):
    if len(articles) == 1:
        article = articles[0]
        return gettext(
            "Напоминание: до %(date)s нужно ознакомиться с обязательным документом «%(title)s»."
        ) % {
            "date": formats.date_format(article.mandatory_deadline, "j E Y"),
            "title": article.title,
        }
    listed = "; ".join(
        f"«{article.title}» — " + formats.date_format(article.mandatory_deadline, "j E Y")
        for article in articles
    )
    return gettext(
        "Напоминание: подходит срок ознакомления с обязательными документами: %(list)s."
    ) % {"list": listed}


def mandatory_reminders_send(*, today, dry_run=False):
    """Remind the people who have not read a document in force 7 days and
    1 day before its deadline (``REMINDER_WINDOWS``; a missed day is caught
    up), once per document, stage, deadline and required version: recorded
    in ``MandatoryReminder`` under a unique key, so re-running sends nothing
    twice, and a new deadline or a new round starts over. Each person gets
    one notification per run listing their documents; people told the same
    share one batch of inserts. Two runs at once: the second fails on the
    key, rolls back and raises ``MandatoryReminderConflict``."""
    run = MandatoryReminderRun(today=today, dry_run=dry_run)
    first = max(days for days, _last in REMINDER_WINDOWS.values())
    candidates = list(
        Article.objects.published()
        .mandatory()
        .filter(
            mandatory_deadline__gte=today,
            mandatory_deadline__lte=today + timedelta(days=first),
        )
        .select_related("section", "mandatory_audience")
        .order_by("mandatory_deadline", "title", "id")
    )
    due = {}
    for article in candidates:
        stage = reminder_stage(deadline=article.mandatory_deadline, today=today)
        if stage is not None:
            due[article.pk] = (article, stage)
    sent = set(
        MandatoryReminder.objects.filter(article_id__in=list(due)).values_list(
            "article_id", "stage", "deadline", "article_version"
        )
    )
    todo = [
        (article, stage)
        for article, stage in due.values()
        if (article.pk, stage, article.mandatory_deadline, article.ack_required_version) not in sent
    ]
    letters = defaultdict(list)  # person -> [articles]
    records = []
    for article, stage in todo:
        count = 0
        for user_id in mandatory.unread_member_ids(article=article):
            letters[user_id].append(article)
            count += 1
        records.append(
            MandatoryReminder(
                article=article,
                stage=stage,
                deadline=article.mandatory_deadline,
                article_version=article.ack_required_version,
                sent_on=today,
                recipients=count,
            )
        )
    run.documents = len(records)
    run.people = len(letters)
    same = defaultdict(list)  # the documents of a letter -> the people it goes to
    for user_id, articles in letters.items():
        same[tuple(article.pk for article in articles)].append(user_id)
    run.notifications = run.people
    if dry_run or not records:
        return run
    try:
        with transaction.atomic():
            MandatoryReminder.objects.bulk_create(records)
            for user_ids in same.values():
                articles = letters[user_ids[0]]
                single = len(articles) == 1
                _notify_in_batches(
                    user_ids=user_ids,
                    kind=Kind.MANDATORY,
                    text=_reminder_text(articles),
                    url=articles[0].get_absolute_url()
                    if single
                    else reverse("articles:mandatory") + "?unread=1",
                    target=articles[0] if single else None,
                    subject=gettext("Напоминание: срок ознакомления с документами"),
                )
    except IntegrityError as error:
        raise MandatoryReminderConflict(str(error)) from error
    return run


# --- «Существенное изменение» and the followers -------------------------------------------


def article_update_record(*, article, summary, by=None, source=None):
    """Record that ``article`` (published, as saved now) changed in substance,
    with «что изменилось», and tell its followers. Once per version: asked a
    second time for the same version (a re-acknowledgement round saved with
    the same change) it returns the record already there and tells nobody
    again. A draft is refused (ValidationError): nobody has read it."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(gettext("Напишите, что изменилось."), code="no_summary")
    if not article.is_published or article.deleted_at is not None:
        raise ValidationError(
            gettext(
                "Существенное изменение отмечают только у опубликованного материала: "
                "черновик ещё никто не читал."
            ),
            code="not_published",
        )
    update, created = ArticleUpdate.objects.get_or_create(
        article=article,
        article_version=article.version,
        defaults={
            "summary": summary,
            "by": by,
            "source": source or ArticleUpdate.Source.EDITOR,
        },
    )
    if created:
        followers_notify(article=article, update=update, by=by)
    return update


def article_published_notify(*, article, by=None):
    """``article`` has just been published: tell the followers of its sections."""
    return followers_notify(article=article, update=None, by=by)
