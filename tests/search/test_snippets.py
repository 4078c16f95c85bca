"""Snippets keep paragraphs, headings and table cells apart."""

from django.core.files.uploadedfile import SimpleUploadedFile

from articles.services import attachment_add
from search.models import SearchDocument
from search.services import html_to_text
from search.snippets import snippet
from tests.articles import files
from tests.search.factories import make_indexed

SEP = '<span class="search-result__sep">&nbsp;· </span>'
JOURNEY = (
    "<h2>Этапы пути</h2><table><thead><tr><th>Этап</th><th>Что делает клиент</th></tr></thead>"
    "<tbody><tr><td>Запись</td><td>Звонит в <strong>ЦЗН</strong></td></tr></tbody></table>"
    "<p>Итог: клиент <em>доволен</em>.<br>Новая строка</p><ul><li>один</li><li>два</li></ul>"
)


def test_body_text_has_a_line_for_each_block_and_none_for_inline_tags():
    assert html_to_text(JOURNEY).split("\n") == [
        "Этапы пути",
        "Этап",
        "Что делает клиент",
        "Запись",
        "Звонит в ЦЗН",
        "Итог: клиент доволен.",
        "Новая строка",
        "один",
        "два",
    ]


def test_body_text_keeps_escaped_markup_as_text():
    assert html_to_text("<p>&lt;p&gt;не тег&lt;/p&gt; &amp; всё</p>") == "<p>не тег</p> & всё"


def test_snippet_shows_line_breaks_as_separators_and_stays_escaped():
    html = snippet("Этапы пути\nЭтап\nЧто делает <клиент>", {"клиент"})
    assert html == f"Этапы пути{SEP}Этап{SEP}Что делает &lt;<mark>клиент</mark>&gt;"


def test_snippet_window_does_not_start_or_end_with_a_separator():
    text = "\n".join(["вступление"] * 40 + ["про клиента"] + ["итог"] * 60)
    html = snippet(text, {"клиент"})
    assert html.startswith("… ") and not html.startswith(f"… {SEP}")
    assert html.endswith(" …") and not html.endswith(f"{SEP} …")
    assert f"вступление{SEP}про <mark>клиента</mark>{SEP}итог" in html


def test_results_page_separates_the_heading_and_table_cells(staff_client, section):
    article = make_indexed(section, title="Путь клиента-студента", body=JOURNEY)
    assert "Этапы пути\nЭтап\n" in SearchDocument.objects.get(pk=article.pk).body_text
    html = staff_client.get("/search/", {"q": "делает клиент"}).content.decode()
    assert f"Этапы пути{SEP}Этап{SEP}Что <mark>делает</mark> <mark>клиент</mark>{SEP}Запись" in html
    assert "Этапы пути Этап" not in html


def test_attachment_table_cells_are_separated_in_the_snippet(staff_client, section):
    article = make_indexed(section, title="Порядок работы")
    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc>{files.w_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in (["Этап", "Что делает соискатель"], ["Запись", "Звонит"])
    )
    upload = SimpleUploadedFile("путь.docx", files.docx(body=f"<w:tbl>{rows}</w:tbl>"))
    attachment_add(article=article, upload=upload, title="")
    html = staff_client.get("/search/", {"q": "соискатель"}).content.decode()
    assert f"Этап{SEP}Что делает <mark>соискатель</mark>{SEP}Запись{SEP}Звонит" in html
