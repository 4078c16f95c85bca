"""«Обновлено» moves when the content changes, and only then."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from tests.factories import make_article, make_attachment
from tests.html import submit_change_form

LONG_AGO = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def article(db):
    article = make_article(title="Заголовок", summary="Кратко", body="<p>Текст</p>")
    article.tags.add("старая метка")
    Article.all_objects.filter(pk=article.pk).update(updated_at=LONG_AGO)
    article.refresh_from_db()
    return article


def _updated_at(article):
    return Article.all_objects.get(pk=article.pk).updated_at


def _admin_save(client, article, **fields):
    response = submit_change_form(client, article, **fields)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Новый заголовок"),
        ("summary", "Новое краткое описание"),
        ("body", "<p>Новый текст</p>"),
        ("external_url", "https://intranet.example/video"),
        ("kind", Article.Kind.CASE),
    ],
)
def test_content_change_moves_updated_at(article, field, value):
    setattr(article, field, value)
    article.save()
    assert _updated_at(article) > LONG_AGO


def test_attachment_added_moves_updated_at(article):
    make_attachment(article)
    assert _updated_at(article) > LONG_AGO


def test_resave_keeps_updated_at(article):
    article.save()
    article.save()
    assert _updated_at(article) == LONG_AGO


def test_body_that_sanitises_to_the_same_keeps_updated_at(article):
    article.body = '<p onclick="alert(1)">Текст</p>'
    article.save()
    assert _updated_at(article) == LONG_AGO


@pytest.mark.parametrize("status", [Article.Status.ARCHIVED, Article.Status.DRAFT])
def test_status_change_keeps_updated_at(article, status):
    article.status = status
    article.save()
    assert _updated_at(article) == LONG_AGO


def test_review_date_and_mandatory_keep_updated_at(article):
    article.review_due = datetime(2027, 1, 1).date()
    article.mandatory = True
    article.save()
    assert _updated_at(article) == LONG_AGO


def test_tag_change_keeps_updated_at(article):
    article.tags.add("новая метка")
    article.tags.remove("старая метка")
    assert _updated_at(article) == LONG_AGO


# --- The same through the admin, where editors really make these changes ---------------------


def test_admin_resave_keeps_updated_at(editor_client, article):
    _admin_save(editor_client, article)
    assert _updated_at(article) == LONG_AGO


def test_admin_status_change_keeps_updated_at(editor_client, article):
    _admin_save(editor_client, article, status=Article.Status.ARCHIVED)
    assert Article.all_objects.get(pk=article.pk).status == Article.Status.ARCHIVED
    assert _updated_at(article) == LONG_AGO


def test_admin_tag_change_keeps_updated_at(editor_client, article):
    _admin_save(editor_client, article, tags="новая метка, ещё одна")
    assert set(article.tags.names()) == {"новая метка", "ещё одна"}
    assert _updated_at(article) == LONG_AGO


def test_admin_publish_action_keeps_updated_at(editor_client, article):
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    editor_client.post(
        "/admin/articles/article/", {"action": "publish", "_selected_action": [article.pk]}
    )
    assert Article.all_objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert _updated_at(article) == LONG_AGO


def test_admin_body_change_moves_updated_at(editor_client, article):
    _admin_save(editor_client, article, body="<p>Исправленный текст</p>")
    assert _updated_at(article) > LONG_AGO


def test_admin_attachment_added_moves_updated_at(editor_client, article):
    upload = SimpleUploadedFile("памятка.txt", "Текст памятки".encode())
    _admin_save(editor_client, article, **{"attachments-0-file": upload})
    assert article.attachments.count() == 1
    assert _updated_at(article) > LONG_AGO


def test_page_shows_updated_date(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "15 января 2025" in page
