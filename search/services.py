"""Writes of the search app: the index, the vocabulary and the search log.

The index is updated by explicit calls where articles change (articles'
services and admin), inside the same transaction as the change: a rolled back
edit leaves no trace in the index either.
"""

import html
import re
from collections import Counter
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from articles.companions import companion_texts
from articles.models import Article, Attachment
from people import roles
from search.analysis import (
    ABBREVIATION_MARK,
    WORD_RE,
    abbreviation_term,
    deletes,
    is_abbreviation,
    normalize,
    stem,
    word_terms,
)
from search.backends import get_backend
from search.models import SearchClick, SearchDocument, SearchQuery, SearchTerm, SearchTermDelete

TAG_RE = re.compile(r"<[^>]+>")
# Tags that end a line of text: paragraphs, headings, list items, table
# cells, quotes, captions. Others (bold, links) sit inside a line.
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|div|br|hr"
    r"|blockquote|pre|figure|figcaption|img|section|article|header|footer|aside|nav)\b[^>]*>",
    re.IGNORECASE,
)
VOCABULARY_WORD_RE = re.compile(r"^[a-zа-я]{3,40}$")
BATCH = 500


@lru_cache(maxsize=200_000)
def _vocabulary_parts(word):
    """(lower-case part, part as written) of the parts worth a vocabulary entry."""
    parts = []
    for part in word.split("-"):
        lowered = normalize(part)
        if VOCABULARY_WORD_RE.match(lowered):
            parts.append((lowered, part))
    return tuple(parts)


def _terms(word, vocabulary):
    if vocabulary is not None:
        vocabulary.update(_vocabulary_parts(word))
    return word_terms(word)


def _analyse(text, vocabulary=None):
    if not text:
        return ""
    out = []
    for match in WORD_RE.finditer(text):
        out.extend(_terms(match.group(), vocabulary))
    return " ".join(out)


@lru_cache(maxsize=200_000)
def _vocabulary_pair(lowered, part):
    if is_abbreviation(part):
        return lowered, abbreviation_term(part)
    return lowered, stem(lowered)


def _vocabulary_pairs(raw):
    """(word, term) pairs from what _analyse collected."""
    return {_vocabulary_pair(lowered, part) for lowered, part in raw}


def html_to_text(body):
    """Readable plain text of sanitised rich text: one line for each block
    (paragraph, heading, list item, table cell), so a snippet can show where
    one ends and the next begins instead of running them together."""
    text = html.unescape(TAG_RE.sub("", BLOCK_TAG_RE.sub("\n", body or "")))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _document(article, tags, attachments, vocabulary, extra=""):
    limit = settings.SEARCH_ATTACHMENT_CHARS
    attachment_text = " ".join(
        f"{attachment.title} {attachment.original_name} {attachment.extracted_text[:limit]}"
        for attachment in attachments
    )
    body_text = html_to_text(article.body)
    if extra:  # a structured kind's own fields (articles.companions)
        body_text = f"{body_text}\n{extra}" if body_text else extra
    return SearchDocument(
        article_id=article.pk,
        section_id=article.section_id,
        kind=article.kind,
        status=article.status,
        mandatory=article.mandatory,
        has_attachments=bool(attachments),
        updated_at=article.updated_at,
        title_terms=_analyse(article.title, vocabulary),
        tags_terms=_analyse(" . ".join(tags), vocabulary),
        summary_terms=_analyse(article.summary, vocabulary),
        body_terms=_analyse(body_text, vocabulary),
        attachment_terms=_analyse(attachment_text, vocabulary),
        body_text=body_text,
    )


def _indexable(article_ids):
    """Live articles among ``article_ids`` whose section is live too."""
    return (
        Article.all_objects.filter(
            pk__in=article_ids, deleted_at__isnull=True, section__deleted_at__isnull=True
        )
        .only(
            "id",
            "section_id",
            "title",
            "summary",
            "body",
            "kind",
            "status",
            "mandatory",
            "updated_at",
        )
        .order_by("pk")
    )


def _documents(articles):
    """SearchDocuments for ``articles`` and, for each, the words it holds
    (one query for all their tags, one for all their attachments)."""
    ids = [article.pk for article in articles]
    tags, files = {}, {}
    through = Article.tags.through
    for object_id, name in through.objects.filter(
        object_id__in=ids, content_type__app_label="articles", content_type__model="article"
    ).values_list("object_id", "tag__name"):
        tags.setdefault(object_id, []).append(name)
    for attachment in Attachment.objects.filter(article_id__in=ids).only(
        "id", "article_id", "title", "original_name", "extracted_text"
    ):
        files.setdefault(attachment.article_id, []).append(attachment)
    extras = companion_texts(articles=articles)
    documents, words = [], []
    for article in articles:
        raw = set()
        documents.append(
            _document(
                article,
                tags.get(article.pk, []),
                files.get(article.pk, []),
                raw,
                extras.get(article.pk, ""),
            )
        )
        words.append(_vocabulary_pairs(raw))
    return documents, words


