"""The cache is a speed-up, not a single point of failure.

Two kinds of outage: a Redis address where nothing listens (always runs, no
server needed), and a real redis-server started by the fixture, stopped,
frozen (SIGSTOP) and restarted while people browse and log in and out.
"""

import logging
import shutil
import signal
import socket
import subprocess
import time
import uuid
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import ArticleViewDay
from articles.services import article_count_view, article_views_flush
from kb_portal.cache import CacheUnavailable
from people.models import Profile
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.feedback.factories import make_office

PASSWORD = "pass-1234-word"
LOCKOUT = "Слишком много неудачных попыток входа"
SESSION_PREFIX = "django.contrib.sessions.cached_db"


def _redis_cache(location, **options):
    return {
        "default": {
            "BACKEND": "kb_portal.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "kb",
            "OPTIONS": options,
        }
    }


def _closed_port_location():
    # Port 1 refuses at once; a fresh db number gives each test its own
    # circuit breaker (they are per server), so "logged once" is per test.
    return f"redis://127.0.0.1:1/{uuid.uuid4().int % 10_000}"


@pytest.fixture
def world(db):
    section = make_section("Стандарты", slug="standarty")
    article = make_article(section, title="Стандарт приёма", slug="priyom", body="<p>Текст</p>")
    article.tags.add("приём")
    person = make_user("ivanova", role=ROLE_USERS["staff"])
    return {"section": section, "article": article, "person": person}


PAGES = [
    "/",
    "/kb/",
    "/kb/standarty/",
    "/kb/standarty/priyom/",
    "/search/?q=стандарт",
    "/tags/приём/",
    "/mandatory/",
    "/ideas/",
    "/no-such-page/",
]


