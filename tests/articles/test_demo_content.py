"""The demo tells one story: readable Russian PDFs, audio and video that are
really here, and contacts that lead to the demo's own people."""

import io
import re
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from pypdf import PdfReader

from articles.models import Attachment
from articles.uploads import inspect_upload
from fixtures import demo_content
from fixtures.pdf import document_pdf
from kb_portal.demo import (
    DEMO_EXPERTISE,
    DEMO_USERS,
    _seed_attachments,
    _seed_offices,
    _seed_users,
)
from people.folding import expertise_key
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


def test_contacts_lead_to_the_directory_instead_of_a_table():
    body = ARTICLES["kontakty-rabochej-gruppy"]["body"]
    assert "<table" not in body
    assert '<a href="/people/">' in body
    assert '<a href="/people/offices/">' in body
    # The offices of the demo people, linked by their pages.
    for _login, _role, _first, _last, _position, office, _email, _phone in DEMO_USERS:
        assert f'href="/people/offices/{office}/"' in body, office
    # The subjects it links to are those of the demo logins (kb_portal.demo).
    linked = {
        expertise_key(unquote_plus(value)) for value in re.findall(r"\?expertise=([^\"]+)", body)
    }
    assert linked and linked <= {
        expertise_key(name) for names in DEMO_EXPERTISE.values() for name in names
    }
    # No phone or address is written by hand any more: they are in the profiles.
    for _login, _role, _first, _last, _position, _office, email, phone in DEMO_USERS:
        assert email not in body and phone not in body


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
