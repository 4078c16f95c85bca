"""«Следить» / «Не следить» on sections and articles, «Мои подписки» on the
profile; the article page learns the state in its one reader-state statement."""

import pytest

from notifications.models import Subscription
from notifications.subscriptions import subscription_follow
from tests.factories import ROLE_USERS, make_article, make_section, make_user


@pytest.fixture
def tree(db):
    root = make_section("Стандарты", slug="standarty")
    child = make_section("Скрипты", parent=root, slug="skripty")
    article = make_article(child, title="Скрипт", slug="skript")
    return root, child, article


def test_follow_and_unfollow_a_section(staff_client, staff, tree):
    root, _child, _article = tree
    url = f"/notifications/follow/sections/{root.pk}/"
    response = staff_client.post(url, {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"] == root.get_absolute_url()
    assert Subscription.objects.filter(user=staff, section=root).count() == 1
    staff_client.post(url, {"action": "follow"})  # twice: harmless
    assert Subscription.objects.filter(user=staff).count() == 1
    page = staff_client.get(root.get_absolute_url()).content.decode()
    assert "Вы следите за этим разделом" in page
    staff_client.post(url, {"action": "unfollow"})
    assert not Subscription.objects.filter(user=staff).exists()


def test_subsection_page_says_the_section_above_is_followed(staff_client, staff, tree):
    root, child, _article = tree
    subscription_follow(user=staff, section=root)
    page = staff_client.get(child.get_absolute_url()).content.decode()
    assert "Вы уже следите за разделом выше" in page


def test_article_page_shows_follow_state(staff_client, staff, tree):
    root, _child, article = tree
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert 'value="follow"' in page
    subscription_follow(user=staff, section=root)
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Вы уже следите за разделом этого материала" in page
    staff_client.post(f"/notifications/follow/articles/{article.pk}/", {"action": "follow"})
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "Вы следите за этим материалом" in page


def test_follow_needs_post_and_a_known_action(staff_client, tree):
    root, _child, _article = tree
    assert staff_client.get(f"/notifications/follow/sections/{root.pk}/").status_code == 405
    response = staff_client.post(f"/notifications/follow/sections/{root.pk}/", {"action": "x"})
    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_staff_cannot_follow_a_draft(staff_client, tree):
    draft = make_article(title="Черновик", status="draft")
    url = f"/notifications/follow/articles/{draft.pk}/"
    response = staff_client.post(url, {"action": "follow"})
    assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_follow_refuses_a_missing_section(staff_client, db):
    response = staff_client.post("/notifications/follow/sections/999999/", {"action": "follow"})
    assert response.status_code == 404


def test_profile_lists_subscriptions_with_unfollow(staff_client, staff, tree):
    root, _child, article = tree
    subscription_follow(user=staff, section=root)
    mine = subscription_follow(user=staff, article=article)
    page = staff_client.get("/accounts/profile/").content.decode()
    assert "Мои подписки" in page
    assert "Стандарты" in page and "Скрипт" in page
    response = staff_client.post(f"/notifications/subscriptions/{mine.pk}/delete/")
    assert response.status_code == 302
    assert list(Subscription.objects.values_list("section", flat=True)) == [root.pk]


def test_nobody_removes_another_persons_subscription(staff_client, tree):
    root, _child, _article = tree
    other = make_user("other", role=ROLE_USERS["staff"])
    theirs = subscription_follow(user=other, section=root)
    response = staff_client.post(f"/notifications/subscriptions/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_follow_needs_csrf(staff, tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    root, _child, _article = tree
    response = client.post(f"/notifications/follow/sections/{root.pk}/", {"action": "follow"})
    assert response.status_code == 403
    assert not Subscription.objects.exists()
