"""Where the matching happens: the database's own full-text index.

A backend answers three questions about a match expression and some filters:
which articles match (as SQL that other queries can nest), how they count per
facet, and which are the best N by the engine's own rank. Everything else
(analysis, typo correction, final ranking, snippets) is shared Python, so both
databases give the same answers. An external engine for a federal install
would implement the same methods and receive ``documents_changed`` /
``documents_removed`` calls from ``search.services``.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection


@dataclass
class Filters:
    """What the person narrowed the search to (None / empty = no filter)."""

    statuses: tuple = ("published",)
    section_ids: list | None = None
    kind: str = ""
    tag: str = ""
    updated_from: object = None  # aware datetime, inclusive
    updated_before: object = None  # aware datetime, exclusive
    mandatory: bool = False
    attachments: bool = False

    def without_facets(self):
        """The filters facet counts are computed under (each facet then
        applies the others in Python)."""
        return Filters(
            statuses=self.statuses,
            tag=self.tag,
            updated_from=self.updated_from,
            updated_before=self.updated_before,
        )

    def without_tag(self):
        return Filters(**{**self.__dict__, "tag": ""})


def where_sql(filters):
    """SQL conditions on the document alias ``d`` and their parameters."""
    ops = connection.ops
    parts, params = [], []
    parts.append(f"d.status IN ({', '.join(['%s'] * len(filters.statuses))})")
    params.extend(filters.statuses)
    if filters.section_ids is not None:
        ids = list(filters.section_ids) or [0]
        parts.append(f"d.section_id IN ({', '.join(['%s'] * len(ids))})")
        params.extend(ids)
    if filters.kind:
        parts.append("d.kind = %s")
        params.append(filters.kind)
    if filters.mandatory:
        parts.append("d.mandatory = %s")
        params.append(True)
    if filters.attachments:
        parts.append("d.has_attachments = %s")
        params.append(True)
    if filters.updated_from is not None:
        parts.append("d.updated_at >= %s")
        params.append(ops.adapt_datetimefield_value(filters.updated_from))
    if filters.updated_before is not None:
        parts.append("d.updated_at < %s")
        params.append(ops.adapt_datetimefield_value(filters.updated_before))
    if filters.tag:
        parts.append(
            "d.article_id IN (SELECT ti.object_id FROM taggit_taggeditem ti"
            " JOIN taggit_tag t ON t.id = ti.tag_id"
            " JOIN django_content_type ct ON ct.id = ti.content_type_id"
            " WHERE ct.app_label = 'articles' AND ct.model = 'article' AND t.slug = %s)"
        )
        params.append(filters.tag)
    return " AND ".join(parts), params


class DatabaseBackend:
    """The shape every backend has; the SQL pieces differ per database.

    Two indexes: the whole article, and its «head» (title, tags, summary),
    which is several times smaller and so cheap to rank when a common word
    matches a large part of the knowledge base.
    """

    name = ""
    id_column = "d.article_id"

    # Hooks for engines that keep their own copy (none here: the database's
    # index follows the SearchDocument table by itself).
    def documents_changed(self, article_ids):
        pass

    def documents_removed(self, article_ids):
        pass

    def expression(self, groups, *, any_word=False):
        """The match of ``groups`` (each a set of alternative terms): every
        group, or any group with ``any_word``."""
        raise NotImplementedError

    def source(self, expression, *, head=False):
        """(FROM … WHERE-match SQL, params, score SQL) for a match."""
        raise NotImplementedError

    def _select(self, columns, expression, filters, *, head=False, tail=""):
        source, params, score = self.source(expression, head=head)
        where, where_params = where_sql(filters)
        score_params = []
        if "{score}" in columns:
            columns = columns.replace("{score}", score)
            score_params = [expression] * score.count("%s")
        sql = f"SELECT {columns} FROM {source} AND {where}{tail}"  # noqa: S608 - values are parameters
        return sql, [*score_params, *params, *where_params]

    def matched_sql(self, expression, filters):
        """SELECT of the matching article ids, for nesting in other queries."""
        return self._select("d.article_id", expression, filters)

    def facet_rows(self, expression, filters, limit):
        """(section, kind, mandatory, has attachments, count) of the first
        ``limit`` matches: exact counts unless ``limit`` is reached."""
        inner, params = self._select(
            "d.section_id, d.kind, d.mandatory, d.has_attachments",
            expression,
            filters,
            tail=" LIMIT %s",
        )
        columns = "section_id, kind, mandatory, has_attachments"
        sql = f"SELECT {columns}, COUNT(*) FROM ({inner}) m GROUP BY {columns}"  # noqa: S608
        return [
            (section_id, kind, bool(mandatory), bool(has_attachments), count)
            for section_id, kind, mandatory, has_attachments, count in self._fetch(
                sql, [*params, limit]
            )
        ]

    def best_ids(self, expression, filters, limit, offset=0, *, head=False):
        """The best ``limit`` matches by the engine's rank (in the head only
        with ``head``)."""
        sql, params = self._select(
            "d.article_id, {score} AS score",
            expression,
            filters,
            head=head,
            tail=" ORDER BY score DESC, d.updated_at DESC LIMIT %s OFFSET %s",
        )
        return [row[0] for row in self._fetch(sql, [*params, limit, offset])]

    def newest_ids(self, expression, filters, limit, offset=0, exclude=()):
        """Matches newest first (by id): the index stops after ``limit`` rows
        however many match, unlike a rank that has to score them all."""
        excluded = ""
        if exclude:
            excluded = f" AND d.article_id NOT IN ({', '.join(['%s'] * len(exclude))})"
        sql, params = self._select(
            "d.article_id",
            expression,
            filters,
            tail=f"{excluded} ORDER BY {self.id_column} DESC LIMIT %s OFFSET %s",
        )
        return [row[0] for row in self._fetch(sql, [*params, *exclude, limit, offset])]

    def _fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SQLiteBackend(DatabaseBackend):
    """FTS5 with bm25 column weights: title, tags, summary, body, attachments."""

    name = "sqlite"
    # FTS5 walks its index in rowid order, so this order stops early.
    id_column = "search_fts.rowid"

    def expression(self, groups, *, any_word=False):
        joiner = " OR " if any_word else " AND "
        return joiner.join(
            "(" + " OR ".join(f'"{term}"' for term in sorted(group)) + ")" for group in groups
        )

    def source(self, expression, *, head=False):
        if head:
            return (
                "search_fts_head JOIN search_searchdocument d"
                " ON d.article_id = search_fts_head.rowid WHERE search_fts_head MATCH %s",
                [expression],
                "(-bm25(search_fts_head, 10.0, 6.0, 4.0))",
            )
        return (
            "search_fts JOIN search_searchdocument d ON d.article_id = search_fts.rowid"
            " WHERE search_fts MATCH %s",
            [expression],
            "(-bm25(search_fts, 10.0, 6.0, 4.0, 2.0, 1.0))",
        )


class PostgresBackend(DatabaseBackend):
    """tsvectors of pre-stemmed terms ('simple'), GIN indexes, ts_rank_cd."""

    name = "postgresql"

    def expression(self, groups, *, any_word=False):
        joiner = " | " if any_word else " & "
        return joiner.join("(" + " | ".join(sorted(group)) + ")" for group in groups)

    def source(self, expression, *, head=False):
        # The query inline, not joined in: only a constant lets the planner
        # use the GIN index.
        column = "d.head_vector" if head else "d.vector"
        query = "to_tsquery('simple'::regconfig, %s)"
        return (
            f"search_searchdocument d WHERE {column} @@ {query}",
            [expression],
            f"ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', {column}, {query})",
        )


BACKENDS = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


@cache
def _backend(name):
    return BACKENDS[name]()


def get_backend():
    """The backend SEARCH_BACKEND names; «auto» follows the database."""
    name = getattr(settings, "SEARCH_BACKEND", "auto")
    if name == "auto":
        name = connection.vendor
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND={name!r} is not known; use auto, {', '.join(BACKENDS)}."
        )
    return _backend(name)
