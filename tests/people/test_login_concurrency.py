"""Thirty simultaneous wrong passwords for one account, each thread with its
own real connection on PostgreSQL: at most LOGIN_MAX_FAILURES of them reach
the password check, whichever cache the portal runs with."""

import threading

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection, connections
from django.test import Client

from people.models import LoginThrottle
from tests.factories import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL"
)

LOCKOUT = "Слишком много неудачных попыток входа"
CACHES = {
    "locmem": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    # The Redis of the test machine, db 8 (this suite's own number).
    "redis": {
        "default": {
            "BACKEND": "kb_portal.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/8",
        }
    },
}


@pytest.fixture
def password_checks(monkeypatch):
    """How many times a password was actually checked, counted across threads."""
    calls = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        calls.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return calls


def _storm(username, password, threads, *, address=lambda i: "10.1.1.1"):
    barrier = threading.Barrier(threads)
    pages, errors = [], []

    def attempt(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            response = Client(REMOTE_ADDR=address(index)).post(
                "/accounts/login/", {"username": username, "password": password}
            )
            pages.append((response.status_code, response.content.decode()))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    return pages


@pytest.mark.parametrize("cache_name", sorted(CACHES))
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_wrong_passwords_check_at_most_the_limit(
    cache_name, settings, password_checks
):
    settings.CACHES = CACHES[cache_name]
    settings.LOGIN_MAX_FAILURES = 5
    make_user("ivanova")

    pages = _storm("ivanova", "wrong", 30)

    assert len(pages) == 30
    assert len(password_checks) == 5
    assert sum(LOCKOUT in page for _status, page in pages) == 25
    assert LoginThrottle.objects.get(key__startswith="user:").attempts == 5
    # And the right password is refused afterwards too, unchecked.
    right = Client().post("/accounts/login/", {"username": "ivanova", "password": "pass-1234-word"})
    assert LOCKOUT in right.content.decode()
    assert len(password_checks) == 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_tries_from_one_address_check_at_most_its_limit(settings, password_checks):
    settings.LOGIN_MAX_FAILURES = 2  # an address gets 4 × 2 tries
    for i in range(30):
        make_user(f"guess{i}")
    barrier = threading.Barrier(30)
    errors = []

    def attempt(index):
        try:
            connections["default"].ensure_connection()
            barrier.wait(timeout=30)
            Client().post("/accounts/login/", {"username": f"guess{index}", "password": "x"})
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(password_checks) == 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_right_passwords_all_log_in(settings, password_checks):
    # Counting before the check must not lock out people who type it right.
    settings.LOGIN_MAX_FAILURES = 3
    make_user("ivanova")
    pages = _storm("ivanova", "pass-1234-word", 12, address=lambda i: f"10.1.1.{i}")
    assert all(status in (200, 302) for status, _page in pages)
    assert [status for status, _page in pages].count(302) >= 3
    # Right passwords give their attempt back: nothing stays counted, and the
    # next login goes through.
    assert not LoginThrottle.objects.filter(attempts__gt=0).exists()
    right = Client().post("/accounts/login/", {"username": "ivanova", "password": "pass-1234-word"})
    assert right.status_code == 302
