"""«Проверено, актуально»: owner and editors move the next review date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from contributions.models import Review
from contributions.services import add_months, article_review
from tests.factories import ROLE_USERS, make_article, make_user


@pytest.fixture
def owner(db):
    return make_user("owner", role=ROLE_USERS["staff"])


@pytest.fixture
def article(owner):
    return make_article(
        title="График приёма", owner=owner, review_due=timezone.localdate() - timedelta(days=3)
    )


def _url(article):
    return f"/contributions/articles/{article.pk}/review/"


@pytest.mark.parametrize(
    ("lifecycle", "months"), [(Article.Lifecycle.EVERGREEN, 12), (Article.Lifecycle.DYNAMIC, 3)]
)
def test_review_moves_review_due_by_the_lifecycle_interval(article, editor, lifecycle, months):
    Article.objects.filter(pk=article.pk).update(lifecycle=lifecycle)
    article.refresh_from_db()
    review = article_review(article=article, by=editor, note="Сверено с приказом")
    article.refresh_from_db()
    assert article.review_due == add_months(timezone.localdate(), months)
    assert (review.reviewer, review.note, review.article_version) == (
        editor,
        "Сверено с приказом",
        article.version,
    )


def test_interval_comes_from_settings(article, editor, settings):
    settings.REVIEW_INTERVAL_EVERGREEN_MONTHS = 6
    article_review(article=article, by=editor)
    article.refresh_from_db()
    assert article.review_due == add_months(timezone.localdate(), 6)


def test_review_does_not_touch_updated_at_or_version_but_is_in_history(article, editor):
    before = Article.objects.get(pk=article.pk)
    article_review(article=article, by=editor)
    after = Article.objects.get(pk=article.pk)
    assert after.updated_at == before.updated_at
    assert after.version == before.version
    latest = after.history.first()
    assert latest.history_change_reason == "проверено, актуально"
    assert latest.history_user == editor
    assert latest.review_due == after.review_due


def test_add_months_keeps_the_last_day_of_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 5, 15), 12) == date(2027, 5, 15)


@pytest.mark.parametrize("who", ["owner", "editor"])
def test_owner_and_editor_see_the_form_and_can_review(client_for, article, owner, editor, who):
    client = client_for(owner if who == "owner" else editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'action="{_url(article)}"' in page
    response = client.post(_url(article), {"note": "ok"}, follow=True)
    assert response.redirect_chain[-1][0] == article.get_absolute_url() + "#review"
    page = response.content.decode()
    assert "Отмечено: материал проверен и актуален." in page
    today = timezone.localdate()
    assert "проверено</dt>" in page
    assert f">{today.day} " in page and str(today.year) in page
    assert Review.objects.count() == 1


def test_other_staff_see_no_form_and_get_403(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert _url(article) not in page
    assert staff_client.post(_url(article), {"note": "x"}).status_code == 403
    assert not Review.objects.exists()
    assert Article.objects.get(pk=article.pk).review_due == article.review_due


def test_everyone_sees_the_last_review_date(staff_client, article, editor):
    assert "<dt>проверено</dt>" not in staff_client.get(article.get_absolute_url()).content.decode()
    review = article_review(article=article, by=editor)
    stored = Article.objects.get(pk=article.pk)
    assert stored.reviewed_at == review.reviewed_at  # the page reads it with the article
    assert stored.history.first().reviewed_at == review.reviewed_at
    page = staff_client.get(article.get_absolute_url()).content.decode()
    day = timezone.localdate(review.reviewed_at)
    assert f'<dt>проверено</dt><dd><time datetime="{day:%Y-%m-%d}' in page
    assert date_format(day, "j E Y") in page


def test_the_page_shows_the_date_it_holds(staff_client, article):
    Article.objects.filter(pk=article.pk).update(
        reviewed_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 12))
    )
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert '<dt>проверено</dt><dd><time datetime="2026-03-05' in page
    assert "5 марта 2026" in page


def test_too_long_note_is_refused(editor_client, article):
    response = editor_client.post(_url(article), {"note": "я" * 1001})
    assert response.status_code == 400
    assert "Не больше 1000 символов" in response.content.decode()
    assert not Review.objects.exists()


def test_note_is_shown_as_text(editor_client, article):
    script = "<img src=x onerror=alert(1)>"
    response = editor_client.post(_url(article), {"note": script + "я" * 1000})
    page = response.content.decode()
    assert script not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_unpublished_article_is_404(editor_client, status):
    article = make_article(status=status)
    assert editor_client.post(_url(article)).status_code == 404
    assert editor_client.post("/contributions/articles/999999/review/").status_code == 404
    assert not Review.objects.exists()
