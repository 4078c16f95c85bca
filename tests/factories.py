"""Small builders for test data, going through the same code the app uses."""

import io
import itertools
import struct
import zipfile
import zlib

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article, Section
from articles.services import attachment_add
from fixtures.pdf import document_pdf
from people import roles
from people.models import Position

_seq = itertools.count(1)


def make_user(username=None, *, role=None, password="pass-1234-word", **extra):  # noqa: S107
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password=password, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_position(title):
    return Position.objects.get_or_create(title=title)[0]


def make_section(title=None, *, parent=None, slug=None):
    n = next(_seq)
    return Section.objects.create(
        title=title or f"Раздел {n}", slug=slug or f"section-{n}", parent=parent
    )


def make_article(section=None, *, title=None, slug=None, status=Article.Status.PUBLISHED, **extra):
    n = next(_seq)
    extra.setdefault("kind", Article.Kind.DOCUMENT)
    article = Article.objects.create(
        section=section or make_section(),
        title=title or f"Материал {n}",
        slug=slug or f"article-{n}",
        status=status,
        **extra,
    )
    return article


def make_articles_bulk(section, count, **extra):
    """Many published articles in one query, for tests about data size.

    bulk_create skips save() and history, which is fine for pages that only
    read articles; tests of saving use make_article.
    """
    now = timezone.now()
    start = next(_seq) * 10_000
    return Article.objects.bulk_create(
        Article(
            section=section,
            title=f"Массовый материал {start + i}",
            slug=f"bulk-{start + i}",
            summary="Коротко о материале.",
            kind=Article.Kind.CASE,
            status=Article.Status.PUBLISHED,
            published_at=now,
            updated_at=now,
            **extra,
        )
        for i in range(count)
    )


def make_attachment(article, *, name="памятка.txt", content=None, title=""):
    upload = SimpleUploadedFile(name, content or "Текст памятки".encode())
    return attachment_add(article=article, upload=upload, title=title)


def png_bytes():
    """A real 1×1 PNG image."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes(title="Тест"):
    return document_pdf(title)


def docx_bytes():
    """A zip laid out like a Word document, enough to be recognised as one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


ROLE_USERS = {
    "staff": roles.STAFF,
    "editor": roles.EDITOR,
    "working_group": roles.WORKING_GROUP,
    "manager": roles.MANAGER,
    "administrator": roles.ADMINISTRATOR,
}
