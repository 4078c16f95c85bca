"""The index follows every change, whichever way it is made."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from articles.services import (
    article_restore,
    article_trash,
    attachment_add,
    section_restore,
    section_trash,
)
from search.models import SearchDocument
from tests.factories import make_article, make_section
from tests.html import form_data, submit_change_form
from tests.search.factories import make_indexed, titles

ADD_URL = "/admin/articles/article/add/"


def found(client, query, **params):
    return titles(client.get("/search/", {"q": query, **params}))


def _save(client, article, **fields):
    response = submit_change_form(client, article, **fields)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def article(db, section):
    return make_indexed(section, title="Памятка консультанта", slug="pamyatka")


def test_article_added_in_the_admin_is_found(client_for, editor, staff, section):
    editor_client = client_for(editor)
    data = form_data(editor_client.get(ADD_URL), "article_form")
    data.update(
        section=[str(section.pk)],
        title=["Сценарий звонка работодателю"],
        slug=["scenarij"],
        kind=["standard"],
        status=["published"],
        summary=["Кратко."],
        body=["<p>Текст сценария.</p>"],
        tags=["телефон"],
    )
    assert editor_client.post(ADD_URL, data).status_code == 302
    staff_client = client_for(staff)
    assert found(staff_client, "сценарии") == ["Сценарий звонка работодателю"]
    assert found(staff_client, "телефону") == ["Сценарий звонка работодателю"]


def test_edit_in_the_admin_updates_the_index(editor_client, article):
    _save(editor_client, article, title="Регламент приёма", body="<p>Очередь и талоны.</p>")
    assert found(editor_client, "регламент") == ["Регламент приёма"]
    assert found(editor_client, "талонов") == ["Регламент приёма"]
    assert found(editor_client, "памятка") == []


def test_tags_changed_in_the_admin_are_found(editor_client, article):
    _save(editor_client, article, tags="выездное обслуживание")
    assert found(editor_client, "выездному") == ["Памятка консультанта"]


def test_unpublish_and_publish_in_the_admin(client_for, editor, staff, article):
    editor_client, staff_client = client_for(editor), client_for(staff)
    _save(editor_client, article, status="draft")
    assert found(staff_client, "памятка") == []
    assert found(editor_client, "памятка", drafts="1") == ["Памятка консультанта"]
    editor_client.post(
        "/admin/articles/article/", {"action": "publish", "_selected_action": [article.pk]}
    )
    assert found(staff_client, "памятка") == ["Памятка консультанта"]
    editor_client.post(
        "/admin/articles/article/", {"action": "archive", "_selected_action": [article.pk]}
    )
    assert found(staff_client, "памятка") == []


def test_article_moved_to_another_section(editor_client, article):
    target = make_section("Стандарты", slug="standarty")
    _save(editor_client, article, section=str(target.pk))
    response = editor_client.get("/search/", {"q": "памятка", "section": target.pk})
    assert titles(response) == ["Памятка консультанта"]
    assert SearchDocument.objects.get(pk=article.pk).section_id == target.pk


def test_section_moved_in_the_tree(editor_client, article, section):
    parent = make_section("Работа с клиентами", slug="rabota")
    response = editor_client.post(
        "/admin/articles/section/",
        {
            "cmd": "move_node",
            "cut_item": section.pk,
            "pasted_on": parent.pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 200
    found_under_parent = editor_client.get("/search/", {"q": "памятка", "section": parent.pk})
    assert titles(found_under_parent) == ["Памятка консультанта"]
    html = found_under_parent.content.decode()
    assert "Работа с клиентами</a> › <a" in html


def test_article_soft_delete_and_restore_in_the_admin(editor_client, article):
    editor_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert found(editor_client, "памятка", drafts="1") == []
    editor_client.post(
        "/admin/articles/articletrash/", {"action": "restore", "_selected_action": [article.pk]}
    )
    assert found(editor_client, "памятка") == ["Памятка консультанта"]


def test_article_trash_and_restore_services(staff_client, article):
    article_trash(article=article)
    assert found(staff_client, "памятка") == []
    article_restore(article=Article.all_objects.get(pk=article.pk))
    assert found(staff_client, "памятка") == ["Памятка консультанта"]


def test_section_soft_delete_and_restore_in_the_admin(editor_client, article, section):
    child = make_section("Вложенный", parent=section, slug="vlozhennyj")
    inner = make_indexed(child, title="Памятка вложенная", slug="inner")
    editor_client.post(f"/admin/articles/section/{section.pk}/delete/", {"post": "yes"})
    assert found(editor_client, "памятка", drafts="1") == []
    editor_client.post(
        "/admin/articles/sectiontrash/", {"action": "restore", "_selected_action": [section.pk]}
    )
    assert sorted(found(editor_client, "памятка")) == [inner.title, article.title]


def test_section_trash_and_restore_services(staff_client, article, section):
    section_trash(section=section)
    assert found(staff_client, "памятка") == []
    section.refresh_from_db()
    section_restore(section=section)
    assert found(staff_client, "памятка") == ["Памятка консультанта"]


def test_article_restored_alone_brings_its_section_back_to_search(staff_client, article, section):
    section_trash(section=section)
    article_restore(article=Article.all_objects.get(pk=article.pk))
    assert found(staff_client, "памятка") == ["Памятка консультанта"]


def test_attachment_added_by_the_service_is_searched(staff_client, article):
    attachment_add(
        article=article,
        upload=SimpleUploadedFile("порядок.txt", "Порядок выдачи направлений".encode()),
    )
    assert found(staff_client, "направление") == ["Памятка консультанта"]


def test_attachment_uploaded_replaced_and_removed_in_the_admin(editor_client, article):
    upload = SimpleUploadedFile("первый.txt", "Бланк заявления".encode())
    _save(editor_client, article, **{"attachments-0-file": upload})
    assert found(editor_client, "заявлению") == ["Памятка консультанта"]

    replacement = SimpleUploadedFile("второй.txt", "Перечень документов".encode())
    _save(editor_client, article, **{"attachments-0-file": replacement})
    assert found(editor_client, "документам") == ["Памятка консультанта"]
    assert found(editor_client, "заявлению") == []

    _save(editor_client, article, **{"attachments-0-DELETE": "on"})
    assert not article.attachments.exists()
    assert found(editor_client, "документам") == []
    assert found(editor_client, "памятка") == ["Памятка консультанта"]


def test_history_revert_updates_the_index(editor_client, article):
    _save(editor_client, article, title="Новое название")
    history_id = article.history.order_by("history_date").first().history_id
    url = f"/admin/articles/article/{article.pk}/history/{history_id}/"
    data = form_data(editor_client.get(url), "historicalarticle_form")
    assert editor_client.post(url, data).status_code == 302
    assert found(editor_client, "памятка") == ["Памятка консультанта"]


def test_an_article_made_outside_the_app_is_not_found_until_indexed(staff_client, section):
    # Code that bypasses the services (a shell, a bulk import) must index or
    # run rebuild_search_index.
    article = make_article(section, title="Импортированный материал")
    assert found(staff_client, "импортированный") == []
    from search.services import search_index_article

    search_index_article(article=article)
    assert found(staff_client, "импортированный") == ["Импортированный материал"]
