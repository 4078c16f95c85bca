"""A presentation shows its text slide by slide beside its download: the
extraction keeps each slide's text apart (without the speaker's notes), the
article page lists «Слайд 1…N» in a collapsed block."""

import io
import zipfile

import pytest

from articles.models import Attachment
from articles.services import attachment_extract_text
from tests.articles import files
from tests.factories import make_article, make_attachment, pdf_bytes

P_NS = files.P_NS
A_NS = files.A_NS


@pytest.fixture
def article(db):
    return make_article(title="Бережливое производство в ЦЗН")


def _attach(article, name, content):
    attachment = make_attachment(article, name=name, content=content)
    attachment.refresh_from_db()
    return attachment


def _with_notes(presentation, *notes):
    """``presentation`` with a speaker's notes part per text in ``notes``."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(presentation)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
        for number, text in enumerate(notes, start=1):
            target.writestr(
                f"ppt/notesSlides/notesSlide{number}.xml",
                f'<p:notes xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:cSld><p:spTree><p:sp>'
                f"<p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody>"
                "</p:sp></p:spTree></p:cSld></p:notes>",
            )
    return buffer.getvalue()


def _odp(*pages):
    """An OpenDocument presentation: per page, its lines and its notes."""
    body = ""
    for lines, notes in pages:
        text = "".join(f"<text:p>{line}</text:p>" for line in lines)
        body += f"<draw:page><draw:frame><draw:text-box>{text}</draw:text-box></draw:frame>"
        if notes:
            body += (
                "<presentation:notes><draw:frame><draw:text-box>"
                f"<text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes>"
            )
        body += "</draw:page>"
    return files.odf("odp", f"<office:presentation>{body}</office:presentation>")


# --- What the extraction keeps --------------------------------------------------------


def test_each_slide_of_a_powerpoint_file_is_kept_apart_in_show_order(article):
    content = files.pptx(
        ["Потери в ЦЗН", "Семь видов потерь"],
        [],  # a picture only
        ["С чего начать"],
        file_order=[3, 1, 2],
    )
    attachment = _attach(article, "потери.pptx", content)
    assert attachment.slides == ["Потери в ЦЗН\nСемь видов потерь", "", "С чего начать"]
    # The search text stays as it was: every paragraph, one per line.
    assert attachment.extracted_text == "Потери в ЦЗН\nСемь видов потерь\nС чего начать"


def test_speakers_notes_are_searched_but_not_shown_as_slides(article):
    content = _with_notes(files.pptx(["Слайд про очередь"]), "Рассказать про талоны")
    attachment = _attach(article, "очередь.pptx", content)
    assert attachment.slides == ["Слайд про очередь"]
    assert "Рассказать про талоны" in attachment.extracted_text


def test_each_page_of_an_opendocument_presentation_is_a_slide(article):
    content = _odp((["Запись на приём", "Онлайн и очно"], "Заметка докладчика"), (["Итоги"], ""))
    attachment = _attach(article, "запись.odp", content)
    assert attachment.slides == ["Запись на приём\nОнлайн и очно", "Итоги"]
    assert "Заметка докладчика" in attachment.extracted_text


def test_other_files_have_no_slides(article):
    assert _attach(article, "памятка.docx", files.docx("Текст")).slides == []
    assert _attach(article, "приказ.pdf", pdf_bytes()).slides == []


def test_a_long_slide_is_cut_and_only_so_many_slides_are_kept(article):
    long_line = "слово " * 400
    slides = [[long_line]] + [[f"Слайд номер {n}"] for n in range(2, Attachment.SLIDES_KEPT + 6)]
    attachment = _attach(article, "большая.pptx", files.pptx(*slides))
    assert len(attachment.slides) == Attachment.SLIDES_KEPT + 1
    assert len(attachment.slides[0]) <= Attachment.SLIDE_CHARS
    assert attachment.slides[0].startswith("слово слово")
    # The search keeps every slide.
    assert f"Слайд номер {Attachment.SLIDES_KEPT + 5}" in attachment.extracted_text


def test_re_extracting_a_stored_presentation_writes_its_slides(article):
    attachment = _attach(article, "потери.pptx", files.pptx(["Один"], ["Два"]))
    Attachment.objects.filter(pk=attachment.pk).update(slides=[])
    history = attachment.history.count()
    attachment_extract_text(attachment=Attachment.objects.get(pk=attachment.pk))
    attachment.refresh_from_db()
    assert attachment.slides == ["Один", "Два"]
    assert attachment.history.count() == history  # derived from the file: no history row


def test_a_broken_presentation_has_no_slides(article):
    attachment = _attach(article, "битая.pptx", files.pptx(["Один"])[:200] + b"\x00" * 50)
    assert attachment.slides == []


# --- On the article page --------------------------------------------------------------


def test_article_page_shows_the_slides_beside_the_download(staff_client, article):
    attachment = _attach(article, "потери.pptx", files.pptx(["Потери", "Ожидание"], [], ["Итоги"]))
    page = staff_client.get(article.get_absolute_url()).content.decode()
    url = attachment.get_absolute_url()
    download = page.index(f'<a href="{url}" download>потери.pptx</a>')
    preview = page.index('<details class="slides">')
    assert download < preview < page.index("</section>", download)
    assert "<summary>Текст слайдов: 3</summary>" in page
    assert '<p class="slides__number">Слайд 1</p>' in page
    assert "<p>Потери<br>Ожидание</p>" in page
    assert '<p class="slides__number">Слайд 2</p>\n      <p class="muted">без текста</p>' in page
    assert '<p class="slides__number">Слайд 3</p>' in page
    assert "Остальные слайды — в файле." not in page


def test_a_presentation_with_more_slides_says_the_rest_is_in_the_file(staff_client, article):
    slides = [[f"Слайд номер {n}"] for n in range(1, Attachment.SLIDES_KEPT + 3)]
    _attach(article, "большая.pptx", files.pptx(*slides))
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert f"<summary>Текст слайдов: первые {Attachment.SLIDES_KEPT}</summary>" in page
    assert f"Слайд {Attachment.SLIDES_KEPT}</p>" in page
    assert f"Слайд {Attachment.SLIDES_KEPT + 1}</p>" not in page
    assert "Остальные слайды — в файле." in page


def test_slide_text_cannot_run_script(staff_client, article):
    _attach(
        article,
        "атака.pptx",
        files.pptx(['<script>alert(1)</script><img src=x onerror="alert(2)">']),
    )
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=" in page
    assert "<script>alert(1)" not in page


def test_a_document_gets_no_slide_preview(staff_client, article):
    _attach(article, "памятка.docx", files.docx("Текст"))
    assert "slides" not in staff_client.get(article.get_absolute_url()).content.decode()
