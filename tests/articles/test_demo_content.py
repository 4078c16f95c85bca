"""The demo tells one story: readable Russian PDFs, audio and video that are
really here, and contacts that are the demo's own people."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from pypdf import PdfReader

from articles.models import Attachment
from articles.uploads import inspect_upload
from fixtures import demo_content
from fixtures.pdf import document_pdf
from kb_portal.demo import DEMO_USERS, _seed_attachments, _seed_offices, _seed_users
from tests.factories import make_article

FIXTURES = Path(demo_content.__file__).resolve().parent
ARTICLES = {spec["slug"]: spec for spec in demo_content.ARTICLES}


def _offices(specs):
    for spec in specs:
        yield spec["code"], spec["title"]
        yield from _offices(spec.get("children", []))


OFFICE_TITLES = dict(_offices(demo_content.OFFICES))


def _attachment_specs(extension):
    return [
        spec
        for article in demo_content.ARTICLES
        for spec in article.get("attachments", [])
        if spec.get("filename", spec.get("source", "")).endswith(extension)
    ]


def test_generated_pdf_keeps_cyrillic_letters():
    data = document_pdf(
        "Кодекс клиентоцентричности",
        "## Принципы\nКлиент — партнёр: «решаем с первого обращения», № 5.",
        title="Кодекс (полный текст)",
    )
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "Кодекс клиентоцентричности" in text
    assert "Клиент — партнёр: «решаем с первого обращения», № 5." in text
    assert "?" not in text
    assert reader.metadata.title == "Кодекс (полный текст)"
    # The letters are drawn by an embedded font, not left to the viewer to guess.
    assert b"/FontFile2" in data
    assert b"/BaseFont /Helvetica" not in data


def test_long_pdf_text_flows_onto_further_pages():
    paragraph = "Каждое мнение клиента — повод улучшить услугу. " * 12
    data = document_pdf("Большой документ", "\n".join([paragraph] * 20), footer="Демо")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 2
    last = reader.pages[-1].extract_text()
    assert f"Демо · {len(reader.pages)}/{len(reader.pages)}" in last


@pytest.mark.django_db
def test_demo_pdfs_are_readable_russian_documents():
    article = make_article()
    specs = _attachment_specs(".pdf")
    assert len(specs) >= 2
    _seed_attachments(article, specs)
    attachments = Attachment.objects.all()
    assert len(attachments) == len(specs)
    for attachment in attachments:
        text = attachment.extracted_text
        assert attachment.extraction_status == Attachment.ExtractionStatus.OK, text
        assert len(text) > 500  # the full text, not a one-line placeholder
        assert "??" not in text
        assert re.search("[А-Яа-яЁё]{5}", text)
        assert "Демонстрационный документ" in text


@pytest.mark.parametrize(
    "slug",
    [
        "podkast-klientocentrichnost-za-15-minut-1",
        "videoinstrukciya-dashbord-indeksa",
        "videootchet-strategicheskoj-sessii",
    ],
)
def test_video_and_podcast_articles_carry_their_own_files(slug):
    spec = ARTICLES[slug]
    assert spec["external_url"] == ""
    (media,) = [file for file in spec["attachments"] if "source" in file]
    path = FIXTURES / media["source"]
    assert path.stat().st_size < 200_000  # small enough to keep in the repository
    upload = ContentFile(path.read_bytes(), name=path.name)
    assert inspect_upload(upload).kind == ("audio" if slug.startswith("podkast") else "video")


def test_no_demo_article_links_to_a_made_up_site():
    for spec in demo_content.ARTICLES:
        assert "example" not in spec.get("external_url", ""), spec["slug"]
        assert not re.search(r'href="[^"]*example', spec.get("body", "")), spec["slug"]


def test_contacts_name_the_demo_people_with_their_offices():
    body = ARTICLES["kontakty-rabochej-gruppy"]["body"]
    for _login, _role, first, last, _position, office, email, phone in DEMO_USERS:
        row = re.search(rf"<tr><td>{last} {first}</td>.*?</tr>", body)
        assert row, last
        assert OFFICE_TITLES[office] in row.group()
        assert email in row.group()
        assert phone in row.group()
    # Nobody in the table who cannot log in to the demo.
    assert body.count("<tr><td>") == len(DEMO_USERS)


def test_podcast_speakers_are_demo_people():
    body = ARTICLES["podkast-klientocentrichnost-za-15-minut-1"]["body"]
    assert "Игорь Смирнов" in body
    assert "Анной Петровой" in body


@pytest.mark.django_db
def test_demo_users_work_where_the_contacts_say():
    _seed_offices(demo_content.OFFICES, parent=None)
    _seed_users({"users": 0})
    for login, _role, _first, _last, position, office, email, phone in DEMO_USERS:
        user = User.objects.select_related("profile__office").get(username=login)
        assert user.profile.office.code == office
        assert (user.profile.position.title, user.email, user.profile.phone) == (
            position,
            email,
            phone,
        )
