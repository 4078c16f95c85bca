"""Pages travel gzip-compressed to browsers that accept it; binary files do not."""

import gzip

from tests.factories import make_article, make_attachment, make_section, pdf_bytes


def test_a_page_is_gzipped_when_the_browser_accepts_it(staff_client):
    response = staff_client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert page.startswith("<!doctype html>")
    assert "Главная" in page
    assert int(response["Content-Length"]) == len(response.content)


def test_gzip_streams_carry_random_padding_against_breach(staff_client):
    response = staff_client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    # FLG.FNAME: Django pads every stream with a random-length file name.
    assert response.content[3] & 0x08


def test_a_page_is_plain_without_accept_encoding(staff_client):
    response = staff_client.get("/")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!doctype html>")
    assert "Accept-Encoding" in response["Vary"]


def test_the_login_page_is_compressed_too(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Вход в базу знаний" in gzip.decompress(response.content).decode()


def test_attachments_are_sent_as_they_are(staff_client):
    article = make_article(make_section())
    attachment = make_attachment(article, name="памятка.pdf", content=pdf_bytes())
    response = staff_client.get(f"/attachments/{attachment.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_every_page_has_a_meta_description(staff_client):
    page = staff_client.get("/").content.decode()
    assert (
        '<meta name="description" content="База знаний по управлению клиентским опытом '
        'службы занятости населения">'
    ) in page