@transaction.atomic
def search_index_articles(*, article_ids):
    """Bring the index up to date for these articles: (re)index the live ones,
    drop the rest (trashed, or in a trashed section)."""
    article_ids = list({int(pk) for pk in article_ids})
    if not article_ids:
        return
    documents, words = _documents(list(_indexable(article_ids)))
    SearchDocument.objects.filter(pk__in=article_ids).delete()
    SearchDocument.objects.bulk_create(documents)
    _vocabulary_add(set().union(*words))
    backend = get_backend()
    indexed = {document.article_id for document in documents}
    backend.documents_changed(sorted(indexed))
    backend.documents_removed(sorted(set(article_ids) - indexed))


def search_index_article(*, article):
    search_index_articles(article_ids=[article.pk])


def search_remove_articles(*, article_ids):
    SearchDocument.objects.filter(pk__in=list(article_ids)).delete()
    get_backend().documents_removed(list(article_ids))


def typo_keys(term):
    """A stem with each one letter left out (abbreviations are not corrected)."""
    return set() if term.endswith(ABBREVIATION_MARK) else deletes(term)


def _vocabulary_add(pairs):
    """Add words to the vocabulary and count one more document for each.

    Counts only grow between rebuilds (an edit counts its words again); they
    only order suggestions, and rebuild_search_index makes them exact.
    """
    if not pairs:
        return
    words = {word for word, _term in pairs}
    existing = set(SearchTerm.objects.filter(word__in=words).values_list("word", "term"))
    new = pairs - existing
    if new:
        terms = {term for _word, term in new}
        known = set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, term=term, frequency=0) for word, term in new],
            ignore_conflicts=True,
        )
        _insert_keys((key, term) for term in terms - known for key in typo_keys(term))
    SearchTerm.objects.filter(word__in=words).update(frequency=F("frequency") + 1)


def search_rebuild(*, progress=None):
    """Index every live article from scratch, with an exact vocabulary.

    ``progress(done, total)`` is called after each batch.
    """
    articles = Article.all_objects.filter(deleted_at__isnull=True, section__deleted_at__isnull=True)
    ids = list(articles.order_by("pk").values_list("pk", flat=True))
    frequencies = Counter()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTermDelete.objects.all().delete()
        SearchTerm.objects.all().delete()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            for document_raw in _rebuild_batch(batch):
                frequencies.update(document_raw)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    with transaction.atomic():
        _insert_rows(
            SearchTerm,
            ("word", "term", "frequency"),
            ((word, term, count) for (word, term), count in frequencies.items()),
        )
        stems = {term for _word, term in frequencies}
        _insert_keys((key, term) for term in stems for key in typo_keys(term))
    get_backend().documents_changed(ids)
    return len(ids)


def _rebuild_batch(batch):
    documents, words = _documents(list(_indexable(batch)))
    SearchDocument.objects.bulk_create(documents, batch_size=BATCH)
    return words


def _insert_keys(rows):
    _insert_rows(SearchTermDelete, ("key", "term"), rows)


def _insert_rows(model, columns, rows, size=10_000):
    """Insert plain tuples with executemany: a rebuild writes about ten typo
    keys per stem of the vocabulary, too many to build model objects for."""
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


# --- the search log -------------------------------------------------------------

ROLE_ORDER = (
    roles.ADMINISTRATOR,
    roles.EDITOR,
    roles.MANAGER,
    roles.WORKING_GROUP,
    roles.STAFF,
)


def role_of(user):
    """The user's main role, the only thing the log keeps about who searched."""
    names = roles.role_names(user)
    for role in ROLE_ORDER:
        if role in names:
            return role
    return roles.ADMINISTRATOR if user.is_superuser else ""


def search_log(*, query, filters, results, user, page=1, corrected=""):
    return SearchQuery.objects.create(
        query=query[:200],
        filters=filters,
        results=results,
        role=role_of(user),
        page=page,
        corrected=corrected[:200],
        created_at=timezone.now(),
    )


def search_click_log(*, search_id, article, position=0):
    """Record that a result was opened; an unknown log id is ignored."""
    if SearchQuery.objects.filter(pk=search_id).exists():
        SearchClick.objects.create(search_id=search_id, article=article, position=position)
