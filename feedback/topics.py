"""Comment topics: which subjects a comment talks about, and why.

A topic is a list of words and phrases (`feedback.models.Topic`). A comment
has the topic when it contains one of its phrases, word after word, after
both went through the search app's analysis (`search.analysis`): lower
case, ё as е, Russian Snowball stems, stop words («и», «на», «в»…) skipped.
«Долго ждала в очереди» therefore has the topic «очередь и ожидание»
through its phrase «очередь»: «очереди» and «очередь» share the stem
«очеред». No model, no training, nothing downloaded: a manager can read
the words of a topic and see why a comment has it.

The analysed terms of every comment are stored with the response
(``comment_terms``, filled on import), so tagging never analyses text
again and the comments page searches the same terms. Tagging writes
`ResponseTopic` rows with the response's keys copied, which the dashboard
counts without touching the responses.
"""

import logging
import os
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.masking import comment_mask, markers_strip
from search.analysis import STOP_WORDS, WORD_RE, normalize, word_terms

log = logging.getLogger(__name__)

MAX_PHRASES = 200
MAX_PHRASE_WORDS = 6
READ_CHUNK = 20_000
# Serialises re-tagging and imports' tagging on PostgreSQL (an advisory lock).
LOCK_KEY = 7_130_013

RESPONSES = "feedback_feedbackresponse"
LINKS = "feedback_responsetopic"
LINK_COLUMNS = (
    "response_id",
    "topic_id",
    "submitted_at",
    "month",
    "office_id",
    "client_type",
    "client_group",
    "channel",
    "negative",
)
_READ_COLUMNS = (
    "id, comment_terms, submitted_at, month, office_id, client_type, client_group, channel, "
    "csat, complaint"
)


# --- Analysis -----------------------------------------------------------------------


def text_terms(text):
    """The terms of ``text`` for topics and the comments search: every word
    through the search analysis, stop words left out, masking markers too."""
    if not text:
        return []
    terms = []
    for match in WORD_RE.finditer(markers_strip(text)):
        word = match.group()
        if normalize(word) in STOP_WORDS:
            continue
        terms.extend(word_terms(word))
    return terms


def comment_terms(text):
    """What ``FeedbackResponse.comment_terms`` holds: « term term », spaces at
    both ends so that a term is found with LIKE '% term %'; "" for no terms."""
    terms = text_terms(text)
    return f" {' '.join(terms)} " if terms else ""


def phrase_terms(phrase):
    return tuple(text_terms(phrase))


def words_errors(words):
    """Russian messages about a topic's words; [] when they are fine."""
    lines = [line.strip() for line in (words or "").splitlines() if line.strip()]
    if not lines:
        return [
            _(
                "Укажите хотя бы одно слово или фразу, по одной на строке: "
                "тема без слов не найдёт ни одного комментария."
            )
        ]
    errors = []
    if len(lines) > MAX_PHRASES:
        errors.append(
            _("Слишком много строк: %(count)s, можно не больше %(limit)s.")
            % {"count": len(lines), "limit": MAX_PHRASES}
        )
    for line in lines:
        terms = phrase_terms(line)
        if not terms:
            errors.append(
                _(
                    "В строке «%(line)s» нет значимых слов (только предлоги, союзы или знаки): "
                    "допишите её или уберите."
                )
                % {"line": line[:60]}
            )
        elif len(terms) > MAX_PHRASE_WORDS:
            errors.append(
                _("Фраза «%(line)s» длиннее %(limit)s слов: сократите её.")
                % {"line": line[:60], "limit": MAX_PHRASE_WORDS}
            )
    return errors


class TopicMatcher:
    """Finds the topics of a comment's terms.

    One-word phrases are a dictionary lookup per term; longer phrases are
    looked up by their first term and then compared word by word. A comment
    none of whose terms starts a phrase costs one set intersection.
    """

    def __init__(self, topics):
        self.single = {}  # term -> {topic ids}
        self.multi = {}  # first term -> [(following terms, topic id)]
        for topic_id, phrases in topics:
            for phrase in phrases:
                terms = phrase_terms(phrase)
                if len(terms) == 1:
                    self.single.setdefault(terms[0], set()).add(topic_id)
                elif terms:
                    self.multi.setdefault(terms[0], []).append((terms[1:], topic_id))
        self.keys = frozenset(self.single) | frozenset(self.multi)

    def __bool__(self):
        return bool(self.keys)

    def match(self, terms):
        """The ids of the topics of a list of terms (a set, maybe empty)."""
        if self.keys.isdisjoint(terms):
            return ()
        found = set()
        single, multi = self.single, self.multi
        for position, term in enumerate(terms):
            ids = single.get(term)
            if ids is not None:
                found |= ids
            following = multi.get(term)
            if following is not None:
                for rest, topic_id in following:
                    end = position + 1 + len(rest)
                    if tuple(terms[position + 1 : end]) == rest:
                        found.add(topic_id)
        return found


