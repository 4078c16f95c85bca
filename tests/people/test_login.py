"""Logging in and out: Russian pages, brute-force lockout, logout by POST."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from people.models import LoginThrottle
from tests.factories import ROLE_USERS, make_user

LOGIN = "/accounts/login/"
PASSWORD = "pass-1234-word"  # the factories' default
LOCKOUT = "Слишком много неудачных попыток входа"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.LOGIN_MAX_FAILURES = 3


@pytest.fixture
def person(db):
    return make_user("ivanova", role=ROLE_USERS["staff"])


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_login_page_is_russian(client, db):
    page = client.get(LOGIN).content.decode()
    assert '<html lang="ru">' in page
    for text in ["Вход в базу знаний", "Войти", "Пароль", "Забыли пароль?"]:
        assert text in page, text


def test_right_password_logs_in_and_goes_home(client, person):
    response = _login(client, "ivanova", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)


def test_login_follows_next(client, person):
    response = client.post(LOGIN, {"username": "ivanova", "password": PASSWORD, "next": "/kb/"})
    assert response["Location"] == "/kb/"


def test_login_ignores_next_to_another_site(client, person):
    response = client.post(
        LOGIN, {"username": "ivanova", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_wrong_password_shows_russian_error(client, person):
    response = _login(client, "ivanova", "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in page
    assert not _logged_in(client)


def test_right_password_is_refused_after_too_many_failures(client, person):
    for _ in range(3):
        assert LOCKOUT not in _login(client, "ivanova", "wrong").content.decode()
    response = _login(client, "ivanova", PASSWORD)
    assert response.status_code == 200
    assert LOCKOUT in response.content.decode()
    assert not _logged_in(client)


def test_failures_below_the_limit_do_not_lock(client, person):
    for _ in range(2):
        _login(client, "ivanova", "wrong")
    assert _login(client, "ivanova", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_successful_login_resets_the_failure_count(client, person):
    for _ in range(2):
        _login(client, "ivanova", "wrong")
    _login(client, "ivanova", PASSWORD)
    client.post("/accounts/logout/")
    for _ in range(2):
        _login(client, "ivanova", "wrong")
    assert _login(client, "ivanova", PASSWORD).status_code == 302


def test_lockout_counts_the_username_whatever_its_case(client, person):
    for name in ["Ivanova", "IVANOVA", " ivanova "]:
        _login(client, name, "wrong")
    assert LOCKOUT in _login(client, "ivanova", PASSWORD).content.decode()


def test_lockout_of_one_account_does_not_lock_colleagues_on_the_same_address(client, person):
    make_user("petrov")
    for _ in range(3):
        _login(client, "ivanova", "wrong")
    assert _login(client, "petrov", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, db):
    # An address gets four times the per-account limit (offices share NAT).
    names = [f"guess{i}" for i in range(12)]
    for name in names:
        _login(client, name, "wrong")
    make_user("fresh")
    assert LOCKOUT in _login(client, "fresh", PASSWORD).content.decode()
    other_address = _login(client, "fresh", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert other_address.status_code == 302


def _later(seconds):
    """Patch the throttle's clock ``seconds`` ahead."""
    moment = timezone.now() + timedelta(seconds=seconds)
    return mock.patch("people.services.timezone.now", return_value=moment)


def test_lockout_expires(client, person, settings):
    for _ in range(3):
        _login(client, "ivanova", "wrong")
    with _later(settings.LOGIN_LOCKOUT_SECONDS - 5):
        assert LOCKOUT in _login(client, "ivanova", PASSWORD).content.decode()
    with _later(settings.LOGIN_LOCKOUT_SECONDS + 1):
        assert _login(client, "ivanova", PASSWORD).status_code == 302


def test_lockout_survives_the_cache_being_emptied(client, person):
    # Counted in the database: a cache restart (or outage) unlocks nobody.
    for _ in range(3):
        _login(client, "ivanova", "wrong")
    cache.clear()
    assert LOCKOUT in _login(client, "ivanova", PASSWORD).content.decode()


def test_a_locked_account_has_no_password_checked(client, person):
    for _ in range(3):
        _login(client, "ivanova", "wrong")
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as authenticate:
        for _ in range(5):
            assert LOCKOUT in _login(client, "ivanova", PASSWORD).content.decode()
    assert authenticate.call_count == 0


def test_an_empty_password_neither_counts_nor_resets_the_failures(client, person):
    for _ in range(2):
        _login(client, "ivanova", "wrong")
    response = _login(client, "ivanova", "")
    assert "Обязательное поле" in response.content.decode()
    assert LOCKOUT not in response.content.decode()
    _login(client, "ivanova", "wrong")  # the third failure
    assert LOCKOUT in _login(client, "ivanova", PASSWORD).content.decode()


def test_successful_logins_from_one_address_do_not_lock_it(client, db):
    # Each attempt is counted before its check and given back when it succeeds:
    # a whole office logging in from one address is never locked out.
    for i in range(15):  # above the address limit of 4 × 3
        make_user(f"colleague{i}")
        assert _login(Client(), f"colleague{i}", PASSWORD).status_code == 302
    make_user("last")
    assert _login(client, "last", PASSWORD).status_code == 302
    assert LoginThrottle.objects.filter(attempts__gt=0).count() == 0


def test_logout_by_post(client, person):
    client.force_login(person)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not _logged_in(client)
    assert client.get("/").status_code == 302


def test_logout_by_get_is_refused(client, person):
    client.force_login(person)
    assert client.get("/accounts/logout/").status_code == 405
    assert _logged_in(client)


def test_logout_form_is_on_every_page(client, person):
    client.force_login(person)
    page = client.get("/").content.decode()
    assert '<form action="/accounts/logout/" method="post">' in page
    assert "Выйти" in page


def test_inactive_user_cannot_log_in(client, person):
    person.is_active = False
    person.save()
    response = _login(client, "ivanova", PASSWORD)
    assert response.status_code == 200
    assert not _logged_in(client)


def test_password_change_is_russian_and_works(client, person):
    client.force_login(person)
    page = client.get("/accounts/password/").content.decode()
    assert "Смена пароля" in page
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Novyj-parol-2026!",
            "new_password2": "Novyj-parol-2026!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    person.refresh_from_db()
    assert person.check_password("Novyj-parol-2026!")
    # The session survives the change.
    assert client.get("/").status_code == 200


def test_password_change_rejects_weak_password_in_russian(client, person):
    client.force_login(person)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "Введённый пароль слишком широко распространён" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
