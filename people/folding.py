"""Text folded for the staff directory's search.

SQLite's LIKE folds letter case for Latin letters only, so «петрова» would
not find «Петрова» there; the directory compares folded texts instead,
stored beside the original (``Profile.search_name``, ``Expertise.key``) or
folded in Python for the short reference lists (positions, offices). The
folding is the search app's (lower case, ё→е), and a text is split into its
words, so a query word matches the beginning of a word: «безраб» finds
«пособие по безработице», «петров» finds «Петрова» but not «Распетров».
"""

import re

from search.analysis import normalize

# Letters and digits of any script; anything else separates words.
WORD_RE = re.compile(r"[^\W_]+")
QUERY_MAX_WORDS = 8


def words(text):
    """The folded words of ``text``: «Салтыков-Щедрин Ёж» → ["салтыков", "щедрин", "еж"]."""
    return WORD_RE.findall(normalize(text or ""))


def spaced(text):
    """The folded words between spaces, with a space at each end, so that
    «contains ' ' + word» is «a word starts with it»."""
    return " " + " ".join(words(text)) + " "


def name_key(user):
    """What a person is found by: surname, first name and login."""
    return spaced(f"{user.last_name} {user.first_name} {user.get_username()}")


def expertise_key(name):
    """The one spelling of a subject: «  Пособие по  БЕЗРАБОТИЦЕ » → «пособие по безработице»."""
    return " ".join(words(name))


def query_words(query):
    """The words of a search query (at most QUERY_MAX_WORDS, repeats dropped)."""
    return list(dict.fromkeys(words(query)))[:QUERY_MAX_WORDS]


def matches(text, word):
    """Whether a word of ``text`` starts with the folded ``word``."""
    return " " + word in spaced(text)