# A negative answer, for the topics' «доля негативных»: a complaint or CSAT 1–2
# (SQL over the responses as r: the links copy it from there).
NEGATIVE_SQL = "(r.complaint OR (r.csat IS NOT NULL AND r.csat <= 2))"


# --- Tagging ------------------------------------------------------------------------


def active_topics(topic_ids=None):
    """(id, phrases) of the active topics (of ``topic_ids`` when given)."""
    from feedback.models import Topic

    topics = Topic.objects.filter(is_active=True).only("id", "words")
    if topic_ids is not None:
        topics = topics.filter(pk__in=topic_ids)
    return [(topic.pk, topic.phrases) for topic in topics]


def _lock():
    """Wait for any other tagging to end (PostgreSQL; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _tag(matcher, *, batch_id=None):
    """Write the links of every commented response (of one batch) that the
    matcher finds a topic for; returns how many links were written.

    Each distinct text of terms is matched once, in Python; the links are
    then written by the database from the responses themselves
    (`TermsStage`), not row by row."""
    if not matcher:
        return 0
    where = "comment_terms <> ''"
    params = []
    if batch_id is not None:
        where += " AND batch_id = %s"
        params.append(batch_id)
    sql = f"SELECT DISTINCT comment_terms FROM {RESPONSES} WHERE {where}"  # noqa: S608
    stage = TermsStage()
    match = matcher.match
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(READ_CHUNK):
            for (terms,) in rows:
                ids = match(terms.split())
                if ids:
                    stage.add(terms, ids)
    return stage.links_insert(batch_id=batch_id)


_STAGE = "feedback_topic_terms_stage"
_STAGE_CHUNK = 20_000


class TermsStage:
    """Which texts of comment terms have which topics, gathered in a
    temporary table; `links_insert` then writes the links of every
    response with such terms in one INSERT … SELECT, with the response's
    keys copied. Python handles one row per distinct text and topic,
    never one per response.

    ``using`` is the connection to write with (the import's writer
    thread shares the importing one's). The same text may be added twice
    (the join takes each pair once).
    """

    def __init__(self, using=None):
        self.connection = using or connection
        self.pending = []
        self.postgresql = self.connection.vendor == "postgresql"
        with self.connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} "
                    "(terms text NOT NULL, topic_id bigint NOT NULL) ON COMMIT DROP"
                )
            else:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} "
                    "(terms text NOT NULL, topic_id integer NOT NULL)"
                )
            cursor.execute(f"DELETE FROM {_STAGE}")  # noqa: S608

    def add(self, terms, topic_ids):
        self.pending.extend((terms, topic_id) for topic_id in topic_ids)
        if len(self.pending) >= _STAGE_CHUNK:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        with self.connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {_STAGE} (terms, topic_id) FROM STDIN") as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {_STAGE} (terms, topic_id) VALUES (%s, %s)",  # noqa: S608
                    self.pending,
                )
        self.pending = []

    def links_insert(self, *, batch_id=None):
        """Write the links of the responses (of ``batch_id``, when given)
        whose terms were added; returns how many were written."""
        self.flush()
        keys = ", ".join(f"r.{column}" for column in LINK_COLUMNS[2:-1])
        where, params = ("WHERE r.batch_id = %s", [batch_id]) if batch_id is not None else ("", [])
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {LINKS} ({', '.join(LINK_COLUMNS)}) "  # noqa: S608 - fixed names
                f"SELECT r.id, s.topic_id, {keys}, {NEGATIVE_SQL} "
                f"FROM {RESPONSES} r "
                f"JOIN (SELECT DISTINCT terms, topic_id FROM {_STAGE}) s "
                f"ON s.terms = r.comment_terms {where}",
                params,
            )
            written = cursor.rowcount
            cursor.execute(f"DELETE FROM {_STAGE}")  # noqa: S608
        return written


class BatchTagger:
    """Tags an import's comments while its rows are read, not afterwards.

    The importer already has every comment's terms: `stage_pairs` matches
    them (once per distinct terms) and says which (terms, topic) pairs
    the import's `TermsStage` still needs; the links are written from the
    stored rows at the end of the row pass. A row skipped as a duplicate of
    a stored response belongs to another import and gets no link, as with
    `_tag`. The dictionary is read under the tagging lock (shared between
    imports, exclusive for re-tagging), held until the import's transaction
    ends.
    """

    def __init__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOCK_KEY])
        self.matcher = TopicMatcher(active_topics())
        self._memo = {}

    def __bool__(self):
        return bool(self.matcher)

    def topics_of(self, terms):
        """The sorted topic ids of a comment's stored terms (a tuple, maybe empty)."""
        if not terms or not self.matcher:
            return ()
        ids = self._memo.get(terms)
        if ids is None:
            ids = tuple(sorted(self.matcher.match(terms.split())))
            if len(self._memo) < 50_000:
                self._memo[terms] = ids
        return ids

    def new_topics(self, terms):
        """The topic ids of ``terms`` when they were not seen before in this
        import (or were forgotten: the memory is bounded), else ()."""
        if not terms or not self.matcher or terms in self._memo:
            return ()
        return self.topics_of(terms)


def topics_mark_tagged(*, topic_ids=None):
    from feedback.models import Topic

    topics = Topic.objects.all() if topic_ids is None else Topic.objects.filter(pk__in=topic_ids)
    topics.update(tagged_at=timezone.now())


def topics_reapply(*, topic_ids=None):
    """Tag every stored comment again with the topics of ``topic_ids`` (all
    when None) as they are now: their old links go, an inactive topic gets
    none. One transaction; returns (links written, seconds)."""
    started = time.perf_counter()
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            if topic_ids is None:
                cursor.execute(f"DELETE FROM {LINKS}")  # noqa: S608
            else:
                ids = [int(pk) for pk in topic_ids]
                marks = ", ".join(["%s"] * len(ids)) or "NULL"
                cursor.execute(f"DELETE FROM {LINKS} WHERE topic_id IN ({marks})", ids)  # noqa: S608
        written = _tag(TopicMatcher(active_topics(topic_ids)))
        topics_mark_tagged(topic_ids=topic_ids)
    took = time.perf_counter() - started
    log.info("topics re-applied (%s): %s links in %.1f s", topic_ids or "all", written, took)
    return written, took


def topics_reapply_start(*, topic_ids):
    """Re-tag after a change of the dictionary, away from the request when
    FEEDBACK_IMPORT_RUNNER says so (the imports' runner: ``subprocess`` by
    default, ``thread`` for the development server, ``sync`` for tests).
    Returns True when it already ran (sync), False when it was queued."""
    runner = getattr(settings, "FEEDBACK_IMPORT_RUNNER", "subprocess")
    if runner == "sync":
        topics_reapply(topic_ids=topic_ids)
        return True
    if runner == "thread":
        thread = threading.Thread(target=_thread_run, args=(list(topic_ids),), daemon=True)
        transaction.on_commit(thread.start)
        return False
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "topics_reapply"]
    for pk in topic_ids:
        command += ["--topic", str(int(pk))]
    transaction.on_commit(lambda: _spawn(command))
    return False


def _spawn(command):
    subprocess.Popen(  # noqa: S603 - our own fixed command line, no shell
        command,
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ},
    )


def _thread_run(topic_ids):
    close_old_connections()
    try:
        topics_reapply(topic_ids=topic_ids)
    finally:
        connection.close()


# --- Comments stored before masking -------------------------------------------------


def stored_comments_prepare(response_model, *, chunk=5000):
    """Mask and analyse every stored comment (the comments imported before
    masking existed), with the historical or the current model.

    A response without an id in its source is known again by a hash of its
    values, the comment included: when masking changed its comment, its key
    is computed again from what is stored now, so that importing the same
    old file again still finds it (left as it was in the rare case another
    response already has the new key). Returns (comments masked, comments
    analysed)."""
    from feedback.importers import dedup_key_for

    masked = analysed = 0
    rekey = []
    last = 0
    while True:
        rows = list(
            response_model.objects.filter(pk__gt=last)
            .exclude(comment="")
            .order_by("pk")
            .values_list("pk", "comment", "external_id")[:chunk]
        )
        if not rows:
            break
        last = rows[-1][0]
        updates = []
        for pk, comment, external_id in rows:
            clean = comment_mask(comment)
            if clean != comment:
                masked += 1
                if not external_id:
                    rekey.append(pk)
            updates.append((clean, comment_terms(clean), pk))
        analysed += len(updates)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {RESPONSES} SET comment = %s, comment_terms = %s WHERE id = %s",  # noqa: S608
                updates,
            )
    fields = [f.name for f in response_model._meta.concrete_fields]
    for start in range(0, len(rekey), chunk):
        for response in response_model.objects.filter(pk__in=rekey[start : start + chunk]):
            values = {name: getattr(response, name) for name in fields}
            values["office_id"], values["service_id"] = response.office_id, response.service_id
            key = dedup_key_for(
                values,
                office_code=response.office.code,
                service_code=response.service.code if response.service_id else "",
            )
            if not response_model.objects.filter(dedup_key=key).exists():
                response_model.objects.filter(pk=response.pk).update(dedup_key=key)
    return masked, analysed


def stored_links_rebuild(topic_model):
    """Tag every stored comment with the active topics of ``topic_model``
    (a migration's historical model): the links are written again."""
    topics = [
        (topic.pk, [line.strip() for line in topic.words.splitlines() if line.strip()])
        for topic in topic_model.objects.filter(is_active=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LINKS}")  # noqa: S608
    return _tag(TopicMatcher(topics))
