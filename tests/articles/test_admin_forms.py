"""Bad input in the editors' forms: a Russian message and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Attachment, Section
from articles.services import article_trash, section_trash
from tests.factories import (
    ROLE_USERS,
    docx_bytes,
    make_article,
    make_section,
    make_user,
    pdf_bytes,
    png_bytes,
)
from tests.html import form_data, submit_change_form

ADD_URL = "/admin/articles/article/add/"


@pytest.fixture
def section(db):
    return make_section("Кодекс", slug="kodeks")


@pytest.fixture
def add_data(editor_client, section):
    """A valid add form, as the editor's browser would send it."""
    data = form_data(editor_client.get(ADD_URL), "article_form")
    data.update(
        section=[str(section.pk)],
        title=["Памятка для специалиста"],
        slug=["pamyatka"],
        kind=[Article.Kind.DOCUMENT],
        summary=["Коротко о главном."],
        body=["<p>Текст памятки.</p>"],
    )
    return data


def _errors(response):
    """Every error of the article form and its inlines, as one string."""
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    messages = [str(error) for errors in form.errors.values() for error in errors]
    for formset in response.context["inline_admin_formsets"]:
        for errors in formset.formset.errors:
            messages += [str(error) for field_errors in errors.values() for error in field_errors]
    return " ".join(messages)


def _media_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_valid_add_form_saves(editor_client, add_data):
    response = editor_client.post(ADD_URL, add_data)
    assert response.status_code == 302
    article = Article.objects.get(slug="pamyatka")
    assert article.title == "Памятка для специалиста"


def test_empty_title_is_refused(editor_client, add_data):
    add_data["title"] = ["   "]
    response = editor_client.post(ADD_URL, add_data)
    assert "Обязательное поле" in _errors(response)
    assert not Article.objects.exists()


def test_over_long_title_is_refused(editor_client, add_data):
    add_data["title"] = ["Я" * 201]
    response = editor_client.post(ADD_URL, add_data)
    assert "не более 200 символов (сейчас 201)" in _errors(response)
    assert not Article.objects.exists()


def test_title_of_exactly_200_characters_is_accepted(editor_client, add_data):
    add_data["title"] = ["Я" * 200]
    assert editor_client.post(ADD_URL, add_data).status_code == 302


def test_duplicate_slug_is_refused(editor_client, add_data, section):
    make_article(section, slug="pamyatka", title="Уже есть")
    response = editor_client.post(ADD_URL, add_data)
    assert "Материал с таким адресом уже есть." in _errors(response)
    assert Article.objects.count() == 1


def test_duplicate_slug_of_a_trashed_article_is_refused(editor_client, add_data, section):
    article_trash(article=make_article(section, slug="pamyatka"))
    response = editor_client.post(ADD_URL, add_data)
    assert "Материал с таким адресом лежит в корзине" in _errors(response)
    assert Article.all_objects.count() == 1


def test_bad_slug_is_refused(editor_client, add_data):
    add_data["slug"] = ["с пробелами и кириллицей"]
    response = editor_client.post(ADD_URL, add_data)
    assert "Значение должно состоять только из латинских букв" in _errors(response)
    assert not Article.objects.exists()


def test_link_kind_without_link_or_text_is_refused(editor_client, add_data):
    add_data.update(kind=[Article.Kind.VIDEO], body=[""], external_url=[""])
    response = editor_client.post(ADD_URL, add_data)
    assert "укажите ссылку или текст" in _errors(response)


def test_tag_without_letters_is_refused(editor_client, add_data):
    add_data["tags"] = ["памятка, !!!"]
    response = editor_client.post(ADD_URL, add_data)
    assert "В метке «!!!» нет ни букв, ни цифр" in _errors(response)
    assert not Article.objects.exists()


# --- Sections -------------------------------------------------------------------------------


