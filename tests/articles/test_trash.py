"""Soft delete: the trash, restoring from it and purging it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation

from articles.models import Article, Attachment, Section
from articles.services import article_trash, section_trash
from tests.factories import make_article, make_attachment, make_section


def _restore(client, trash_model, *objects):
    return client.post(
        f"/admin/articles/{trash_model}/",
        {"action": "restore", "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def _deleted_at(obj):
    return type(obj).all_objects.get(pk=obj.pk).deleted_at


# --- Articles -------------------------------------------------------------------------------


def test_admin_delete_puts_article_in_trash(client_for, editor, staff):
    article = make_article(title="В корзину", slug="v-korzinu")
    editor_client = client_for(editor)
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    # Still in the database, only marked as deleted.
    assert _deleted_at(article) is not None
    assert not Article.objects.filter(pk=article.pk).exists()
    assert client_for(staff).get(f"/kb/{article.section.slug}/v-korzinu/").status_code == 404
    trash = editor_client.get("/admin/articles/articletrash/").content.decode()
    assert "В корзину" in trash
    assert "/admin/articles/article/" in response.redirect_chain[-1][0]


def test_trashed_article_disappears_from_staff_pages(staff_client):
    article = make_article(title="Исчезающий материал")
    article_trash(article=article)
    for url in ["/", article.section.get_absolute_url(), "/search/?q=Исчезающий"]:
        assert "Исчезающий материал" not in staff_client.get(url).content.decode(), url
    assert staff_client.get(article.get_absolute_url()).status_code == 404


def test_trashed_article_is_404_for_editors_too(editor_client):
    article = make_article()
    article_trash(article=article)
    assert editor_client.get(article.get_absolute_url()).status_code == 404


def test_trashed_article_attachment_is_404(staff_client):
    article = make_article()
    attachment = make_attachment(article)
    article_trash(article=article)
    assert staff_client.get(attachment.get_absolute_url()).status_code == 404


def test_trashed_article_leaves_the_admin_list(editor_client):
    article = make_article(title="Удалённый материал")
    article_trash(article=article)
    assert (
        "Удалённый материал" not in editor_client.get("/admin/articles/article/").content.decode()
    )


def test_bulk_delete_action_trashes_articles(editor_client):
    first, second = make_article(), make_article()
    response = editor_client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert _deleted_at(first) is not None
    assert _deleted_at(second) is not None


def test_restore_action_brings_article_back(editor_client, client_for, staff):
    article = make_article(title="Вернувшийся")
    article_trash(article=article)
    response = _restore(editor_client, "articletrash", article)
    assert "Восстановлен 1 объект" in response.content.decode()
    assert _deleted_at(article) is None
    assert client_for(staff).get(article.get_absolute_url()).status_code == 200
    assert "Вернувшийся" not in editor_client.get("/admin/articles/articletrash/").content.decode()


def test_restoring_article_brings_back_its_trashed_section(editor_client):
    section = make_section()
    article = make_article(section)
    section_trash(section=section)
    _restore(editor_client, "articletrash", article)
    assert _deleted_at(section) is None
    assert _deleted_at(article) is None


def test_trash_shows_when_it_will_be_purged(editor_client, settings):
    settings.TRASH_RETENTION_DAYS = 30
    article = make_article()
    article_trash(article=article)
    deleted = timezone.localtime(timezone.now()) - timedelta(days=3)
    Article.all_objects.filter(pk=article.pk).update(deleted_at=deleted)
    page = editor_client.get("/admin/articles/articletrash/").content.decode()
    purge_day = (deleted + timedelta(days=30)).date()
    with translation.override("ru"):
        shown = formats.date_format(purge_day, "DATE_FORMAT")
    assert purge_day.strftime("%Y") in shown
    assert shown in page


def test_trash_cannot_be_edited_or_added_to(editor_client):
    article = make_article()
    article_trash(article=article)
    assert editor_client.get("/admin/articles/articletrash/add/").status_code == 403
    response = editor_client.post(
        f"/admin/articles/articletrash/{article.pk}/change/", {"title": "Изменено"}
    )
    assert response.status_code == 403
    assert Article.all_objects.get(pk=article.pk).title != "Изменено"


# --- Sections -------------------------------------------------------------------------------


@pytest.fixture
def tree(db):
    """root → child → grandchild, an article at each level, a sibling outside."""
    root = make_section("Корень", slug="koren")
    child = make_section("Ветка", parent=root, slug="vetka")
    grandchild = make_section("Лист", parent=child, slug="list")
    sibling = make_section("Сосед", slug="sosed")
    articles = {
        "root": make_article(root, slug="v-korne"),
        "child": make_article(child, slug="v-vetke"),
        "grandchild": make_article(grandchild, slug="v-liste"),
        "sibling": make_article(sibling, slug="u-soseda"),
    }
    return {
        "root": root,
        "child": child,
        "grandchild": grandchild,
        "sibling": sibling,
        "articles": articles,
    }


def test_admin_delete_of_section_trashes_subtree_and_articles(editor_client, tree):
    response = editor_client.post(
        f"/admin/articles/section/{tree['child'].pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    for name in ["child", "grandchild"]:
        assert _deleted_at(tree[name]) is not None, name
        assert _deleted_at(tree["articles"][name]) is not None, name
    for name in ["root", "sibling"]:
        assert _deleted_at(tree[name]) is None, name
        assert _deleted_at(tree["articles"][name]) is None, name
    # Nothing was destroyed.
    assert Section.all_objects.count() == 4
    assert Article.all_objects.count() == 4


def test_section_delete_confirmation_is_not_blocked_by_its_articles(editor_client, tree):
    response = editor_client.get(f"/admin/articles/section/{tree['child'].pk}/delete/")
    assert response.status_code == 200
    assert response.context["protected"] == []


def test_trashed_section_pages_are_404(staff_client, tree):
    section_trash(section=tree["child"])
    for url in [
        "/kb/vetka/",
        "/kb/list/",
        "/kb/vetka/v-vetke/",
        "/kb/list/v-liste/",
    ]:
        assert staff_client.get(url).status_code == 404, url
    assert staff_client.get("/kb/koren/").status_code == 200
    assert "Ветка" not in staff_client.get("/kb/").content.decode()


def test_bulk_delete_action_trashes_sections(editor_client, tree):
    empty = make_section("Пустой")
    selected = [tree["sibling"].pk, empty.pk, tree["child"].pk, tree["grandchild"].pk]
    response = editor_client.post(
        "/admin/articles/section/",
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code == 302
    for obj in [tree["sibling"], empty, tree["child"], tree["grandchild"]]:
        assert _deleted_at(obj) is not None, obj
    assert _deleted_at(tree["articles"]["sibling"]) is not None
    # Trashed, not destroyed: all of it can come back.
    assert Section.all_objects.count() == 5
    assert Article.all_objects.count() == 4
    # Selected together with its parent, deleted together with it.
    assert _deleted_at(tree["grandchild"]) == _deleted_at(tree["child"])


def test_section_trash_lists_only_deleted_sections(editor_client, tree):
    section_trash(section=tree["grandchild"])
    response = editor_client.get("/admin/articles/sectiontrash/")
    assert response.status_code == 200
    listed = [section.title for section in response.context["cl"].result_list]
    assert listed == ["Лист"]


def test_restoring_section_restores_exactly_what_was_deleted_with_it(editor_client, tree):
    earlier = tree["articles"]["grandchild"]
    article_trash(article=earlier)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Article.all_objects.filter(pk=earlier.pk).update(deleted_at=an_hour_ago)
    section_trash(section=tree["child"])

    response = _restore(editor_client, "sectiontrash", tree["child"])

    assert response.status_code == 200
    for obj in [tree["child"], tree["grandchild"], tree["articles"]["child"]]:
        assert _deleted_at(obj) is None, obj
    # Deleted before the section, so it stays in the trash.
    assert _deleted_at(earlier) == an_hour_ago


def test_restoring_subsection_restores_its_trashed_ancestors(editor_client, tree):
    section_trash(section=tree["root"])
    _restore(editor_client, "sectiontrash", tree["grandchild"])
    for name in ["root", "child", "grandchild"]:
        assert _deleted_at(tree[name]) is None, name
    assert _deleted_at(tree["articles"]["grandchild"]) is None
    # Articles of the ancestors were not asked for and stay in the trash.
    assert _deleted_at(tree["articles"]["root"]) is not None


def test_restored_section_is_back_in_the_staff_tree(client_for, editor, staff, tree):
    section_trash(section=tree["child"])
    staff_client = client_for(staff)
    assert staff_client.get("/kb/vetka/").status_code == 404
    _restore(client_for(editor), "sectiontrash", tree["child"])
    response = staff_client.get("/kb/vetka/")
    assert response.status_code == 200
    assert "Лист" in response.content.decode()


def test_staff_cannot_restore(client_for, staff):
    article = make_article()
    article_trash(article=article)
    response = _restore(client_for(staff), "articletrash", article)
    assert response.status_code == 403
    assert _deleted_at(article) is not None


# --- Purge ----------------------------------------------------------------------------------


def _age(obj, days):
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=timezone.now() - timedelta(days=days))


def test_purge_removes_only_items_older_than_retention(settings, db):
    settings.TRASH_RETENTION_DAYS = 30
    old_section = make_section(slug="staryj")
    old_article = make_article(old_section)
    attachment = make_attachment(old_article)
    stored_name = attachment.file.name
    recent = make_article()
    live = make_article()
    section_trash(section=old_section)
    article_trash(article=recent)
    _age(old_section, 31)
    _age(old_article, 31)
    _age(recent, 29)

    out = StringIO()
    call_command("purge_trash", stdout=out)

    assert not Article.all_objects.filter(pk=old_article.pk).exists()
    assert not Section.all_objects.filter(pk=old_section.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not attachment.file.storage.exists(stored_name)
    assert Article.all_objects.filter(pk=recent.pk).exists()
    assert Article.objects.filter(pk=live.pk).exists()
    assert "Корзина очищена: удалено материалов — 1, разделов — 1" in out.getvalue()
    # The record of what existed survives.
    assert Article.history.filter(id=old_article.pk).exists()


def test_purge_follows_the_configured_retention(settings, db):
    settings.TRASH_RETENTION_DAYS = 7
    article = make_article()
    article_trash(article=article)
    _age(article, 8)
    call_command("purge_trash", stdout=StringIO())
    assert not Article.all_objects.filter(pk=article.pk).exists()


def test_purge_keeps_a_section_holding_a_recently_deleted_article(settings, db):
    settings.TRASH_RETENTION_DAYS = 30
    section = make_section()
    article = make_article(section)
    article_trash(article=article)
    section_trash(section=section)
    _age(section, 40)
    _age(article, 5)
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert Section.all_objects.filter(pk=section.pk).exists()
    assert Article.all_objects.filter(pk=article.pk).exists()
    assert "удалено материалов — 0, разделов — 0" in out.getvalue()


def test_purge_removes_an_old_subtree_children_first(settings, tree):
    settings.TRASH_RETENTION_DAYS = 30
    section_trash(section=tree["root"])
    articles = tree["articles"]
    for obj in [tree["root"], tree["child"], tree["grandchild"]]:
        _age(obj, 31)
    for name in ["root", "child", "grandchild"]:
        _age(articles[name], 31)
    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "удалено материалов — 3, разделов — 3" in out.getvalue()
    assert list(Section.all_objects.values_list("slug", flat=True)) == ["sosed"]
    assert list(Article.all_objects.values_list("slug", flat=True)) == ["u-soseda"]


# --- Delete confirmations -------------------------------------------------------------------

# What Django's own confirmation lists for an article: rows a real delete would
# remove. Here nothing is removed, so none of it may appear.
DJANGO_DELETE_LIST = ["Article_related", "Поисковый документ", "будут удалены", "object ("]


def _until(settings):
    day = timezone.localdate() + timedelta(days=settings.TRASH_RETENTION_DAYS)
    with translation.override("ru"):
        return formats.date_format(day, "DATE_FORMAT")


def _confirmation_text(response):
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<div id="content"') :]


def test_article_delete_confirmation_says_only_what_happens(editor_client, settings):
    settings.TRASH_RETENTION_DAYS = 30
    article = make_article(title="Памятка 5 < 7")
    article.related.add(make_article())
    make_attachment(article)
    make_attachment(article, name="вторая.txt")
    page = _confirmation_text(editor_client.get(f"/admin/articles/article/{article.pk}/delete/"))
    assert "Переместить материал в «Корзину»?" in page
    assert "<h1>Перемещение в корзину</h1>" in page
    assert "«Памятка 5 &lt; 7» — вместе с вложениями: 2" in page
    assert f"до {_until(settings)} всё это можно восстановить" in page
    assert "Да, переместить в корзину" in page
    for text in DJANGO_DELETE_LIST:
        assert text not in page


def test_section_delete_confirmation_counts_what_goes_with_it(editor_client, tree, settings):
    page = _confirmation_text(
        editor_client.get(f"/admin/articles/section/{tree['root'].pk}/delete/")
    )
    assert "Переместить раздел в «Корзину»?" in page
    assert "«Корень» — подразделов: 2, материалов: 3" in page
    assert f"до {_until(settings)} всё это можно восстановить" in page
    for text in DJANGO_DELETE_LIST:
        assert text not in page


def test_bulk_delete_confirmations_list_what_goes_to_the_trash(editor_client, tree, settings):
    page = _confirmation_text(
        editor_client.post(
            "/admin/articles/section/",
            {
                "action": "delete_selected",
                "_selected_action": [tree["child"].pk, tree["grandchild"].pk, tree["sibling"].pk],
            },
        )
    )
    assert "Переместить выбранные разделы в «Корзину»?" in page
    # The subsection goes with its chosen parent and is not counted twice.
    assert "«Ветка» — подразделов: 1, материалов: 2" in page
    assert "«Лист»" not in page
    assert "«Сосед» — подразделов: 0, материалов: 1" in page
    articles = [tree["articles"]["root"].pk, tree["articles"]["sibling"].pk]
    page = _confirmation_text(
        editor_client.post(
            "/admin/articles/article/",
            {"action": "delete_selected", "_selected_action": articles},
        )
    )
    assert "Переместить выбранные материалы в «Корзину»?" in page
    assert f"до {_until(settings)} всё это можно восстановить" in page
    for text in DJANGO_DELETE_LIST:
        assert text not in page
    assert all(_deleted_at(tree["articles"][name]) is None for name in ["root", "sibling"])


def test_messages_after_deleting_say_trash_not_deleted(editor_client, tree, settings):
    until = _until(settings)
    article = tree["articles"]["sibling"]
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}, follow=True
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"Перемещено в корзину: 1. До {until} это можно восстановить."]
    response = editor_client.post(
        "/admin/articles/section/",
        {
            "action": "delete_selected",
            "_selected_action": [tree["root"].pk, tree["child"].pk],
            "post": "yes",
        },
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    # The subsection went with its parent: one thing was moved, with all inside.
    assert shown == [f"Перемещено в корзину: 1. До {until} это можно восстановить."]
    assert _deleted_at(tree["grandchild"]) is not None
