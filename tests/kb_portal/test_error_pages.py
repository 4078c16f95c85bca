"""Error pages: Russian, and the 500 page depends on nothing that can be down."""

from unittest import mock

import pytest
from django.test import Client

from tests.factories import make_section

SERVER_ERROR = "На сервере произошла ошибка"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.kb_portal.urls_failing"


def _get_failing(**extra):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "some-session"
    return client.get("/failing/", **extra)


def test_500_page_is_russian_and_standalone(failing_urls, db):
    response = _get_failing()
    assert response.status_code == 500
    page = response.content.decode()
    assert SERVER_ERROR in page
    assert '<html lang="ru">' in page
    assert "/static/" not in page  # inline styles: no manifest needed


def test_500_page_reads_neither_session_nor_cache(failing_urls, settings, db):
    # The session store raises, as cached_db did while Redis was down: the
    # handler used to read it again (through the user in the context) and
    # fail, leaving gunicorn's bare English «Internal Server Error».
    settings.SESSION_ENGINE = "tests.kb_portal.broken_session"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = _get_failing()
    assert response.status_code == 500
    assert SERVER_ERROR in response.content.decode()


def test_500_page_renders_without_the_static_manifest(failing_urls, settings, tmp_path, db):
    settings.STATIC_ROOT = tmp_path / "never-collected"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = _get_failing()
    assert response.status_code == 500
    assert SERVER_ERROR in response.content.decode()


def test_500_falls_back_to_a_built_in_page_when_even_the_template_fails(failing_urls, db):
    with mock.patch("kb_portal.views.render_to_string", side_effect=OSError("disk gone")):
        response = _get_failing()
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


def test_csrf_failure_is_the_portals_russian_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Форма устарела" in page
    assert "обновите её и отправьте форму ещё раз" in page
    assert "DEBUG" not in page
    assert '<html lang="ru">' in page


@pytest.mark.parametrize(
    "url",
    [
        "/ideas/?tag=a%00b",
        "/kb/razdel/?tag=%00",
        "/tags/%00/",
        "/search/?q=%00",
        "/?x%00y=1",
        "/kb/%00/",
    ],
)
def test_a_nul_byte_anywhere_in_the_address_is_a_russian_400(staff_client, url):
    make_section("Раздел", slug="razdel")
    response = staff_client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "В адресе страницы есть недопустимые символы" in page
    assert '<html lang="ru">' in page


def test_an_encoded_percent_sign_is_not_a_nul(staff_client):
    assert staff_client.get("/search/?q=%2500").status_code == 200
