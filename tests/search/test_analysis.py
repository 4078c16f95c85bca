from search.analysis import analyse, damerau_levenshtein, query_words


def test_case_and_yo_do_not_matter():
    assert analyse("Ёлка ёлка Елка") == analyse("елка елка елка")


def test_word_forms_share_a_stem():
    assert analyse("маршруты клиентов") == analyse("маршрут клиента")
    assert analyse("работодателям") == analyse("работодатель")


def test_hyphenated_word_gives_parts_and_whole():
    assert analyse("клиента-студента").split() == ["клиент", "студент", "клиентстудент"]


def test_abbreviation_gets_its_own_term():
    terms = analyse("участник СВО").split()
    assert "своъ" in terms
    # «своих» shares the stem «сво» but not the abbreviation's term
    assert "своъ" not in analyse("своих").split()


def test_latin_words_use_english_stemming():
    assert analyse("documents") == analyse("document")


def test_query_drops_stop_words_unless_nothing_else():
    assert [word.text for word in query_words("путь клиента с инвалидностью")] == [
        "путь",
        "клиента",
        "инвалидностью",
    ]
    assert [word.text for word in query_words("и")] == ["и"]


def test_edit_distance_counts_transpositions_as_one():
    assert damerau_levenshtein("клиентоцентричость", "клиентоцентричность") == 1
    assert damerau_levenshtein("кдиент", "клиент") == 1
    assert damerau_levenshtein("лкиент", "клиент") == 1
    assert damerau_levenshtein("абв", "где", limit=2) == 3
