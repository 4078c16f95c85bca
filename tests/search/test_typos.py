"""Typo help: words within two edits of a knowledge-base word are corrected,
an adjacent transposition counting as one edit (Damerau), wherever it is."""

import pytest

from search.analysis import stem, transpositions
from search.selectors import query_words, resolve_words
from tests.search.factories import make_indexed, titles

WORDS = (
    "<p>клиентоцентричность консультация работодателями маршрутизация "
    "трудоустройство вакансии собеседование</p>"
)


@pytest.fixture
def indexed(section):
    return make_indexed(section, title="Кодекс клиентоцентричности", body=WORDS)


def test_transposed_letters_of_the_issue_are_found_and_suggested(staff_client, indexed):
    response = staff_client.get("/search/", {"q": "клиентоцентричнсоть"})
    assert titles(response) == ["Кодекс клиентоцентричности"]
    assert response.context["found"].suggestion == "клиентоцентричность"
    assert "Возможно, вы имели в виду:" in response.content.decode()


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("клиентоцентричнсоть", "клиентоцентричность"),  # in the ending
        ("клиентоцентричонсть", "клиентоцентричность"),  # across stem and ending
        ("клиентоцентрчиность", "клиентоцентричность"),  # inside the stem
        ("лкиентоцентричность", "клиентоцентричность"),  # the first two letters
        ("клиентоцентричностт", "клиентоцентричность"),  # a substitution at the end
        ("консультацйи", "консультация"),
        ("работодателмяи", "работодателями"),
        ("маршрутизацяи", "маршрутизация"),
        ("трудоустройтсво", "трудоустройство"),
        ("вакансйи", "вакансии"),
        ("собеседоавние", "собеседование"),
    ],
)
def test_transpositions_and_ending_typos_are_corrected(indexed, typo, word):
    [resolved] = resolve_words(query_words(typo))
    assert stem(resolved.corrected) == stem(word)  # the word or another form of it
    assert stem(word) in resolved.terms


def test_transpositions_are_the_neighbours_swapped():
    assert transpositions("абвв") == {"бавв", "авбв"}


def test_a_word_is_not_corrected_to_another_words_correction(section):
    # «поддержки» is a candidate for «подержки»; its stem is far from
    # «навигатор», which must not take it as a correction of its own.
    make_indexed(section, title="Меры поддержки", body="<p>Меры поддержки семьям.</p>")
    navigator, _measures, support = resolve_words(query_words("навигатор мер подержки"))
    assert navigator.corrected == ""
    assert navigator.terms == {"навигатор"}
    assert support.corrected == "поддержки"
