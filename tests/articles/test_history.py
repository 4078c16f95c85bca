"""Every change is in the history; an earlier version can be restored."""

from articles.history import word_diff
from articles.models import Article, Section
from articles.services import article_restore, article_trash
from tests.factories import make_article, make_attachment, make_section
from tests.html import form_data, submit_change_form

REVERT_FORM = "historicalarticle_form"


def test_every_save_creates_a_history_record(db):
    article = make_article(title="Первая версия")
    assert article.history.count() == 1
    assert article.history.get().history_type == "+"
    article.title = "Вторая версия"
    article.save()
    article.save()  # even a save without changes is recorded
    assert article.history.count() == 3
    assert [record.title for record in article.history.order_by("history_id")] == [
        "Первая версия",
        "Вторая версия",
        "Вторая версия",
    ]


def test_admin_save_records_the_editor(editor_client, editor):
    article = make_article()
    response = submit_change_form(editor_client, article, title="Правка редактора")
    assert response.status_code == 302
    latest = article.history.first()
    assert latest.title == "Правка редактора"
    assert latest.history_user == editor


def test_attachments_have_history(db):
    attachment = make_attachment(make_article(), title="Памятка")
    assert attachment.history.count() == 1


def test_trash_and_restore_are_in_history(db):
    article = make_article()
    article_trash(article=article)
    article_restore(article=article)
    deleted = [record.deleted_at is not None for record in article.history.order_by("history_id")]
    assert deleted == [False, True, False]


def test_revert_through_admin_brings_old_version_back(client_for, editor):
    client = client_for(editor)
    article = make_article(title="Старый заголовок", body="<p>Старый текст</p>")
    first = article.history.get()
    assert submit_change_form(
        client, article, title="Новый заголовок", body="<p>Новый текст</p>"
    ).status_code == (302)
    article.refresh_from_db()
    assert article.title == "Новый заголовок"
    records_before = article.history.count()

    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    form_page = client.get(revert_url)
    assert form_page.status_code == 200
    data = form_data(form_page, REVERT_FORM)
    assert data["title"] == ["Старый заголовок"]
    response = client.post(revert_url, data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Старый заголовок"
    assert article.body == "<p>Старый текст</p>"
    assert article.history.count() == records_before + 1
    latest = article.history.first()
    assert latest.title == "Старый заголовок"
    assert latest.history_user == editor


def test_revert_form_is_not_refused_as_stale(client_for, editor):
    # The form shows the old version's data but must carry the current version
    # number, or the optimistic lock would refuse every revert.
    client = client_for(editor)
    article = make_article(title="Один")
    first = article.history.get()
    for title in ["Два", "Три"]:
        article.title = title
        article.save()
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    data = form_data(client.get(revert_url), REVERT_FORM)
    assert data["loaded_version"] == [str(Article.objects.get(pk=article.pk).version)]
    assert client.post(revert_url, data).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Один"


def test_revert_of_body_moves_updated_at(client_for, editor):
    client = client_for(editor)
    article = make_article(body="<p>раз</p>")
    first = article.history.get()
    article.body = "<p>два</p>"
    article.save()
    before = Article.objects.get(pk=article.pk).updated_at
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    client.post(revert_url, form_data(client.get(revert_url), REVERT_FORM))
    assert Article.objects.get(pk=article.pk).updated_at > before


def test_staff_cannot_revert(client_for, staff):
    article = make_article(title="Один")
    first = article.history.get()
    article.title = "Два"
    article.save()
    response = client_for(staff).post(
        f"/admin/articles/article/{article.pk}/history/{first.history_id}/", {"title": "Один"}
    )
    assert response.status_code in {302, 403}
    assert Article.objects.get(pk=article.pk).title == "Два"


def test_admin_history_shows_word_diff_of_body(client_for, editor):
    client = client_for(editor)
    article = make_article(body="<p>Клиент приходит в центр занятости утром</p>")
    response = submit_change_form(
        client, article, body="<p>Клиент приходит в центр занятости вечером</p>"
    )
    assert response.status_code == 302
    page = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Клиент приходит в центр занятости <del>утром</del> <ins>вечером</ins>" in page


def test_admin_history_escapes_text_in_diff(client_for, editor):
    client = client_for(editor)
    article = make_article(title="Сравнение")
    assert submit_change_form(client, article, title="Сравнение 5 < 7 > 3").status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Сравнение 5 < 7 > 3"
    page = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "Сравнение <ins>5 &lt; 7 &gt; 3</ins>" in page


def test_word_diff_shortens_long_unchanged_stretches():
    words = " ".join(f"слово{i}" for i in range(40))
    diff = word_diff(f"{words} старое", f"{words} новое")
    assert "…" in diff
    assert diff.startswith("слово0 ")
    assert "слово20" not in diff
    assert "слово39" in diff
    assert diff.endswith("<del>старое</del> <ins>новое</ins>")


def test_staff_history_page_lists_versions(client_for, staff, editor):
    article = make_article(title="Версия")
    article.title = "Версия 2"
    article.save()
    response = client_for(staff).get(f"/articles/{article.pk}/history/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_resaving_unchanged_form_records_no_fieldsubmit_change_form(editor_client):
    """A publication date set automatically keeps whole seconds, like the form,
    so saving the form untouched shows no change in the history diff."""
    article = make_article(status=Article.Status.PUBLISHED)
    assert article.published_at.microsecond == 0
    assert submit_change_form(editor_client, article).status_code == 302
    newest, previous = article.history.all()[:2]
    assert newest.diff_against(previous).changed_fields == []


def test_admin_history_shows_status_in_russian(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    article.status = Article.Status.PUBLISHED
    article.save()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert "опубликовано" in page
    assert ">published<" not in page


def test_view_only_administrator_cannot_revert(client_for, administrator):
    # Administrators may look at an article's history, not change the article:
    # the revert form is shown without a button, and a forged POST is refused.
    article = make_article(title="Один")
    first = article.history.get()
    article.title = "Два"
    article.save()
    client = client_for(administrator)
    revert_url = f"/admin/articles/article/{article.pk}/history/{first.history_id}/"
    page = client.get(revert_url)
    assert page.status_code == 200
    data = form_data(page, REVERT_FORM)
    data.update(title=["Один"], section=[str(article.section_id)], slug=[article.slug])
    response = client.post(revert_url, data)
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Два"
    assert article.history.count() == 2


def test_view_only_administrator_cannot_revert_a_section(client_for, administrator):
    section = make_section("Первое название")
    first = section.history.get()
    section.title = "Второе название"
    section.save()
    revert_url = f"/admin/articles/section/{section.pk}/history/{first.history_id}/"
    response = client_for(administrator).post(
        revert_url, {"title": "Первое название", "slug": section.slug, "description": ""}
    )
    assert response.status_code == 403
    assert Section.objects.get(pk=section.pk).title == "Второе название"