def _login(client, username="ivanova", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _browse(client):
    return {url: client.get(url).status_code for url in PAGES}


EXPECTED = {url: (404 if url == "/no-such-page/" else 200) for url in PAGES}


# --- Nothing listens at the address --------------------------------------------


@pytest.fixture
def unreachable_cache(settings):
    settings.CACHES = _redis_cache(_closed_port_location(), retry_seconds=60)


def test_pages_work_while_the_cache_is_unreachable(unreachable_cache, world):
    client = Client()
    assert _login(client).status_code == 302
    assert _browse(client) == EXPECTED


def test_login_logout_and_the_session_work_from_the_database(unreachable_cache, world):
    client = Client()
    assert _login(client).status_code == 302
    # The session was written to the database: a second request is still logged in.
    assert client.get("/").status_code == 200
    assert "ivanova" in client.get("/kb/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_lockout_works_while_the_cache_is_unreachable(unreachable_cache, world, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        assert LOCKOUT not in _login(client, password="wrong").content.decode()
    assert LOCKOUT in _login(client).content.decode()


def test_healthz_says_degraded_but_keeps_the_host(unreachable_cache, client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "cache": "unavailable"}


def test_the_outage_is_logged_once_not_per_request(unreachable_cache, world, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="kb_portal.cache"):
        _login(client)
        _browse(client)
        _browse(client)
    warnings = [r for r in caplog.records if r.name == "kb_portal.cache"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


def test_the_log_never_shows_the_redis_password(settings, caplog, db):
    settings.CACHES = _redis_cache("redis://:TopSecret42@127.0.0.1:1/77", retry_seconds=60)
    with caplog.at_level(logging.WARNING, logger="kb_portal.cache"):
        cache.get("anything")
    assert "127.0.0.1:1/77" in caplog.text
    assert "TopSecret42" not in caplog.text


def test_the_cache_answers_as_an_empty_one(unreachable_cache):
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert "a" not in cache
    assert cache.delete("a") is False
    cache.delete_many(["a", "b"])
    cache.set_many({"a": 1})
    assert cache.get_or_set("a", 5) == 5
    with pytest.raises(CacheUnavailable):
        cache.incr("a")
    # incr()'s error is a ValueError, what callers already handle for a key that vanished.
    assert issubclass(CacheUnavailable, ValueError)


def test_view_counting_survives_the_outage(unreachable_cache, world, django_assert_num_queries):
    office = make_office()
    # Lost views, no error, and no database write per view meanwhile.
    with django_assert_num_queries(0):
        for _ in range(25):
            article_count_view(article=world["article"], office_id=office.pk)
    assert not ArticleViewDay.objects.exists()
    # The flush finds no buffer to move, and says so.
    ArticleViewDay.objects.create(
        article=world["article"], office=office, date=timezone.localdate(), views=1
    )
    assert article_views_flush() == {"rows": 1, "views": 0}
    out = StringIO()
    call_command("flush_article_views", stdout=out)
    assert "Просмотры перенесены: 0" in out.getvalue()
    assert ArticleViewDay.objects.get().views == 1


def test_the_article_page_counts_nothing_and_works_in_the_outage(unreachable_cache, world):
    Profile.objects.create(user=world["person"], office=make_office())
    client = Client()
    _login(client)
    for _ in range(3):
        assert client.get("/kb/standarty/priyom/").status_code == 200
    assert not ArticleViewDay.objects.exists()


# --- A real redis-server ----------------------------------------------------------


NO_PERSISTENCE = ["--save", "", "--appendonly", "no"]


class RedisServer:
    """A private redis-server on a free port, owned by the test."""

    def __init__(self, binary):
        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    @property
    def location(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", *NO_PERSISTENCE],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed; these tests need it (apt-get install redis-server)"
        )
    server = RedisServer(binary)
    server.start()
    yield server
    if server.process.poll() is None:
        server.thaw()
        server.stop()


RETRY = 0.3


def _wait_for_retry():
    time.sleep(RETRY + 0.1)


def _session_is_in_redis(client):
    return cache.get(SESSION_PREFIX + client.cookies["sessionid"].value) is not None


def test_redis_stopped_and_restarted_while_people_work(redis_server, settings, world):
    settings.CACHES = _redis_cache(redis_server.location, retry_seconds=RETRY)
    client = Client()
    assert _login(client).status_code == 302
    assert _browse(client) == EXPECTED
    assert _session_is_in_redis(client)

    redis_server.stop()
    assert _browse(client) == EXPECTED
    assert client.get("/healthz").json() == {"status": "degraded", "cache": "unavailable"}
    newcomer = Client()
    assert _login(newcomer).status_code == 302
    assert newcomer.get("/").status_code == 200  # the new session lives in the database
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302

    redis_server.start()  # an empty Redis, like a restart
    _wait_for_retry()
    assert newcomer.get("/healthz").json() == {"status": "ok"}
    assert _browse(newcomer) == EXPECTED
    assert _session_is_in_redis(newcomer)  # cached again
    cache.set("probe", 42)
    assert cache.get("probe") == 42


def test_a_frozen_redis_costs_one_timeout_per_retry_window(redis_server, settings, world):
    settings.CACHES = _redis_cache(redis_server.location, retry_seconds=30)
    client = Client()
    assert _login(client).status_code == 302
    client.get("/")

    redis_server.freeze()
    started = time.monotonic()
    assert _browse(client) == EXPECTED
    assert _browse(client) == EXPECTED
    elapsed = time.monotonic() - started
    # 18 pages, each with several cache calls: 0.25 s a call would be 10+ s;
    # with the breaker open after the first timeout it is one 0.25 s in all.
    assert elapsed < 5, elapsed
    assert client.get("/healthz").json() == {"status": "degraded", "cache": "unavailable"}


def test_a_logout_during_the_outage_does_not_come_back_with_redis(redis_server, settings, world):
    settings.CACHES = _redis_cache(redis_server.location, retry_seconds=RETRY)
    client = Client()
    assert _login(client).status_code == 302
    assert client.get("/").status_code == 200
    old_cookie = client.cookies["sessionid"].value
    assert cache.get(SESSION_PREFIX + old_cookie) is not None

    redis_server.freeze()  # Redis keeps its data, but cannot answer
    assert client.post("/accounts/logout/").status_code == 302

    redis_server.thaw()
    _wait_for_retry()
    thief = Client()
    thief.cookies["sessionid"] = old_cookie
    assert thief.get("/").status_code == 302  # the ended session stays ended
    assert cache.get(SESSION_PREFIX + old_cookie) is None
