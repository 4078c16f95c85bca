"""In the admin the editor adds or replaces a file and sees whether search got
its text, and if not, why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import extraction
from articles.models import Attachment
from tests.articles import files
from tests.factories import make_article, make_attachment
from tests.html import form_data, submit_change_form

ADD_URL = "/admin/articles/article/add/"


@pytest.fixture
def article(db):
    return make_article(title="Кодекс клиентоцентричности")


def _change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_file_added_in_the_admin_gets_its_text(editor_client, article):
    data = form_data(editor_client.get(_change_url(article)), "article_form")
    data["attachments-0-file"] = SimpleUploadedFile("кодекс.docx", files.docx("Слово кодекса"))
    response = editor_client.post(_change_url(article), data)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.extraction_status == Attachment.ExtractionStatus.OK
    assert attachment.extracted_text == "Слово кодекса"


def test_broken_file_added_in_the_admin_is_saved_and_the_reason_shown(editor_client, article):
    data = form_data(editor_client.get(_change_url(article)), "article_form")
    broken = files.docx("Текст " * 300)[:300]
    data["attachments-0-file"] = SimpleUploadedFile("сломан.docx", broken)
    assert editor_client.post(_change_url(article), data).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.extraction_status == Attachment.ExtractionStatus.FAILED
    page = editor_client.get(_change_url(article)).content.decode()
    assert "текст не извлечён: файл повреждён" in page


def test_change_page_shows_how_much_text_was_extracted(editor_client, article):
    make_attachment(article, name="памятка.txt", content="Двенадцать!!".encode())
    page = editor_client.get(_change_url(article)).content.decode()
    assert "Текст для поиска" in page  # the column
    assert "текст извлечён: 12 символов" in page


def test_replacing_the_file_replaces_the_text(editor_client, article):
    attachment = make_attachment(article, name="старый.txt", content="Старый текст".encode())
    upload = SimpleUploadedFile("новый.pdf", files.pdf("Новый текст"))
    response = submit_change_form(editor_client, article, **{"attachments-0-file": upload})
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.original_name == "новый.pdf"
    assert attachment.extracted_text == "Новый текст"


def test_renaming_an_attachment_does_not_parse_its_file_again(editor_client, article, monkeypatch):
    attachment = make_attachment(article, name="памятка.txt", content="Текст".encode())

    def no_process(*args, **kwargs):
        raise AssertionError("the file did not change: no parsing needed")

    monkeypatch.setattr(extraction.subprocess, "run", no_process)
    response = submit_change_form(editor_client, article, **{"attachments-0-title": "Памятка"})
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.title == "Памятка"
    assert attachment.extracted_text == "Текст"