def test_section_cannot_move_under_its_own_descendant(editor_client):
    root = make_section("Корень", slug="koren")
    child = make_section("Ветка", parent=root, slug="vetka")
    grandchild = make_section("Лист", parent=child, slug="list")
    other = make_section("Другой", slug="drugoj")
    url = f"/admin/articles/section/{root.pk}/change/"
    offered = editor_client.get(url).context["adminform"].form.fields["parent"].queryset
    assert set(offered) == {other}  # the form does not even offer its own subtree
    response = submit_change_form(editor_client, root, parent=str(grandchild.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["parent"] == [
        "Сюда раздел перенести нельзя: выберите раздел, который не является им самим "
        "или его подразделом и не лежит в корзине."
    ]
    root.refresh_from_db()
    assert root.parent is None
    assert Section.objects.get(pk=grandchild.pk).get_ancestors().count() == 2


def test_section_cannot_be_its_own_parent(editor_client):
    section = make_section()
    response = submit_change_form(editor_client, section, parent=str(section.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    section.refresh_from_db()
    assert section.parent is None


def test_section_can_move_under_another_branch(editor_client):
    first = make_section("Первый", slug="pervyj")
    second = make_section("Второй", slug="vtoroj")
    assert submit_change_form(editor_client, first, parent=str(second.pk)).status_code == 302
    first.refresh_from_db()
    assert first.parent == second


def test_section_duplicate_slug_is_refused(editor_client):
    make_section(slug="zanyato")
    url = "/admin/articles/section/add/"
    data = form_data(editor_client.get(url), "section_form")
    data.update(title=["Новый"], slug=["zanyato"])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == ["Раздел с таким адресом уже есть."]
    assert Section.objects.count() == 1


def test_section_duplicate_slug_of_a_trashed_section_is_refused(editor_client):
    section_trash(section=make_section(slug="v-korzine"))
    url = "/admin/articles/section/add/"
    data = form_data(editor_client.get(url), "section_form")
    data.update(title=["Новый"], slug=["v-korzine"])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "лежит в корзине" in response.context["adminform"].form.errors["slug"][0]
    assert Section.all_objects.count() == 1


def test_section_drag_and_drop_under_its_descendant_is_refused(editor_client):
    root = make_section("Корень", slug="koren")
    child = make_section("Ветка", parent=root, slug="vetka")
    response = editor_client.post(
        "/admin/articles/section/",
        {"cmd": "move_node", "cut_item": root.pk, "pasted_on": child.pk, "position": "last-child"},
    )
    assert b"FAIL" in response.content
    root.refresh_from_db()
    assert root.parent is None


# --- Attachments ----------------------------------------------------------------------------


def _with_file(data, name, content):
    data["attachments-0-file"] = SimpleUploadedFile(name, content)
    data["attachments-0-title"] = ["Вложение"]
    return data


def test_valid_attachment_is_saved_with_its_type(editor_client, add_data):
    response = editor_client.post(ADD_URL, _with_file(add_data, "схема.png", png_bytes()))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == Attachment.Kind.IMAGE
    assert attachment.mime_type == "image/png"
    assert attachment.original_name == "схема.png"


def test_attachment_over_size_limit_is_refused(editor_client, add_data, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    response = editor_client.post(ADD_URL, _with_file(add_data, "отчёт.pdf", pdf_bytes()))
    assert "Файл слишком большой" in _errors(response)
    assert "можно не больше 100" in _errors(response)
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "exe"),
        ("страница.html", b"<html><script>alert(1)</script></html>", "html"),
        ("скрипт.js", b"alert(1)", "js"),
        ("рисунок.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "svg"),
    ],
)
def test_attachment_type_not_on_allow_list_is_refused(
    editor_client, add_data, settings, name, content, extension
):
    response = editor_client.post(ADD_URL, _with_file(add_data, name, content))
    assert f"Файлы .{extension} прикреплять нельзя" in _errors(response)
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("приказ.pdf", b"<html><body><script>alert(1)</script></body></html>"),
        ("отчёт.docx", png_bytes()),
        ("фото.png", pdf_bytes()),
        ("таблица.xlsx", docx_bytes()),
        ("заметка.txt", png_bytes()),
        ("видео.mp4", b"just some text pretending to be a video"),
    ],
)
def test_attachment_whose_content_does_not_match_its_extension_is_refused(
    editor_client, add_data, settings, name, content
):
    response = editor_client.post(ADD_URL, _with_file(add_data, name, content))
    assert f"Содержимое файла «{name}» не похоже на" in _errors(response)
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()
    assert _media_files(settings) == []


def test_attachment_without_extension_is_refused(editor_client, add_data):
    response = editor_client.post(ADD_URL, _with_file(add_data, "README", b"text"))
    assert "У файла нет расширения" in _errors(response)
    assert not Article.objects.exists()


def test_empty_attachment_is_refused(editor_client, add_data):
    response = editor_client.post(ADD_URL, _with_file(add_data, "пусто.txt", b""))
    assert "Отправленный файл пуст." in _errors(response)
    assert not Article.objects.exists()
    assert not Attachment.objects.exists()


def test_bad_attachment_on_change_form_leaves_article_unchanged(editor_client, section):
    article = make_article(section, title="Исходный заголовок")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor_client.get(url), "article_form")
    data["title"] = ["Изменённый заголовок"]
    response = editor_client.post(url, _with_file(data, "вирус.exe", b"MZ" + b"\x00" * 10))
    assert "Файлы .exe прикреплять нельзя" in _errors(response)
    article.refresh_from_db()
    assert article.title == "Исходный заголовок"
    assert article.history.count() == 1


