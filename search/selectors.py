"""Reads of the search app: from a query and filters to a page of results.

The cost of a results page does not depend on how many articles match: the
vocabulary check, the facet counts, the tag counts, the best candidates, and
then for one page the cards, their texts and their attachments.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, Q
from django.db.models.functions import Substr
from django.utils import timezone

from articles.models import Article, Attachment
from articles.selectors import with_sections
from search.analysis import (
    ABBREVIATION_MARK,
    MAX_ABBREVIATION,
    WORD_RE,
    analyse,
    damerau_levenshtein,
    deletes,
    normalize,
    query_words,
    stem,
    transpositions,
)
from search.backends import get_backend
from search.models import (
    SearchClick,
    SearchDocument,
    SearchQuery,
    SearchTerm,
    SearchTermDelete,
)
from search.snippets import highlight, snippet

PAGE_SIZE = 20
RANK_CHARS = 20_000  # of body and attachment terms read for re-ranking
TAG_FACETS = 15
# Matches are counted up to this many; above it the page says «более …», facet
# counts are approximate, tags are not counted and the engine does not rank
# every match (see RankedIds): all of that would read every match.
COUNT_LIMIT = 3000

# Where a query word is found, and how much that says about the article.
FIELD_WEIGHTS = (
    ("title_terms", 10.0),
    ("tags_terms", 6.0),
    ("summary_terms", 4.0),
    ("body", 2.0),
    ("attachments", 1.0),
)
EXACT_TITLE_BONUS = 1000.0
PROXIMITY_WEIGHT = 1.5
COVERAGE_WEIGHT = 30.0


# --- query words: known words, abbreviations and typos ---------------------------


def resolve_words(words):
    """Give each query word the index terms that stand for it, correcting
    words the knowledge base does not have to the closest word it has."""
    texts = {word.text for word in words}
    candidates = {word.stem for word in words} | {word.text + ABBREVIATION_MARK for word in words}
    rows = SearchTerm.objects.filter(Q(word__in=texts) | Q(term__in=candidates)).values_list(
        "word", "term"
    )
    known, by_word = set(), defaultdict(set)
    for text, term in rows:
        known.add(term)
        by_word[text].add(term)
    unknown = []
    for word in words:
        abbreviation = word.text + ABBREVIATION_MARK
        if word.typed_caps:
            word.terms = {abbreviation} if abbreviation in known else {abbreviation, word.stem}
        elif (
            abbreviation in known
            and word.stem not in by_word[word.text]
            and len(word.text) <= MAX_ABBREVIATION
        ):
            word.terms = {abbreviation}  # «сво» typed small is still the abbreviation
        else:
            word.terms = {word.stem}
            if word.stem not in known and len(word.text) >= 4 and word.text.isalpha():
                unknown.append(word)
    if unknown:
        _correct(unknown)
    return words


ENDING_CHARS = 6  # the longest Russian ending Snowball takes off, and a typo


def typo_keys(word):
    """What a typo may share with the vocabulary's words, stems and their
    one-letter deletions (SymSpell: one deletion on each side).

    The stem is not enough alone: a typo in the ending keeps the stemmer
    from taking it off («клиентоцентричнсоть» stems to «…нсот», far from
    «…н»). The word's stem, or the stem less a letter, is then a prefix of
    the typo. Swapped letters put back make the word itself.
    """
    text = word.text
    keys = {text, word.stem} | deletes(text) | deletes(word.stem)
    keys |= {text[:n] for n in range(max(4, len(text) - ENDING_CHARS), len(text))}
    for swapped in transpositions(text):
        keys |= {swapped, stem(swapped)}
    return keys


def _correct(words):
    """Finds the knowledge-base words within two edits of each typo in one
    query (the candidates), then keeps the closest by Damerau–Levenshtein
    distance on the word or on its stem."""
    keys = set()
    for word in words:
        keys |= typo_keys(word)
    rows = SearchTerm.objects.filter(
        Q(word__in=keys)
        | Q(term__in=keys)
        | Q(term__in=SearchTermDelete.objects.filter(key__in=keys).values("term"))
    ).values_list("word", "term", "frequency")
    rows = [row for row in rows if not row[1].endswith(ABBREVIATION_MARK)]
    for word in words:
        word_limit = 1 if len(word.text) <= 5 else 2
        stem_limit = 1 if len(word.stem) >= 5 else 0
        best = None
        for text, term, frequency in rows:
            on_word = damerau_levenshtein(word.text, text, word_limit)
            on_stem = damerau_levenshtein(word.stem, term, stem_limit) if stem_limit else 99
            if on_stem > stem_limit:  # «more than the limit» is not a distance to take
                on_stem = 99
            distance = min(on_word, on_stem)
            if distance <= word_limit:
                key = (distance, on_word, -frequency, text)
                if best is None or key < best[0]:
                    best = (key, text, term)
        if best is not None:
            word.corrected = best[1]
            word.terms = word.terms | {best[2]}


def suggestion(query, words):
    """The query with its corrected words put in, or "" if none was."""
    corrections = {word.text: word.corrected for word in words if word.corrected}
    if not corrections:
        return ""

    def replace(match):
        parts = match.group().split("-")
        return "-".join(corrections.get(normalize(part), part) for part in parts)

    return WORD_RE.sub(replace, query)


# --- ranking ------------------------------------------------------------------------


def _min_span(hits, need):
    """The shortest stretch of tokens holding every group: ``hits`` are
    (position, group) in reading order."""
    have, counts = 0, Counter()
    best, left = math.inf, 0
    for pos, group in hits:
        if counts[group] == 0:
            have += 1
        counts[group] += 1
        while have == need:
            left_pos, left_group = hits[left]
            best = min(best, pos - left_pos + 1)
            counts[left_group] -= 1
            if counts[left_group] == 0:
                have -= 1
            left += 1
    return best


def _without_abbreviations(terms):
    return [term for term in terms.split() if not term.endswith(ABBREVIATION_MARK)]


def score(row, groups, exact_title, term_group):
    """How well one candidate answers the query (higher is better)."""
    all_terms = term_group.keys()
    total, covered = 0.0, set()
    for name, weight in FIELD_WEIGHTS:
        tokens = row[name].split()
        found = all_terms & set(tokens)
        if not found:
            continue
        frequencies = Counter()
        for term in found:
            frequencies[term_group[term]] += tokens.count(term)
        covered.update(frequencies)
        for frequency in frequencies.values():
            total += weight * frequency / (frequency + 0.5)
        if name == "title_terms":  # a short title that is mostly the query
            total += weight * sum(frequencies.values()) / len(tokens)
        if len(groups) > 1 and len(frequencies) == len(groups):
            hits = [(i, term_group[t]) for i, t in enumerate(tokens) if t in found]
            total += weight * PROXIMITY_WEIGHT * len(groups) / _min_span(hits, len(groups))
    total += COVERAGE_WEIGHT * len(covered) / len(groups)
    if exact_title and _without_abbreviations(row["title_terms"]) == exact_title:
        total += EXACT_TITLE_BONUS
    return total


def rerank(rows, groups, query):
    exact_title = _without_abbreviations(analyse(query))
    term_group = {}
    for index, group in enumerate(groups):
        for term in group:
            term_group.setdefault(term, index)
    scored = [(round(score(row, groups, exact_title, term_group), 4), row) for row in rows]
    # Fresher content wins ties.
    scored.sort(
        key=lambda item: (-item[0], -item[1]["updated_at"].timestamp(), item[1]["article_id"])
    )
    return [row["article_id"] for _score, row in scored]


class RankedIds:
    """The ordered article ids of all matches, fetched one page at a time.

    The first SEARCH_RERANK are re-ranked in Python. They are the engine's
    best when fewer than COUNT_LIMIT articles match. When more match, ranking
    them all costs too much: the candidates are then the engine's best by
    title, tags and summary (a much smaller index) plus the newest matches,
    and the later pages list the rest newest first.
    """

    def __init__(self, backend, expression, filters, groups, query, total, *, large):
        self.backend, self.expression, self.filters = backend, expression, filters
        self.groups, self.query, self.total, self.large = groups, query, total, large
        self.limit = settings.SEARCH_RERANK // PAGE_SIZE * PAGE_SIZE
        self._head = None

    def __len__(self):
        return self.total

    def _candidates(self):
        best = self.backend.best_ids(self.expression, self.filters, self.limit, head=self.large)
        if not self.large:
            return best
        newest = self.backend.newest_ids(self.expression, self.filters, self.limit)
        return list(dict.fromkeys([*best, *newest]))

    def head(self):
        if self._head is None:
            rows = SearchDocument.objects.filter(pk__in=self._candidates()).values(
                "article_id",
                "updated_at",
                "title_terms",
                "tags_terms",
                "summary_terms",
                body=Substr("body_terms", 1, RANK_CHARS),
                attachments=Substr("attachment_terms", 1, RANK_CHARS),
            )
            self._head = rerank(list(rows), self.groups, self.query)[: self.limit]
        return self._head

    def __getitem__(self, index):
        start, stop = index.start or 0, index.stop
        if stop <= self.limit:
            return self.head()[start:stop]
        if not self.large:
            return self.backend.best_ids(self.expression, self.filters, stop - start, start)
        head = self.head()
        return self.backend.newest_ids(
            self.expression, self.filters, stop - start, start - len(head), exclude=head
        )


# --- facets ----------------------------------------------------------------------------


@dataclass
class Facets:
    sections: list = field(default_factory=list)  # (node, indented title, count)
    kinds: list = field(default_factory=list)  # (value, label, count)
    tags: list = field(default_factory=list)  # (slug, name, count)
    mandatory: int = 0
    attachments: int = 0
    approximate: bool = False  # counted on the first COUNT_LIMIT matches only


def _facets(rows, filters, section_ids, tree, *, approximate=False):
    wanted = set(section_ids) if section_ids is not None else None

    def passes(row, skip):
        section_id, kind, mandatory, has_attachments, _count = row
        return (
            (skip == "section" or wanted is None or section_id in wanted)
            and (skip == "kind" or not filters.kind or kind == filters.kind)
            and (skip == "mandatory" or not filters.mandatory or mandatory)
            and (skip == "attachments" or not filters.attachments or has_attachments)
        )

    total = sum(row[4] for row in rows if passes(row, None))
    facets = Facets(approximate=approximate)
    kinds = Counter()
    direct = Counter()
    for row in rows:
        if passes(row, "kind"):
            kinds[row[1]] += row[4]
        if passes(row, "section"):
            direct[row[0]] += row[4]
        if row[2] and passes(row, "mandatory"):
            facets.mandatory += row[4]
        if row[3] and passes(row, "attachments"):
            facets.attachments += row[4]
    facets.kinds = [
        (value, label, kinds[value]) for value, label in Article.Kind.choices if kinds[value]
    ]
    subtree = Counter()
    for node in reversed(list(tree.by_id.values())):  # children come after parents
        subtree[node.id] += direct[node.id]
        if node.parent_id in tree.by_id:
            subtree[node.parent_id] += subtree[node.id]
    facets.sections = [
        (node, "— " * node.level + node.title, subtree[node.id])
        for node in tree.by_id.values()
        if subtree[node.id]
    ]
    return total, facets


def _tag_facets(backend, expression, filters):
    matched, params = backend.matched_sql(expression, filters.without_tag())
    # From the matches to their tags (the tagged-item index on content type
    # and object), not from every tagged item to the matches.
    sql = (
        f"SELECT t.slug, t.name, COUNT(*) FROM ({matched}) m"  # noqa: S608 - values are parameters
        " JOIN taggit_taggeditem ti ON ti.object_id = m.article_id AND ti.content_type_id = ("
        "SELECT ct.id FROM django_content_type ct"
        " WHERE ct.app_label = 'articles' AND ct.model = 'article')"
        " JOIN taggit_tag t ON t.id = ti.tag_id"
        " GROUP BY t.slug, t.name ORDER BY COUNT(*) DESC, t.name LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, TAG_FACETS])
        return cursor.fetchall()


# --- the whole search ------------------------------------------------------------------


@dataclass
class Result:
    article: Article
    position: int
    title_html: str
    summary_html: str
    snippet_html: str = ""
    attachment: Attachment | None = None
    path: list = field(default_factory=list)


@dataclass
class SearchResults:
    query: str
    words: list
    page: object = None
    total: int = 0
    facets: Facets = field(default_factory=Facets)
    suggestion: str = ""
    any_word: bool = False
    large: bool = False  # more than COUNT_LIMIT matches

    @property
    def terms(self):
        return set().union(*(word.terms for word in self.words)) if self.words else set()


def search_articles(*, query, filters, section_id=None, tree, page_number=1):
    """Everything the results page shows for ``query`` under ``filters``."""
    words = query_words(query)
    results = SearchResults(query=query, words=words)
    if not words:
        return results
    resolve_words(words)
    results.suggestion = suggestion(query, words)
    groups = [word.terms for word in words]
    backend = get_backend()
    section_ids = tree.descendant_ids(section_id) if section_id else None
    filters.section_ids = section_ids
    expression = backend.expression(groups)
    total, facets = _count(backend, expression, filters, section_ids, tree)
    if total == 0 and len(groups) > 1:
        # No article has every word: show those with some, best covered first.
        results.any_word = True
        expression = backend.expression(groups, any_word=True)
        total, facets = _count(backend, expression, filters, section_ids, tree)
    results.large = total > COUNT_LIMIT
    results.total = min(total, COUNT_LIMIT)
    results.facets = facets
    if not total:
        results.page = Paginator([], PAGE_SIZE).get_page(1)
        return results
    ranked = RankedIds(
        backend, expression, filters, groups, query, results.total, large=results.large
    )
    page = Paginator(ranked, PAGE_SIZE).get_page(page_number)
    if not results.large:
        facets.tags = _tag_facets(backend, expression, filters)
    page.object_list = _results(list(page.object_list), results.terms, tree, page.start_index())
    results.page = page
    return results


def _count(backend, expression, filters, section_ids, tree):
    """The number of matches (COUNT_LIMIT + 1 at most) and the facet counts.

    Facets are counted without their own filters; when that reaches the limit
    they are approximate, and the total is counted again with every filter.
    """
    rows = backend.facet_rows(expression, filters.without_facets(), COUNT_LIMIT + 1)
    approximate = sum(row[4] for row in rows) > COUNT_LIMIT
    total, facets = _facets(rows, filters, section_ids, tree, approximate=approximate)
    if approximate:
        rows = backend.facet_rows(expression, filters, COUNT_LIMIT + 1)
        total = sum(row[4] for row in rows)
    return total, facets


def _results(article_ids, terms, tree, first_position):
    articles = {
        article.pk: article for article in Article.objects.filter(pk__in=article_ids).for_cards()
    }
    ordered = with_sections([articles[pk] for pk in article_ids if pk in articles], tree)
    texts = dict(
        SearchDocument.objects.filter(pk__in=article_ids).values_list("article_id", "body_text")
    )
    files = defaultdict(list)
    for attachment in Attachment.objects.filter(article_id__in=article_ids).only(
        "id", "article_id", "title", "original_name", "extracted_text"
    ):
        files[attachment.article_id].append(attachment)
    results = []
    for position, article in enumerate(ordered, start=first_position):
        result = Result(
            article=article,
            position=position,
            title_html=highlight(article.title, terms),
            summary_html=highlight(article.summary, terms),
            path=tree.ancestors(article.section_id),
        )
        result.snippet_html = snippet(texts.get(article.pk, ""), terms) or ""
        if not result.snippet_html:
            for attachment in files[article.pk]:
                passage = snippet(attachment.extracted_text, terms) or (
                    snippet(attachment.display_title, terms)
                )
                if passage:
                    result.snippet_html, result.attachment = passage, attachment
                    break
        results.append(result)
    return results


# --- the report for editors ----------------------------------------------------------


def search_report(*, week_start, limit=30):
    """What was searched in the week from ``week_start`` (a Monday): the top
    queries, those that found nothing, and those whose results nobody opened."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(week_start, time.min, zone)
    end = start + timedelta(days=7)
    week = SearchQuery.objects.filter(created_at__gte=start, created_at__lt=end)
    first_pages = week.filter(page=1)
    clicks = SearchClick.objects.filter(search__created_at__gte=start, search__created_at__lt=end)
    opened = dict(
        clicks.values("search__query").annotate(n=Count("id")).values_list("search__query", "n")
    )
    top = list(
        first_pages.values("query")
        .annotate(n=Count("id"), results=Max("results"))
        .order_by("-n", "query")[:limit]
    )
    for row in top:
        row["clicks"] = opened.get(row["query"], 0)
    return {
        "start": start.date(),
        "end": (end - timedelta(days=1)).date(),
        "searches": first_pages.count(),
        "zero_searches": first_pages.filter(results=0).count(),
        "clicks": clicks.count(),
        "roles": list(first_pages.values("role").annotate(n=Count("id")).order_by("-n", "role")),
        "top": top,
        "zero": list(
            first_pages.filter(results=0)
            .values("query")
            .annotate(n=Count("id"))
            .order_by("-n", "query")[:limit]
        ),
        "unopened": list(
            first_pages.filter(results__gt=0)
            .exclude(query__in=clicks.values("search__query"))
            .values("query")
            .annotate(n=Count("id"), results=Max("results"))
            .order_by("-n", "query")[:limit]
        ),
    }
