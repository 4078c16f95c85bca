"""A media file whose bytes are not of its extension is refused, in Russian,
saying what the bytes are, and nothing is kept: not the attachment, not the
file, not a new «обновлено» on the article."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Attachment
from articles.services import attachment_add
from tests.factories import docx_bytes, make_article, pdf_bytes, png_bytes

MEDIA = Path(__file__).resolve().parents[2] / "fixtures" / "recordings"
VIDEO = (MEDIA / "videoinstrukciya-dashbord-indeksa.mp4").read_bytes()
AUDIO = (MEDIA / "podcast-klientocentrichnost-vypusk-1.mp3").read_bytes()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
HELP = "Сохраните файл в нужном формате или исправьте расширение."


def _media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "ролик.mp4",
            b"just some text pretending to be a video",
            "Видео MP4: по содержимому это текст.",
        ),
        ("выпуск.mp3", png_bytes(), "Аудио MP3: по содержимому это изображение PNG."),
        ("ролик.mp4", AUDIO, "Видео MP4: по содержимому это аудио MP3."),
        ("выпуск.mp3", VIDEO, "Аудио MP3: по содержимому это видео MP4."),
        ("выпуск.mp3", "Текст выпуска подкаста".encode(), "Аудио MP3: по содержимому это текст."),
        ("фото.png", pdf_bytes(), "Изображение PNG: по содержимому это PDF."),
        ("фото.jpg", png_bytes(), "Изображение JPEG: по содержимому это изображение PNG."),
        ("фото.png", JPEG, "Изображение PNG: по содержимому это изображение JPEG."),
        ("приказ.pdf", b"<html><script>alert(1)</script></html>", "PDF: по содержимому это текст."),
        ("приказ.pdf", VIDEO, "PDF: по содержимому это видео MP4."),
    ],
)
def test_media_whose_bytes_are_of_another_type_is_refused_saying_what_they_are(
    db, settings, name, content, expected
):
    article = make_article()
    updated_at = article.updated_at
    with pytest.raises(ValidationError) as refused:
        attachment_add(article=article, upload=SimpleUploadedFile(name, content))
    message = refused.value.messages[0]
    assert message.startswith(f"Содержимое файла «{name}» не похоже на ")
    assert expected in message
    assert message.endswith(HELP)
    assert not Attachment.objects.exists()
    assert _media_files(settings) == []
    assert Article.objects.get(pk=article.pk).updated_at == updated_at


@pytest.mark.parametrize("name", ["ролик.mp4", "выпуск.mp3", "фото.png", "приказ.pdf"])
def test_bytes_of_no_known_type_get_the_plain_message(db, name):
    article = make_article()
    with pytest.raises(ValidationError) as refused:
        attachment_add(article=article, upload=SimpleUploadedFile(name, bytes(range(256)) * 4))
    [message] = refused.value.messages
    assert message.startswith(f"Содержимое файла «{name}» не похоже на ")
    assert message.endswith("Проверьте, что файл не повреждён и расширение указано верно.")
    assert "по содержимому это" not in message
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("ролик.mp4", VIDEO, "video"),
        ("выпуск.mp3", AUDIO, "audio"),
        ("фото.png", png_bytes(), "image"),
        ("фото.jpg", JPEG, "image"),
        ("приказ.pdf", pdf_bytes(), "document"),
    ],
)
def test_media_whose_bytes_match_is_kept(db, name, content, kind):
    attachment = attachment_add(article=make_article(), upload=SimpleUploadedFile(name, content))
    assert attachment.kind == kind


def test_editor_sees_the_message_in_the_admin_form_and_nothing_is_saved(editor_client, settings):
    from tests.html import form_data

    article = make_article(title="Подкаст")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor_client.get(url), "article_form")
    data["attachments-0-file"] = SimpleUploadedFile("выпуск.mp3", png_bytes())
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert (
        "Содержимое файла «выпуск.mp3» не похоже на Аудио MP3: по содержимому это изображение PNG."
    ) in response.content.decode()
    assert not Attachment.objects.exists()
    assert _media_files(settings) == []


def test_an_office_file_named_as_a_picture_says_what_it_is(db):
    with pytest.raises(ValidationError) as refused:
        attachment_add(article=make_article(), upload=SimpleUploadedFile("фото.png", docx_bytes()))
    assert (
        "не похоже на Изображение PNG: по содержимому это документ Word."
        in (refused.value.messages[0])
    )
