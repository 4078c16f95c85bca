"""The admin's writing requests, run the way a real request runs: no test
transaction around them (``transaction=True``). On PostgreSQL this is where a
row lock outside a transaction fails (``select_for_update`` in the article
form's version check); the pytest transaction around ordinary tests, and
SQLite, which has no row locks, both hide it. Run them on PostgreSQL with
``DATABASE_URL=postgres://…``; on SQLite they still check the outcomes."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Attachment, Section
from articles.services import article_trash
from people import roles
from tests.factories import make_article, make_section, make_user
from tests.html import form_data, submit_change_form

pytestmark = pytest.mark.django_db(transaction=True)

REVERT_FORM = "historicalarticle_form"


@pytest.fixture
def editor():
    # A transactional test starts from an emptied database: make the role again
    # from the migration's own list of permissions.
    grants = importlib.import_module("people.migrations.0002_roles").PERMISSIONS[roles.EDITOR]
    group, _ = Group.objects.get_or_create(name=roles.EDITOR)
    for app_label, models in grants.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            group.permissions.add(*perms)
    return make_user("editor", role=roles.EDITOR)


@pytest.fixture
def client(client, editor):
    client.force_login(editor)
    return client


def test_revert_through_admin_saves_the_old_version(client):
    article = make_article(title="Старый заголовок", body="<p>Старый текст</p>")
    first = article.history.get()
    assert submit_change_form(client, article, title="Новый заголовок").status_code == 302
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    response = client.post(revert_url, form_data(client.get(revert_url), REVERT_FORM))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Старый заголовок"


def test_stale_revert_is_refused_not_crashed(client):
    article = make_article(title="Один")
    first = article.history.get()
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    data = form_data(client.get(revert_url), REVERT_FORM)
    article.title = "Два"
    article.save()  # someone saved meanwhile
    response = client.post(revert_url, data)
    assert response.status_code == 200
    assert "материал сохранил другой редактор" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Два"


def test_revert_of_a_section(client):
    section = make_section("Первое название")
    first = section.history.get()
    section.title = "Второе название"
    section.save()
    revert_url = f"/admin/articles/section/{section.pk}/history/{first.history_id}/"
    response = client.post(revert_url, form_data(client.get(revert_url), "historicalsection_form"))
    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).title == "Первое название"


def test_change_form_save_with_an_attachment(client):
    article = make_article(title="Было")
    data = form_data(client.get(f"/admin/articles/article/{article.pk}/change/"), "article_form")
    data.update(title=["Стало"], **{"attachments-0-title": ["Памятка"]})
    data["attachments-0-file"] = SimpleUploadedFile("памятка.txt", "Текст".encode())
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Стало"
    assert Attachment.objects.filter(article=article).count() == 1


def test_add_form_save(client):
    section = make_section()
    data = form_data(client.get("/admin/articles/article/add/"), "article_form")
    data.update(
        section=[str(section.pk)],
        title=["Новая памятка"],
        slug=["novaya-pamyatka"],
        kind=[Article.Kind.DOCUMENT],
        body=["<p>Текст.</p>"],
    )
    assert client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.filter(slug="novaya-pamyatka").exists()


def test_status_actions_and_bulk_delete(client):
    first, second = make_article(status=Article.Status.DRAFT), make_article()
    changelist = "/admin/articles/article/"
    selected = [first.pk, second.pk]
    response = client.post(changelist, {"action": "publish", "_selected_action": selected})
    assert response.status_code == 302
    assert Article.objects.get(pk=first.pk).status == Article.Status.PUBLISHED
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk__in=selected).exists()


def test_delete_and_restore(client):
    article = make_article()
    response = client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    response = client.post(
        "/admin/articles/articletrash/", {"action": "restore", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    assert Article.objects.filter(pk=article.pk).exists()


def test_section_move_delete_and_restore(client):
    first, second = make_section(), make_section()
    response = client.post(
        "/admin/articles/section/",
        {
            "cmd": "move_node",
            "cut_item": second.pk,
            "pasted_on": first.pk,
            "position": "last-child",
        },
    )
    assert response.content.startswith(b"OK")
    assert Section.objects.get(pk=second.pk).parent_id == first.pk
    response = client.post(
        "/admin/articles/section/",
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Section.objects.filter(pk__in=[first.pk, second.pk]).exists()
    response = client.post(
        "/admin/articles/sectiontrash/", {"action": "restore", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    assert Section.objects.filter(pk=first.pk).exists()


def test_tag_admin_save(client):
    article = make_article()
    article.tags.add("пособие")
    tag = article.tags.get()
    response = client.post(
        f"/admin/taggit/tag/{tag.pk}/change/", {"name": "пособие по безработице", "slug": "posobie"}
    )
    assert response.status_code == 302
    article_trash(article=article)
