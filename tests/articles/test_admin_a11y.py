"""Every input of the admin's forms has a name a screen reader can announce:
a <label for> or an aria-label (axe's "label" rule, critical). What script
draws (select2, the rich-text editor) is named by static/admin/kb-admin.js and
static/js/prose-editor-ru.js; the browser audit checks those."""

from html.parser import HTMLParser

import pytest

from tests.factories import make_article, make_attachment, make_section, make_user


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.labelled = set()
        self.inputs = []
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        if tag in {"input", "select", "textarea"}:
            kind = (attrs.get("type") or "").lower()
            if kind not in {"hidden", "submit", "button", "reset", "image"}:
                self.inputs.append({**attrs, "inside-label": self.in_label > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1


def unnamed_inputs(html):
    parser = _Inputs()
    parser.feed(html)
    return [
        attrs.get("name") or attrs.get("id") or "?"
        for attrs in parser.inputs
        if not attrs["inside-label"]
        and not attrs.get("aria-label")
        and not attrs.get("aria-labelledby")
        and attrs.get("id") not in parser.labelled
    ]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def article(db):
    article = make_article()
    make_attachment(article)
    return article


def test_editor_forms_have_no_unnamed_inputs(editor_client, article):
    section = make_section(parent=article.section)
    article.tags.add("пособие")
    tag = article.tags.get()
    for url in [
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/history/{article.history.first().history_id}/",
        f"/admin/articles/section/{section.pk}/change/",
        "/admin/articles/section/add/",
        f"/admin/taggit/tag/{tag.pk}/change/",
        "/admin/articles/article/",
        "/admin/articles/articletrash/",
    ]:
        assert unnamed_inputs(_page(editor_client, url)) == [], url


def test_administrator_forms_have_no_unnamed_inputs(client_for, administrator):
    client = client_for(administrator)
    colleague = make_user()
    for url in [
        f"/admin/auth/user/{colleague.pk}/change/",
        "/admin/auth/user/add/",
        "/admin/auth/user/",
    ]:
        assert unnamed_inputs(_page(client, url)) == [], url


def test_date_time_and_attachment_inputs_are_named(editor_client, article):
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/change/")
    assert 'aria-label="Опубликовано: дата"' in page
    assert 'aria-label="Опубликовано: время"' in page
    assert 'aria-label="Файл, вложение 1"' in page
    assert 'aria-label="Удалить вложение 1"' in page


def test_admin_pages_load_the_accessibility_helpers(editor_client, article):
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/change/")
    assert "/static/admin/kb-admin.js" in page
    assert "/static/admin/kb-admin.css" in page
    assert "/static/js/prose-editor-ru.js" in page
