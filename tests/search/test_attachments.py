"""Text inside attachments is searched, and a result found there says so."""

from django.core.files.uploadedfile import SimpleUploadedFile

from articles.services import attachment_add
from tests.factories import pdf_bytes
from tests.search.factories import docx_with_text, make_indexed, titles


def _attach(article, name, content, title=""):
    upload = SimpleUploadedFile(name, content)
    return attachment_add(article=article, upload=upload, title=title)


def test_text_of_a_docx_is_found_and_the_file_named(staff_client, section):
    article = make_indexed(section, title="Порядок работы")
    _attach(article, "регламент.docx", docx_with_text("Выездная ярмарка вакансий в районе."))
    response = staff_client.get("/search/", {"q": "ярмарки вакансий"})
    assert titles(response) == ["Порядок работы"]
    html = response.content.decode()
    assert "Во вложении «регламент.docx»:" in html
    assert "<mark>ярмарка</mark> <mark>вакансий</mark>" in html


def test_text_of_a_txt_is_found_with_its_title(staff_client, section):
    article = make_indexed(section, title="Порядок работы")
    _attach(article, "f.txt", "Телефон горячей линии".encode(), title="Контакты линии")
    html = staff_client.get("/search/", {"q": "горячая линия"}).content.decode()
    assert "Во вложении «Контакты линии»:" in html


def test_text_of_a_pdf_is_found(staff_client, section):
    article = make_indexed(section, title="Буклет")
    _attach(article, "buklet.pdf", pdf_bytes("Guidebook"))
    assert titles(staff_client.get("/search/", {"q": "guidebooks"})) == ["Буклет"]


def test_a_broken_file_is_saved_and_search_still_works(staff_client, section):
    article = make_indexed(section, title="Испорченный документ")
    attachment = _attach(article, "broken.pdf", b"%PDF-1.4\n garbage without objects")
    assert attachment.pk
    assert attachment.extracted_text == ""
    response = staff_client.get("/search/", {"q": "испорченный"})
    assert titles(response) == ["Испорченный документ"]
    assert response.context["found"].facets.attachments == 1


def test_html_inside_an_attachment_is_shown_as_text(staff_client, section):
    article = make_indexed(section, title="Шаблон письма")
    _attach(article, "s.txt", "<script>alert(1)</script> шаблонизатор".encode())
    html = staff_client.get("/search/", {"q": "шаблонизатор"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>шаблонизатор</mark>" in html


def test_a_long_attachment_shows_the_passage_with_the_words(staff_client, section):
    article = make_indexed(section, title="Сборник")
    text = "Вступление. " * 2000 + "Здесь описан профиль предпенсионера подробно. " + "Итог. " * 500
    _attach(article, "big.txt", text.encode())
    html = staff_client.get("/search/", {"q": "предпенсионеров"}).content.decode()
    assert "профиль <mark>предпенсионера</mark> подробно" in html
