"""Settings come from the environment and refuse bad values loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# Variables the settings read; each test starts from none of them.
SETTINGS_VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL",
    "TIME_ZONE",
    "LOGIN_MAX_FAILURES",
    "LOGIN_LOCKOUT_SECONDS",
    "ATTACHMENT_MAX_MB",
    "TRASH_RETENTION_DAYS",
    "DB_CONN_MAX_AGE",
    "EMAIL_PORT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "EMAIL_USE_TLS",
    "STATIC_ROOT",
    "REDIS_TIMEOUT",
    "REDIS_RETRY_SECONDS",
    "ALLOW_LOCAL_CACHE",
    "SECURE_SSL_REDIRECT",
    "CSRF_COOKIE_SECURE",
    "BEHIND_TLS_PROXY",
    "WEB_CONCURRENCY",
]


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *args],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _import_settings(**env):
    return _run(["-c", "import kb_portal.settings"], **env)


def test_development_settings_need_no_variables():
    result = _import_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_import_with_the_required_variables():
    result = _import_settings(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("TIME_ZONE", "Mars/Base", "TIME_ZONE='Mars/Base' is not a known time zone"),
        ("DATABASE_URL", "mysql://kb@db/kb", "DATABASE_URL must point to SQLite or PostgreSQL"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not a valid database URL"),
        ("REDIS_URL", "http://x", "REDIS_URL must start with redis://"),
        ("LOGIN_MAX_FAILURES", "five", "LOGIN_MAX_FAILURES='five' is not an integer"),
        ("ATTACHMENT_MAX_MB", "0", "ATTACHMENT_MAX_MB=0 must be at least 1"),
        ("TRASH_RETENTION_DAYS", "-3", "TRASH_RETENTION_DAYS=-3 must be at least 1"),
        ("EMAIL_USE_TLS", "da", "EMAIL_USE_TLS='da' is not a boolean"),
        ("FEEDBACK_IMPORT_RUNNER", "celery", "FEEDBACK_IMPORT_RUNNER='celery'"),
        ("KB_IMPORT_RUNNER", "cron", "KB_IMPORT_RUNNER='cron'"),
        ("KB_IMPORT_MAX_NAME_CHARS", "1000", "KB_IMPORT_MAX_NAME_CHARS=1000 must be at most 255"),
        ("IDEAS_VOTE_THRESHOLD", "0", "IDEAS_VOTE_THRESHOLD=0 must be at least 1"),
        ("EXTRACT_MAX_SECONDS", "soon", "EXTRACT_MAX_SECONDS='soon' is not an integer"),
        ("SEARCH_RERANK", "5", "SEARCH_RERANK=5 must be at least 20"),
        ("REDIS_TIMEOUT", "0", "REDIS_TIMEOUT must be a number of seconds above 0"),
        ("ALLOW_LOCAL_CACHE", "sure", "ALLOW_LOCAL_CACHE='sure' is not a boolean"),
    ],
)
def test_bad_value_stops_start_up_with_a_clear_message(variable, value, message):
    result = _import_settings(**{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_without_secret_key_stops_start_up():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_database_password_is_not_echoed_in_the_error():
    result = _import_settings(DEBUG="1", DATABASE_URL="mysql://kb:TopSecret42@db.example/kb")
    assert result.returncode != 0
    assert "TopSecret42" not in result.stderr


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled by `manage.py collectstatic` run as a developer
    would, without DEBUG=0: it must write the manifest production needs."""
    root = tmp_path_factory.mktemp("static")
    result = _run(["manage.py", "collectstatic", "--noinput"], STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_writes_the_manifest_whatever_debug_is(collected_static):
    assert (collected_static / "staticfiles.json").is_file()
    assert (collected_static / "css" / "kb.css.gz").is_file()  # whitenoise's compressed copy


def _production(**env):
    return {
        "DJANGO_SETTINGS_MODULE": "kb_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kb.example",
        **env,
    }


def test_check_deploy_is_clean_with_production_settings(collected_static):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **_production(STATIC_ROOT=str(collected_static), BEHIND_TLS_PROXY="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_the_missing_static_manifest(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], **_production(STATIC_ROOT=str(tmp_path)))
    assert result.returncode != 0
    assert "kb_portal.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_the_wsgi_application_refuses_to_start_without_the_static_manifest(tmp_path):
    result = _run(["-c", "import kb_portal.wsgi"], **_production(STATIC_ROOT=str(tmp_path)))
    assert result.returncode != 0
    assert "static files manifest" in result.stderr
    assert "collectstatic" in result.stderr


def test_the_wsgi_application_starts_with_the_manifest(collected_static):
    result = _run(["-c", "import kb_portal.wsgi"], **_production(STATIC_ROOT=str(collected_static)))
    assert result.returncode == 0, result.stderr


def test_plain_http_trial_settings_warn_in_check_deploy(collected_static):
    # The documented local trial: check --deploy says what it gives up.
    result = _run(
        ["manage.py", "check", "--deploy"],
        **_production(
            STATIC_ROOT=str(collected_static),
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
        ),
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    for warning in ["security.W008", "security.W012", "security.W016"]:
        assert warning in output
    assert "3 issues" in output


def test_check_deploy_flags_a_weak_secret_key():
    # The control case: the check above is able to fail.
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="kb_portal.settings",
        DEBUG="0",
        SECRET_KEY="short",
        ALLOWED_HOSTS="kb.example",
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_wsgi_application_without_variables_refuses_to_start():
    """The production entry point has no development default: no DEBUG means
    production, and production without SECRET_KEY does not start."""
    result = _run(["-c", "import kb_portal.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_manage_py_runs_in_development_mode_without_variables():
    result = _run(["manage.py", "check"])
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
