"""Editors build paths in the admin: an ordered inline of steps, hidden
articles marked, the total time shown, bad steps refused with nothing saved."""

import pytest
from django.utils import timezone

from articles.models import Article
from onboarding.models import ReadingPath, ReadingPathStep
from tests.factories import make_article, make_position, make_section
from tests.onboarding.factories import make_path

pytestmark = pytest.mark.django_db


def _form(position, steps, **fields):
    data = {
        "title": "Первые недели",
        "description": "",
        "position": position.pk,
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (order, article, minutes) in enumerate(steps):
        data[f"steps-{index}-order"] = str(order)
        data[f"steps-{index}-article"] = str(article.pk)
        data[f"steps-{index}-expected_minutes"] = str(minutes)
    return data


def test_an_editor_builds_a_path_with_ordered_steps(editor_client):
    position = make_position("консультант")
    section = make_section()
    first, second = make_article(section), make_article(section)
    response = editor_client.post(
        "/admin/onboarding/readingpath/add/", _form(position, [(2, first, 10), (1, second, 25)])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    path = ReadingPath.objects.get()
    assert [step.article for step in path.steps.all()] == [second, first]
    assert path.history.count() == 1
    page = editor_client.get(f"/admin/onboarding/readingpath/{path.pk}/change/").content.decode()
    assert "35 минут" in page  # the total time
    listing = editor_client.get("/admin/onboarding/readingpath/").content.decode()
    assert "35 минут" in listing


@pytest.mark.parametrize("minutes", ["0", "481", "-5", "много"])
def test_minutes_out_of_bounds_are_refused(editor_client, minutes):
    position = make_position("консультант")
    data = _form(position, [(1, make_article(), 10)])
    data["steps-0-expected_minutes"] = minutes
    response = editor_client.post("/admin/onboarding/readingpath/add/", data)
    assert response.status_code == 200
    assert not ReadingPath.objects.exists()
    assert not ReadingPathStep.objects.exists()


def test_the_same_article_twice_is_refused(editor_client):
    position = make_position("консультант")
    article = make_article()
    response = editor_client.post(
        "/admin/onboarding/readingpath/add/", _form(position, [(1, article, 10), (2, article, 5)])
    )
    assert response.status_code == 200
    assert "повторяющиеся" in response.content.decode()
    assert not ReadingPath.objects.exists()


def test_an_article_from_the_trash_cannot_be_added(editor_client):
    position = make_position("консультант")
    article = make_article()
    Article.all_objects.filter(pk=article.pk).update(deleted_at=timezone.now())
    response = editor_client.post(
        "/admin/onboarding/readingpath/add/", _form(position, [(1, article, 10)])
    )
    assert response.status_code == 200
    assert "в корзине" in response.content.decode()
    assert not ReadingPath.objects.exists()


def test_hidden_articles_are_marked_and_the_path_still_saves(editor_client):
    path = make_path(steps=3, minutes=10)
    first, second, third = path.steps.all()
    Article.all_objects.filter(pk=second.article_id).update(status=Article.Status.DRAFT)
    Article.all_objects.filter(pk=third.article_id).update(deleted_at=timezone.now())
    url = f"/admin/onboarding/readingpath/{path.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert "в корзине — сотрудники этот шаг не видят" in page
    assert "черновик — сотрудники этот шаг не видят" in page
    assert "из них в опубликованных материалах 10 минут" in page
    data = {
        "title": "Новое название",
        "description": "",
        "position": path.position_id,
        "is_active": "on",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "3",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, step in enumerate([first, second, third]):
        data |= {
            f"steps-{index}-id": str(step.pk),
            f"steps-{index}-path": str(path.pk),
            f"steps-{index}-order": str(step.order),
            f"steps-{index}-article": str(step.article_id),
            f"steps-{index}-expected_minutes": "10",
        }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    path.refresh_from_db()
    assert path.title == "Новое название"
    assert path.steps.count() == 3


def test_a_position_with_a_path_cannot_be_deleted(db):
    from django.db.models import ProtectedError

    path = make_path()
    with pytest.raises(ProtectedError):
        path.position.delete()


def test_the_start_date_is_editable_in_the_user_admin(client, administrator):
    client.force_login(administrator)
    page = client.get(f"/admin/auth/user/{administrator.pk}/change/").content.decode()
    assert "Дата начала работы" in page
