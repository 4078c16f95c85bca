"""gunicorn.conf.py: several workers without a shared cache are refused at start-up."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(tmp_path, *args, **env):
    port = _free_port()
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "ALLOW_LOCAL_CACHE", "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE"}
    }
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn and project
        [str(GUNICORN), "kb_portal.wsgi", "-b", f"127.0.0.1:{port}", *args],
        cwd=PROJECT,
        env={**clean, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, port


def _healthz(port, deadline):
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.2)
    return None


def _started(process, port):
    try:
        return _healthz(port, time.monotonic() + 30)
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_two_workers_without_redis_url_are_refused(tmp_path):
    process, _port = _gunicorn(tmp_path, "-w", "2")
    try:
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "2 workers without REDIS_URL" in err
    assert "ALLOW_LOCAL_CACHE=1" in err


def test_web_concurrency_counts_too(tmp_path):
    process, _port = _gunicorn(tmp_path, WEB_CONCURRENCY="3")
    try:
        _out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode != 0
    assert "3 workers without REDIS_URL" in err


def test_one_worker_without_redis_url_starts(tmp_path):
    process, port = _gunicorn(tmp_path, "-w", "1")
    assert _started(process, port) == {"status": "ok"}


def test_allow_local_cache_lets_several_workers_start(tmp_path):
    process, port = _gunicorn(tmp_path, "-w", "2", ALLOW_LOCAL_CACHE="1")
    assert _started(process, port) == {"status": "ok"}


def test_allow_local_cache_reads_sessions_from_the_database():
    def engine(**env):
        clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ALLOW_LOCAL_CACHE"}}
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from kb_portal import settings; print(settings.SESSION_ENGINE)",
            ],
            cwd=PROJECT,
            env={**clean, "DEBUG": "1", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert engine() == "django.contrib.sessions.backends.cached_db"
    assert engine(ALLOW_LOCAL_CACHE="1") == "django.contrib.sessions.backends.db"
    assert (
        engine(REDIS_URL="redis://127.0.0.1:6379/8") == "django.contrib.sessions.backends.cached_db"
    )