# --- Two editors, one article ---------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused(client_for, editor, section):
    article = make_article(section, title="Исходный", body="<p>Исходный текст</p>")
    second_editor = client_for(editor)
    first_editor = client_for(make_user(role=ROLE_USERS["editor"]))
    url = f"/admin/articles/article/{article.pk}/change/"
    first_form = form_data(first_editor.get(url), "article_form")
    second_form = form_data(second_editor.get(url), "article_form")

    first_form.update(title=["Правка первого"], body=["<p>Текст первого</p>"])
    assert first_editor.post(url, first_form).status_code == 302

    second_form.update(title=["Правка второго"], body=["<p>Текст второго</p>"])
    response = second_editor.post(url, second_form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    message = str(errors)
    assert "Пока вы редактировали, материал сохранил другой редактор" in message
    page = response.content.decode()
    assert "Пока вы редактировали, материал сохранил другой редактор" in page
    assert f'<a href="{url}" target="_blank">Открыть новую версию</a>' in page
    article.refresh_from_db()
    assert article.title == "Правка первого"
    assert article.body == "<p>Текст первого</p>"


def test_second_editor_can_save_after_reloading(client_for, editor, section):
    article = make_article(section)
    url = f"/admin/articles/article/{article.pk}/change/"
    client = client_for(editor)
    stale = form_data(client.get(url), "article_form")
    article.title = "Кто-то успел раньше"
    article.save()
    assert client.post(url, stale).status_code == 200
    fresh = form_data(client.get(url), "article_form")
    fresh["title"] = ["Моя правка"]
    assert client.post(url, fresh).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Моя правка"


# --- Actions --------------------------------------------------------------------------------


def _action(client, action, articles):
    return client.post(
        "/admin/articles/article/",
        {"action": action, "_selected_action": [article.pk for article in articles]},
        follow=True,
    )


def test_publish_action_publishes_and_sets_published_at(editor_client, section):
    drafts = [make_article(section, status=Article.Status.DRAFT) for _ in range(2)]
    already = make_article(section)
    response = _action(editor_client, "publish", [*drafts, already])
    assert "Опубликовано материалов: 2." in response.content.decode()
    for article in drafts:
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at is not None


def test_archive_action_archives(editor_client, section):
    article = make_article(section)
    response = _action(editor_client, "archive", [article])
    assert "Перенесено в архив: 1." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_send_to_review_action(editor_client, section):
    article = make_article(section, status=Article.Status.DRAFT)
    _action(editor_client, "send_to_review", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_publish_action_records_history(editor_client, section):
    article = make_article(section, status=Article.Status.DRAFT)
    _action(editor_client, "publish", [article])
    assert article.history.first().status == Article.Status.PUBLISHED


def test_administrator_cannot_publish(client_for, administrator, section):
    article = make_article(section, status=Article.Status.DRAFT)
    response = _action(client_for(administrator), "publish", [article])
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_admin_is_in_russian(editor_client, section):
    page = editor_client.get(ADD_URL).content.decode()
    for text in ["Добавить материал", "Заголовок", "Вид материала", "Следующая актуализация"]:
        assert text in page, text


def test_section_drag_and_drop_move_is_recorded_in_history(editor_client, editor):
    first = make_section("Первый", slug="pervyj")
    second = make_section("Второй", slug="vtoroj")
    response = editor_client.post(
        "/admin/articles/section/",
        {
            "cmd": "move_node",
            "cut_item": second.pk,
            "pasted_on": first.pk,
            "position": "last-child",
        },
    )
    assert response.content.startswith(b"OK")
    second.refresh_from_db()
    assert second.parent == first
    latest = second.history.first()
    assert latest.parent_id == first.pk
    assert latest.history_change_reason == "перемещён в дереве разделов"
    assert latest.history_user == editor
