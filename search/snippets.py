"""Passages with the matched words marked, safe to put in a page.

Everything is HTML-escaped first and only our own <mark> and separator are
added, so a query or a document holding HTML is shown as text. Texts keep one
line per paragraph, heading or table cell; a snippet shows each line break as
a visible separator so neighbouring cells do not read as one sentence.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import ABBREVIATION_MARK, iter_words, normalize

SNIPPET_CHARS = 260
MAX_HITS_PER_KEY = 30
LINE_BREAKS_RE = re.compile(r"\s*\n\s*")
SEPARATOR = '<span class="search-result__sep">&nbsp;· </span>'  # the dot stays on its word's line


def highlight(text, terms):
    """All of ``text`` (a title, a summary) with matching words marked."""
    return mark_safe(_marked(text, 0, len(text), terms)[0])  # noqa: S308 - escaped in _marked


def _lines(text):
    """Escaped text with its line breaks shown as separators."""
    return SEPARATOR.join(escape(part) for part in LINE_BREAKS_RE.split(text))


def _marked(text, start, end, terms, *, lines=False):
    """Escaped text[start:end] with <mark> around words whose terms match
    (and with ``lines``, separators for line breaks); also the number of
    marked words."""
    plain = _lines if lines else escape
    out, position, hits = [], start, 0
    for word_start, word_end, word_terms in iter_words(text[start:end]):
        word_start += start
        word_end += start
        if terms.intersection(word_terms):
            out.append(plain(text[position:word_start]))
            out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
            position = word_end
            hits += 1
    out.append(plain(text[position:end]))
    return "".join(out), hits


def _space_before(text, index):
    return max(text.rfind(" ", 0, index), text.rfind("\n", 0, index))


def _space_after(text, index):
    found = [i for i in (text.find(" ", index), text.find("\n", index)) if i != -1]
    return min(found, default=-1)


def _keys(terms):
    """Substrings to look for: a word matching a term starts with its stem."""
    keys = {term.rstrip(ABBREVIATION_MARK) for term in terms}
    return {key for key in keys if len(key) >= 2}


def snippet(text, terms, width=SNIPPET_CHARS):
    """The passage of ``text`` around the most query words, or None.

    Long texts (attachments) are not tokenised whole: the stems are found by
    plain substring search first, then only the chosen window is analysed.
    """
    if not text:
        return None
    lowered = normalize(text)
    if len(lowered) != len(text):  # a rare letter changed length when lowered
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
    hits = []
    for key in _keys(terms):
        found = lowered.find(key)
        count = 0
        while found != -1 and count < MAX_HITS_PER_KEY:
            hits.append((found, key))
            count += 1
            found = lowered.find(key, found + 1)
    if not hits:
        return None
    hits.sort()
    candidates = []
    for index, (position, _key) in enumerate(hits):
        window_end = position + width
        distinct = {key for pos, key in hits[index:] if pos < window_end}
        candidates.append((-len(distinct), position))
    for _score, position in sorted(candidates)[:5]:
        start = max(0, position - width // 4)
        if start:
            space = _space_before(text, start)
            start = space + 1 if space != -1 and start - space < 30 else start
        end = min(len(text), start + width)
        if end < len(text):
            space = _space_after(text, end)
            end = space if space != -1 and space - end < 30 else end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        html, marked = _marked(text, start, end, terms, lines=True)
        if marked:
            prefix = "… " if start > 0 else ""
            suffix = " …" if end < len(text) else ""
            return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 - escaped in _marked
    return None
