"""Small builders for test data, going through the same code the app uses."""

import itertools

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Section
from articles.services import attachment_add
from people import roles

_seq = itertools.count(1)


def make_user(username=None, *, role=None, password="pass-1234-word", **extra):  # noqa: S107
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password=password, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


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


def make_attachment(article, *, name="памятка.txt", content=None, title=""):
    upload = SimpleUploadedFile(name, content or "Текст памятки".encode())
    return attachment_add(article=article, upload=upload, title=title)


ROLE_USERS = {
    "staff": roles.STAFF,
    "editor": roles.EDITOR,
    "working_group": roles.WORKING_GROUP,
    "manager": roles.MANAGER,
    "administrator": roles.ADMINISTRATOR,
}
