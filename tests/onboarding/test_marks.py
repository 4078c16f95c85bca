"""«Отметить изученным» / «Снять отметку»: POST only, idempotent, own path only."""

import pytest
from django.test import Client

from articles.models import Article
from onboarding.models import ReadingPathProgress
from tests.factories import make_position
from tests.onboarding.factories import make_newcomer, make_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def path():
    return make_path(steps=3)


@pytest.fixture
def person(client, path):
    user = make_newcomer()
    client.force_login(user)
    return user


def test_marking_a_step_records_it_once(client, path, person):
    step = path.steps.first()
    response = client.post(f"/onboarding/steps/{step.pk}/done/")
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    first = ReadingPathProgress.objects.get(user=person, step=step)
    client.post(f"/onboarding/steps/{step.pk}/done/")
    assert ReadingPathProgress.objects.filter(user=person).count() == 1
    assert ReadingPathProgress.objects.get(user=person, step=step).done_at == first.done_at
    page = client.get("/onboarding/").content.decode()
    assert "Изучено 1 из 3" in page
    assert "Снять отметку" in page


def test_unmarking_takes_the_mark_off_and_is_idempotent(client, path, person):
    step = path.steps.first()
    client.post(f"/onboarding/steps/{step.pk}/done/")
    assert client.post(f"/onboarding/steps/{step.pk}/undo/").status_code == 302
    assert not ReadingPathProgress.objects.exists()
    assert client.post(f"/onboarding/steps/{step.pk}/undo/").status_code == 302
    assert not ReadingPathProgress.objects.exists()


def test_a_step_of_another_path_is_not_found_and_nothing_is_saved(client, path, person):
    other = make_path(make_position("юрист"), steps=1)
    response = client.post(f"/onboarding/steps/{other.steps.get().pk}/done/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert not ReadingPathProgress.objects.exists()


@pytest.mark.parametrize("step_id", ["999999", "99999999999999999999999"])
def test_a_step_that_does_not_exist_is_not_found(client, person, step_id):
    assert client.post(f"/onboarding/steps/{step_id}/done/").status_code == 404
    assert client.post(f"/onboarding/steps/{step_id}/undo/").status_code == 404
    assert not ReadingPathProgress.objects.exists()


def test_a_step_of_an_unpublished_article_cannot_be_marked(client, path, person):
    step = path.steps.first()
    Article.all_objects.filter(pk=step.article_id).update(status=Article.Status.DRAFT)
    assert client.post(f"/onboarding/steps/{step.pk}/done/").status_code == 404
    assert not ReadingPathProgress.objects.exists()


def test_a_step_of_an_inactive_path_cannot_be_marked(client, path, person):
    path.is_active = False
    path.save()
    assert client.post(f"/onboarding/steps/{path.steps.first().pk}/done/").status_code == 404
    assert not ReadingPathProgress.objects.exists()


def test_get_does_nothing(client, path, person):
    step = path.steps.first()
    assert client.get(f"/onboarding/steps/{step.pk}/done/").status_code == 405
    assert not ReadingPathProgress.objects.exists()


def test_the_form_needs_its_csrf_token(path, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(f"/onboarding/steps/{path.steps.first().pk}/done/")
    assert response.status_code == 403
    assert not ReadingPathProgress.objects.exists()


def test_the_page_s_buttons_work_without_javascript(client, path, person):
    page = client.get("/onboarding/").content.decode()
    step = path.steps.first()
    assert f'action="/onboarding/steps/{step.pk}/done/" method="post"' in page
    assert "csrfmiddlewaretoken" in page


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        (None, "/onboarding/"),
        ("https://evil.example/", "/onboarding/"),
        ("//evil.example/", "/onboarding/"),
    ],
)
def test_back_goes_only_to_this_site(client, path, person, next_url, expected):
    data = {"next": next_url} if next_url else {}
    response = client.post(f"/onboarding/steps/{path.steps.first().pk}/done/", data)
    assert response["Location"] == expected


def test_from_the_article_page_back_to_the_article(client, path, person):
    step = path.steps.order_by("order").all()[1]
    url = step.article.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Шаг 2 из 3 пути новичка" in page
    response = client.post(f"/onboarding/steps/{step.pk}/done/", {"next": url})
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "Снять отметку" in page


def test_the_article_note_is_only_for_the_person_s_path(client, path):
    client.force_login(make_newcomer(make_position("юрист")))
    page = client.get(path.steps.first().article.get_absolute_url()).content.decode()
    assert "пути новичка" not in page


def test_the_article_note_goes_when_the_path_is_done(client, path, person):
    steps = list(path.steps.all())
    for step in steps:
        client.post(f"/onboarding/steps/{step.pk}/done/")
    page = client.get(steps[0].article.get_absolute_url()).content.decode()
    assert "пути новичка" not in page
