"""The word diff: words in <ins>/<del>, everything escaped."""

from proposals.diff import html_to_text, word_diff


def test_changed_words_are_marked():
    html, changed = word_diff("Пособие платят раз в месяц.", "Пособие платят раз в две недели.")
    assert changed
    assert html == "Пособие платят раз в <del>месяц.</del><ins>две недели.</ins>"


def test_equal_texts_have_no_marks():
    html, changed = word_diff("Один два", "Один два")
    assert not changed and "<ins>" not in html and "<del>" not in html


def test_markup_in_either_text_is_escaped():
    html, _ = word_diff("<b>старое</b>", '<script>alert(1)</script> <img src=x onerror="y">')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;старое&lt;/b&gt;" in html


def test_rich_text_is_compared_as_text_with_blocks_on_lines():
    text = html_to_text("<h2>Сроки</h2><p>Раз в <b>месяц</b> &amp; чаще</p><ul><li>один</li></ul>")
    assert text == "Сроки\nРаз в месяц & чаще\nодин"
    html, _ = word_diff(text, text.replace("&", "<"))
    assert "&amp;" in html and "&lt;" in html


def test_changes_split_only_by_spaces_read_as_one():
    html, _ = word_diff("О сроках выплат.", "Редактор уточнил сроки выплат.")
    assert html == "<del>О сроках</del><ins>Редактор уточнил сроки</ins> выплат."
