"""The one text analysis pipeline used to index and to query.

Text becomes a sequence of *terms*: lower case, ё→е, Russian Snowball stems
for Cyrillic words, English stems for Latin ones. A hyphenated word gives its
parts and then the parts joined («клиента-студента» → клиент, студент,
клиентстудент), so it is found by each part and by the whole. An
abbreviation written in capitals (СВО, ЦЗН, ЕЦП, МТЗН) also gives an
unstemmed term marked with a trailing «ъ», a letter no Russian word or stem
ends with: «СВО» then does not match «своих», whose stem is also «сво».

Indexing and querying both go through this module, so SQLite and PostgreSQL
see exactly the same terms (each only splits them on spaces).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

ABBREVIATION_MARK = "ъ"
MAX_ABBREVIATION = 6

# A word: letters and digits, hyphenated parts kept together.
WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
CYRILLIC_RE = re.compile(r"^[а-я]+$")
LATIN_RE = re.compile(r"^[a-z]+$")

# Words a query may drop: they would match nearly every article. The index
# keeps them, so an exact title («Путь клиента с инвалидностью») still matches.
STOP_WORDS = frozenset(
    [
        "и",
        "в",
        "во",
        "не",
        "на",
        "с",
        "со",
        "по",
        "для",
        "к",
        "ко",
        "о",
        "об",
        "от",
        "до",
        "из",
        "у",
        "за",
        "что",
        "как",
        "а",
        "но",
        "или",
        "же",
        "ли",
        "бы",
        "то",
        "это",
        "при",
        "про",
        "под",
        "над",
        "без",
        "его",
        "ее",
        "их",
        "мы",
        "вы",
        "он",
        "она",
        "они",
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "in",
        "for",
        "on",
    ]
)

_russian = Stemmer.Stemmer("russian")
_english = Stemmer.Stemmer("english")
_russian.maxCacheSize = _english.maxCacheSize = 100_000


def normalize(text):
    """Lower case with ё written as е: the form every comparison uses."""
    return text.lower().replace("ё", "е")


def stem(word):
    """The term of one lower-case word without hyphens."""
    if len(word) <= 2:
        return word
    if CYRILLIC_RE.match(word):
        return _russian.stemWord(word)
    if LATIN_RE.match(word):
        return _english.stemWord(word)
    return word


def is_abbreviation(part):
    """A short word written in capitals: СВО, ЦЗН, МТЗН, HR."""
    return 2 <= len(part) <= MAX_ABBREVIATION and part.isalpha() and part.isupper()


def abbreviation_term(word):
    return normalize(word) + ABBREVIATION_MARK


@lru_cache(maxsize=200_000)
def word_terms(word):
    """The terms of one word as written (it may hold hyphens)."""
    parts = [part for part in word.split("-") if part]
    terms, stems = [], []
    for part in parts:
        lowered = normalize(part)
        if is_abbreviation(part):
            terms.append(abbreviation_term(part))
        term = stem(lowered)
        stems.append(term)
        terms.append(term)
    if len(parts) > 1:
        terms.append("".join(stems))
    return tuple(terms)


def analyse(text):
    """Text → space-separated terms, in reading order (positions matter)."""
    if not text:
        return ""
    terms = []
    for match in WORD_RE.finditer(text):
        terms.extend(word_terms(match.group()))
    return " ".join(terms)


def iter_words(text):
    """(start, end, terms) for every word of ``text``: for highlighting."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end(), word_terms(match.group())


@dataclass
class QueryWord:
    """One word of a query and the terms that may stand for it."""

    text: str  # as typed, normalised
    terms: set
    typed_caps: bool = False
    corrected: str = ""  # the knowledge-base word that replaced a typo

    @property
    def stem(self):
        return stem(self.text)


def query_words(query):
    """The words of a query, hyphenated ones split into parts, stop words
    dropped unless nothing else is left."""
    words = []
    for match in WORD_RE.finditer(query):
        for part in match.group().split("-"):
            if part:
                words.append(
                    QueryWord(text=normalize(part), terms=set(), typed_caps=is_abbreviation(part))
                )
    meaningful = [word for word in words if word.text not in STOP_WORDS]
    return (meaningful or words)[:12]


def damerau_levenshtein(a, b, limit=2):
    """Edit distance with adjacent transpositions, stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
            best = min(best, current[j])
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]


def deletes(word):
    """The word with each one letter left out (SymSpell's neighbourhood)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def transpositions(word):
    """The word with each two neighbouring letters swapped."""
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }
