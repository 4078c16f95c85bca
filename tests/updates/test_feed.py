"""The private Atom feed: the token is the only key (no session), a wrong or
revoked token is a plain 404, and nothing from an article becomes markup."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from articles.services import article_update_record
from notifications.feeds import feed_token_create, feed_token_value
from notifications.models import FeedToken
from notifications.subscriptions import subscription_follow
from tests.articles.reading import mandatory_article
from tests.factories import make_article, make_section

ATOM = "{http://www.w3.org/2005/Atom}"


def _url(token):
    return f"/new/feed/{feed_token_value(token)}.atom"


@pytest.fixture
def followed(staff):
    section = make_section("Кейсы")
    article = make_article(
        section, title='Кейс <script>alert("t")</script>', summary="Итог: <img src=x onerror=1>"
    )
    make_article(title="Чужой раздел")
    subscription_follow(user=staff, section=section)
    return article


def test_feed_lists_followed_and_mandatory_without_a_session(staff, followed):
    mandatory_article(title="Регламент для всех")
    article_update_record(article=followed, summary="Добавлен <b>итог</b>.")
    response = Client().get(_url(feed_token_create(user=staff)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert "Регламент для всех" in titles
    assert any(title.startswith("Изменено: Кейс") for title in titles)
    assert "Чужой раздел" not in titles


def test_nothing_from_an_article_becomes_markup(staff, followed):
    article_update_record(article=followed, summary="<script>alert(2)</script>")
    response = Client().get(_url(feed_token_create(user=staff)))
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    for entry in root.iter(f"{ATOM}entry"):
        summary = entry.findtext(f"{ATOM}summary") or ""  # HTML, as the reader renders it
        assert "<script" not in summary and "<img" not in summary
        assert "&lt;script&gt;" in summary or "&lt;img" in summary
        assert entry.find(f"{ATOM}title").get("type") in (None, "text")


@pytest.mark.parametrize(
    "token",
    ["0" * 64, "abc", "../../etc/passwd", "a" * 200],
)
def test_wrong_token_is_404_with_no_hint(staff, token):
    feed_token_create(user=staff)
    response = Client().get(f"/new/feed/{token}.atom")
    assert response.status_code == 404
    assert "токен" not in response.content.decode().lower()


def test_forged_mac_is_404(staff):
    token = feed_token_create(user=staff)
    value = feed_token_value(token)
    forged = value[:32] + ("0" if value[32] != "0" else "1") + value[33:]
    assert Client().get(f"/new/feed/{forged}.atom").status_code == 404


def test_revoked_and_replaced_tokens_are_404(staff_client, staff, followed):
    old = feed_token_create(user=staff)
    old_url = _url(old)
    assert Client().get(old_url).status_code == 200
    staff_client.post("/notifications/feed/create/")
    new = FeedToken.objects.get(user=staff)
    assert Client().get(old_url).status_code == 404
    assert Client().get(_url(new)).status_code == 200
    staff_client.post("/notifications/feed/revoke/")
    assert not FeedToken.objects.exists()
    assert Client().get(_url(new)).status_code == 404


def test_inactive_persons_feed_is_404(staff):
    token = feed_token_create(user=staff)
    staff.is_active = False
    staff.save()
    assert Client().get(_url(token)).status_code == 404


def test_profile_shows_the_address_and_the_buttons(staff_client, staff):
    page = staff_client.get("/accounts/profile/").content.decode()
    assert "Создать ссылку" in page
    assert "Отозвать ссылку" not in page
    staff_client.post("/notifications/feed/create/")
    page = staff_client.get("/accounts/profile/").content.decode()
    assert _url(FeedToken.objects.get(user=staff)) in page
    assert "Отозвать ссылку" in page


def test_feed_buttons_need_post(staff_client):
    assert staff_client.get("/notifications/feed/create/").status_code == 405
    assert staff_client.get("/notifications/feed/revoke/").status_code == 405
    assert not FeedToken.objects.exists()


def test_feed_query_count_does_not_grow(staff, followed, django_assert_num_queries):
    from tests.factories import make_articles_bulk

    url = _url(feed_token_create(user=staff))
    client = Client()
    client.get(url)
    make_articles_bulk(followed.section, 60)
    # token, tree stamp, subscriptions, items
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
