"""What the admin shows people is Russian and readable: the editor's toolbar,
version lists with local dates and no "None", no English labels, a favicon."""

import json
from datetime import UTC, datetime

from articles.models import Article
from tests.factories import make_article, make_section, make_user
from tests.html import submit_change_form


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_admin_pages_have_the_favicon(editor_client):
    article = make_article()
    for url in ["/admin/", f"/admin/articles/article/{article.pk}/change/"]:
        assert '<link rel="icon" href="/static/img/favicon.svg"' in _page(editor_client, url)


def test_article_form_has_no_english_labels(editor_client):
    article = make_article()
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/change/")
    assert "Loaded version" not in page


def test_view_only_article_form_shows_no_version_row(client_for, administrator):
    article = make_article()
    page = _page(client_for(administrator), f"/admin/articles/article/{article.pk}/change/")
    assert "версия, открытая для правки" not in page


def test_editor_gets_russian_toolbar_names(editor_client):
    article = make_article()
    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "/static/js/prose-editor-ru.js" in response.content.decode()
    widget = response.context["adminform"].form.fields["body"].widget
    labels = json.loads(widget.attrs["data-kb-editor-labels"])
    assert labels["bold"] == "Полужирный"
    assert labels["Insert table"] == "Вставить таблицу"
    assert labels["figure"] == "Изображение с подписью"
    assert labels["heading 2"] == "Заголовок 2"
    assert all(not name.isascii() for name in labels.values())


def test_history_shows_local_russian_dates_and_no_none(editor_client):
    article = make_article(title="Памятка")
    article.history.update(
        history_date=datetime(2026, 12, 1, 7, 19, 5, tzinfo=UTC), history_change_reason=None
    )
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/history/")
    assert "1 декабря 2026, 11:19" in page  # Europe/Samara is UTC+4
    assert "+00:00" not in page
    assert "None" not in page
    assert "1 версия" in page


def test_history_changes_are_in_words(editor_client, settings):
    article = make_article(
        title="Памятка", status=Article.Status.DRAFT, published_at=None, mandatory=False
    )
    other = make_section("Новый раздел")
    response = submit_change_form(
        editor_client,
        article,
        section=str(other.pk),
        status=Article.Status.PUBLISHED,
        mandatory="on",
        published_at_0="01.12.2026",
        published_at_1="11:19:05",
    )
    assert response.status_code == 302
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/history/")
    changes = page[page.index("<tbody>") :]
    assert "черновик&nbsp;&rarr;&nbsp;&nbsp;опубликовано" in changes
    assert "нет&nbsp;&rarr;&nbsp;&nbsp;да" in changes
    assert "—&nbsp;&rarr;&nbsp;&nbsp;1 декабря 2026, 11:19" in changes
    assert "&rarr;&nbsp;&nbsp;Новый раздел" in changes
    for raw in ["None", "True", "False", "+00:00", "draft"]:
        assert raw not in changes


def test_history_names_a_related_row_that_is_gone_by_its_number(editor_client, editor):
    gone = make_user("gone")
    article = make_article(title="Памятка", owner=gone)
    response = submit_change_form(editor_client, article, owner=str(editor.pk))
    assert response.status_code == 302
    gone_pk = gone.pk
    gone.delete()  # the old version still points at the deleted person
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/history/")
    assert f"№ {gone_pk}&nbsp;&rarr;&nbsp;&nbsp;" in page[page.index("<tbody>") :]


def test_section_history_is_readable_too(editor_client):
    section = make_section("Раздел")
    section.history.update(history_change_reason=None)
    page = _page(editor_client, f"/admin/articles/section/{section.pk}/history/")
    assert "None" not in page[page.index("<tbody>") :]


def test_version_page_is_in_russian(client_for, editor, administrator):
    article = make_article(title="Памятка")
    url = f"/admin/articles/article/{article.pk}/history/{article.history.get().history_id}/"
    page = _page(client_for(editor), url)
    assert "Восстановить прежнюю версию: Памятка" in page
    assert "Восстановление версии" in page
    page = _page(client_for(administrator), url)
    assert "Прежняя версия: Памятка" in page
    breadcrumbs = page[page.index('<div class="breadcrumbs">') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</div>")]
    assert "База знаний" in breadcrumbs
    assert "Материалы" in breadcrumbs
    for english in ["Articles", "Historical", "View "]:
        assert english not in breadcrumbs


def test_related_field_buttons_keep_their_title_attribute_whole(editor_client):
    """Django's own Russian puts straight quotes around the model name inside
    title="…", which ends the attribute early; ours uses guillemets."""
    article = make_article()
    page = _page(editor_client, f"/admin/articles/article/{article.pk}/change/")
    assert 'title="Изменить выбранный объект «раздел»"' in page
    assert 'типа "' not in page
