"""Who sees a path on the home page: the position, the period, until done."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from onboarding.selectors import person_paths
from people.models import Profile
from tests.factories import make_position, make_user
from tests.onboarding.factories import make_newcomer, make_path, mark

pytestmark = pytest.mark.django_db


def _block(client):
    return "Путь новичка:" in client.get("/").content.decode()


def test_a_newcomer_of_the_position_sees_the_path_with_progress(client):
    path = make_path(steps=3, minutes=20, title="Первые шаги")
    person = make_newcomer(days_ago=10)
    first, second, _third = path.steps.all()
    mark(person, first)
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "Путь новичка: Первые шаги" in html
    assert "1 из 3" in html
    assert "осталось ~40" in html
    assert second.article.get_absolute_url() in html  # the next step
    (progress,) = person_paths(user=person, current_only=True)
    assert progress.next_step.step == second
    assert progress.minutes_left == 40


def test_another_position_sees_nothing(client):
    make_path()
    client.force_login(make_newcomer(make_position("юрист")))
    assert not _block(client)
    assert "пока не составлен" in client.get("/onboarding/").content.decode()


def test_a_person_without_a_profile_sees_nothing(client):
    make_path()
    client.force_login(make_user())
    assert not _block(client)


@pytest.mark.parametrize(("days_ago", "shown"), [(0, True), (90, True), (91, False), (400, False)])
def test_the_block_lasts_onboarding_days_from_the_start(client, days_ago, shown):
    make_path()
    client.force_login(make_newcomer(days_ago=days_ago))
    assert _block(client) is shown


def test_the_period_follows_the_setting(client, settings):
    settings.ONBOARDING_DAYS = 10
    make_path()
    client.force_login(make_newcomer(days_ago=11))
    assert not _block(client)
    settings.ONBOARDING_DAYS = 30
    assert _block(client)


def test_without_a_start_date_the_day_of_joining_counts(client):
    make_path()
    person = make_newcomer(days_ago=0)
    Profile.objects.filter(user=person).update(started_on=None)
    client.force_login(person)
    assert _block(client)
    person.date_joined = timezone.now() - dt.timedelta(days=200)
    person.save()
    assert not _block(client)


def test_the_block_disappears_when_every_step_is_done(client):
    path = make_path(steps=2)
    person = make_newcomer()
    client.force_login(person)
    mark(person, *path.steps.all())
    assert not _block(client)
    page = client.get("/onboarding/").content.decode()
    assert "Путь пройден." in page


def test_an_inactive_path_is_not_shown(client):
    make_path(is_active=False)
    client.force_login(make_newcomer())
    assert not _block(client)


def test_hidden_articles_are_skipped_for_staff(client):
    path = make_path(steps=3)
    first, second, third = path.steps.all()
    Article.all_objects.filter(pk=second.article_id).update(status=Article.Status.DRAFT)
    Article.all_objects.filter(pk=third.article_id).update(deleted_at=timezone.now())
    person = make_newcomer()
    client.force_login(person)
    (progress,) = person_paths(user=person, current_only=True)
    assert [item.step for item in progress.steps] == [first]
    page = client.get("/onboarding/").content.decode()
    assert first.article.title in page
    assert second.article.title not in page
    assert third.article.title not in page
    # Its only visible step done: the path is done.
    mark(person, first)
    assert not _block(client)


def test_the_my_page_still_shows_a_path_after_the_period(client):
    path = make_path(steps=2)
    client.force_login(make_newcomer(days_ago=200))
    page = client.get("/onboarding/").content.decode()
    assert path.title in page
    assert "Период адаптации закончился" in page
