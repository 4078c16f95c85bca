"""A real Chromium plays the attachments: on a page, and opened directly in its
own player, where the attachment's security policy applies.

Runs wherever Chromium is installed; skipped only where it is not, and never in
CI (CI=true), which installs it: there a missing browser fails the test.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.html import escape

from articles import serving
from tests.factories import make_article, make_attachment, make_user

CHROMIUM = next(
    filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None
)
RECORDINGS = Path(__file__).resolve().parents[2] / "fixtures" / "recordings"
FILES = {
    "video": ("ролик.mp4", RECORDINGS / "videoinstrukciya-dashbord-indeksa.mp4"),
    "audio": ("выпуск.mp3", RECORDINGS / "podcast-klientocentrichnost-vypusk-1.mp3"),
}

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed"
    ),
    pytest.mark.django_db(transaction=True),
]


@login_not_required
def _login_as(request, username):
    """The browser has no login form to fill in here: log it in and go on."""
    login(request, User.objects.get(username=username))
    return redirect(request.GET["next"])


def _player_page(request, kind, pk):
    """A page with one player that writes what the browser made of the file."""
    url = escape(f"/attachments/{pk}/")
    return HttpResponse(
        f'<!doctype html><html lang="ru"><title>t</title><{kind} preload="metadata" src="{url}">'
        f'</{kind}><p id="out">ожидание</p><script>const m = document.querySelector("{kind}"),'
        ' out = document.getElementById("out");'
        ' m.addEventListener("loadedmetadata", () => {'
        ' out.textContent = "ready " + m.readyState + " " + m.duration; });'
        ' m.addEventListener("error", () => { out.textContent = "error " + m.error.code; });'
        "</script></html>"
    )


urlpatterns = [
    path("_test/login/<str:username>/", _login_as),
    path("_test/player/<str:kind>/<int:pk>/", _player_page),
    path("", include("kb_portal.urls")),
]


@pytest.fixture
def browser_site(settings, live_server):
    # A person without a role: the role groups come from a migration, and a
    # transactional test's flush has removed them.
    make_user("viewer")
    settings.ROOT_URLCONF = __name__
    settings.SESSION_COOKIE_SECURE = False
    return live_server.url


def _chromium(site, next_url):
    """Open ``next_url`` logged in; the DOM and Chromium's console log."""
    assert CHROMIUM, "Chromium is needed for this test: apt-get install -y chromium"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(  # noqa: S603 - a fixed browser with our own arguments
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=10000",
                "--dump-dom",
                f"{site}/_test/login/viewer/?next={next_url}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console


def _attach(kind):
    name, source = FILES[kind]
    return make_attachment(make_article(), name=name, content=source.read_bytes())


@pytest.mark.parametrize("kind", ["video", "audio"])
def test_player_on_a_page_gets_the_length_of_the_recording(browser_site, kind):
    attachment = _attach(kind)
    dom, console = _chromium(browser_site, f"/_test/player/{kind}/{attachment.pk}/")
    result = re.search(r'<p id="out">ready (\d) ([\d.]+)</p>', dom)
    assert result, (dom[-500:], console)
    ready_state, duration = int(result[1]), float(result[2])
    assert ready_state >= 1
    assert duration > 10  # the recordings are 17-21 seconds long


@pytest.mark.parametrize("kind", ["video", "audio"])
def test_recording_opened_directly_is_not_blocked_by_its_policy(browser_site, monkeypatch, kind):
    attachment = _attach(kind)
    url = attachment.get_absolute_url()
    _dom, console = _chromium(browser_site, url)
    assert not [line for line in console if "violates" in line or "blocked" in line], console
    # The same check sees the defect: with the old policy the player is blocked.
    monkeypatch.setitem(serving.POLICIES, kind, serving.DOWNLOAD_POLICY)
    _dom, console = _chromium(browser_site, url)
    assert any("violates the following Content Security Policy" in line for line in console)
