"""Tags longer than the database allows (taggit: 100 characters) are refused
with a Russian message, on the article form and in the tag admin, and
nothing is saved. PostgreSQL enforces the limit, so run these there too."""

from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article, make_section
from tests.html import form_data, submit_change_form

ADD_URL = "/admin/articles/article/add/"
TOO_LONG = "Я" * 101


def _add_data(client, tags):
    section = make_section()
    data = form_data(client.get(ADD_URL), "article_form")
    data.update(
        section=[str(section.pk)],
        title=["Памятка"],
        slug=["pamyatka"],
        kind=[Article.Kind.DOCUMENT],
        body=["<p>Текст.</p>"],
        tags=[tags],
    )
    return data


def _form_errors(response):
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def test_over_long_tag_on_the_article_form_is_refused(editor_client):
    response = editor_client.post(ADD_URL, _add_data(editor_client, f"пособие, {TOO_LONG}"))
    assert "Метка «ЯЯЯЯЯЯЯЯЯЯ…» длиннее 100 символов (в ней 101)" in _form_errors(response)
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_tag_of_exactly_100_characters_is_accepted(editor_client):
    response = editor_client.post(ADD_URL, _add_data(editor_client, "Я" * 100))
    assert response.status_code == 302
    assert Tag.objects.get().name == "Я" * 100


def test_over_long_tag_on_an_existing_article_changes_nothing(editor_client):
    article = make_article(title="Было")
    article.tags.add("пособие")
    response = submit_change_form(editor_client, article, title="Стало", tags=TOO_LONG)
    assert "длиннее 100 символов" in _form_errors(response)
    article.refresh_from_db()
    assert article.title == "Было"
    assert list(article.tags.names()) == ["пособие"]


def test_over_long_tag_in_the_tag_admin_is_refused(editor_client):
    response = editor_client.post("/admin/taggit/tag/add/", {"name": TOO_LONG, "slug": "dlinno"})
    assert "не более 100 символов (сейчас 101)" in _form_errors(response)
    assert not Tag.objects.exists()


def test_over_long_rename_in_the_tag_admin_is_refused(editor_client):
    tag = Tag.objects.create(name="пособие", slug="posobie")
    response = editor_client.post(
        f"/admin/taggit/tag/{tag.pk}/change/", {"name": TOO_LONG, "slug": "posobie"}
    )
    assert "не более 100 символов (сейчас 101)" in _form_errors(response)
    assert Tag.objects.get().name == "пособие"
