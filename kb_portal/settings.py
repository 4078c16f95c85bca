"""Settings for KB Portal, read from the environment.

Development runs with no variables at all (SQLite file, DEBUG on through the
Makefile). Production sets DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL; see README.md for every variable.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kb_portal.env import env_bool, env_float, env_int, env_list, env_str, env_weights

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "kb_portal.apps.KBAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mptt",
    "taggit",
    "simple_history",
    "django_prose_editor",
    "kb_portal",
    "people",
    "articles",
    "search",
    "ideas",
    "feedback",
    "dashboards",
    "cx",
    "contributions",
    "notifications",
    "cases",
    "questions",
    "proposals",
    "kbuse",
    "readstats",
    "updates",
    "onboarding",
    "events",
    "algorithms",
    "expert",
    "kbimport",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what every later middleware and view produce (text only).
    "kb_portal.middleware.TextGZipMiddleware",
    # Before the session and the views: a NUL byte never reaches the database.
    "kb_portal.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kb_portal.urls"
WSGI_APPLICATION = "kb_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kb_portal.context_processors.portal",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as error:  # the URL itself is not repeated: it may hold a password
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a valid database URL ({error}). Use sqlite:///path/to/db.sqlite3 "
        "or postgres://user:password@host:5432/name."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE makes a
        # writing transaction take the lock at its start, so two writers queue
        # instead of failing with "database is locked" half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Seconds a call may wait for Redis, and how long an unreachable Redis is left
# alone before it is tried again (kb_portal/cache.py): while it is down the
# portal works from the database, slower, and logs it once.
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.25)
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5.0)
if REDIS_TIMEOUT <= 0:
    raise ImproperlyConfigured("REDIS_TIMEOUT must be a number of seconds above 0.")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
    CACHES = {
        "default": {
            "BACKEND": "kb_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kb",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "retry_seconds": REDIS_RETRY_SECONDS,
            },
        }
    }
else:
    # One process only: fine for development and a single worker. Several
    # gunicorn workers without REDIS_URL are refused by gunicorn.conf.py unless
    # ALLOW_LOCAL_CACHE=1 says it is meant.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOW_LOCAL_CACHE = env_bool("ALLOW_LOCAL_CACHE", False)

# Sessions are written to the database and read through the cache, so a cache
# restart or outage logs nobody out and a page view saves a query. With
# per-worker caches (ALLOW_LOCAL_CACHE) a worker would keep serving a session
# another worker ended, so there sessions are read from the database only.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if ALLOW_LOCAL_CACHE and not REDIS_URL
    else "django.contrib.sessions.backends.cached_db"
)

# --- Auth -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Brute-force protection: after this many failures for one username or one
# address, login is refused for LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Samara")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media is never served by URL: attachments go through a view that checks login.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest storage in development too: `collectstatic` then always
    # writes the manifest (and .gz copies) that production pages need, whatever
    # DEBUG was when it ran; with DEBUG on, {% static %} needs no manifest.
    # Production refuses to start without it (kb_portal/checks.py).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50, minimum=1) * 1024 * 1024
# A staff photo in the directory (people.photos): JPEG or PNG, at most this
# size. Without an image library on the server photos are checked and
# stripped of metadata, not resized, so the limit keeps a page of 20 faces light.
PROFILE_PHOTO_MAX_BYTES = env_int("PROFILE_PHOTO_MAX_KB", 1024, minimum=16, maximum=10240) * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
TRASH_RETENTION_DAYS = env_int("TRASH_RETENTION_DAYS", 30, minimum=1)
# «Проверено, актуально» moves «следующая актуализация» this many months ahead.
REVIEW_INTERVAL_EVERGREEN_MONTHS = env_int("REVIEW_INTERVAL_EVERGREEN_MONTHS", 12, minimum=1)
REVIEW_INTERVAL_DYNAMIC_MONTHS = env_int("REVIEW_INTERVAL_DYNAMIC_MONTHS", 3, minimum=1)
# Review reminders (manage.py send_review_reminders, run daily): the owner is
# told this many days before «следующая актуализация» and once on the day
# after it passes; the section's editors are told when it is this many days late.
REVIEW_REMINDER_DAYS_BEFORE = env_int("REVIEW_REMINDER_DAYS_BEFORE", 14, minimum=1)
REVIEW_ESCALATION_DAYS = env_int("REVIEW_ESCALATION_DAYS", 30, minimum=1)
# Questions, answers and error reports one person may send in an hour: far
# above what a person types, low enough to stop a script (questions app).
QUESTIONS_PER_HOUR = env_int("QUESTIONS_PER_HOUR", 20, minimum=1)
ANSWERS_PER_HOUR = env_int("ANSWERS_PER_HOUR", 60, minimum=1)
ERROR_REPORTS_PER_HOUR = env_int("ERROR_REPORTS_PER_HOUR", 20, minimum=1)
# A person may send this many proposals an hour: more than anyone types by hand.
PROPOSALS_PER_HOUR = env_int("PROPOSALS_PER_HOUR", 10, minimum=1)
# «Путь новичка» is shown to a person this many days from their start date
# (onboarding app); at most ten years.
ONBOARDING_DAYS = env_int("ONBOARDING_DAYS", 90, minimum=1, maximum=3650)

# --- Text of attachments, for search ---------------------------------------------
# Each file is parsed in a child process under these limits, so a huge or
# hostile file (zip or XML bomb, a 10,000-page PDF, a parser caught in a loop)
# costs at most this much and is then saved with «текст не извлечён».
# Wall-clock seconds per file. Kept below SQLite's 20-second lock timeout: in
# the admin the extraction runs inside the save's transaction.
EXTRACT_MAX_SECONDS = env_int("EXTRACT_MAX_SECONDS", 15, minimum=1)
EXTRACT_MAX_PAGES = env_int("EXTRACT_MAX_PAGES", 300, minimum=1)  # PDF pages read; the rest skipped
EXTRACT_MAX_CHARS = env_int("EXTRACT_MAX_CHARS", 1_000_000, minimum=1000)  # text kept per file
# Bigger files are stored but not parsed; what a DOCX/XLSX/ODT… may unpack to;
# the address space of the parsing process.
EXTRACT_MAX_BYTES = env_int("EXTRACT_MAX_MB", 25, minimum=1) * 1024 * 1024
EXTRACT_MAX_UNPACKED_BYTES = env_int("EXTRACT_MAX_UNPACKED_MB", 200, minimum=1) * 1024 * 1024
EXTRACT_MAX_MEMORY_BYTES = env_int("EXTRACT_MAX_MEMORY_MB", 512, minimum=128) * 1024 * 1024

# --- CX index (Индекс клиентоцентричности) ---------------------------------------
# The weights the dashboard uses and states on its page (DESIGN.md, «CX index»).
# Group weights: F дружелюбие, U полезность, E усилия, A адресность, K комфорт;
# set e.g. CX_GROUP_WEIGHTS="F:1,U:2,E:1,A:1,K:1" (a code left out weighs 0). The sides' weights are
# normalised by their sum, so 0.5/0.5 and 1/1 mean the same.

CX_GROUP_WEIGHTS = env_weights(
    "CX_GROUP_WEIGHTS", {"F": 1.0, "U": 1.0, "E": 1.0, "A": 1.0, "K": 1.0}
)
CX_CITIZEN_WEIGHT = env_float("CX_CITIZEN_WEIGHT", 0.5)
CX_EMPLOYER_WEIGHT = env_float("CX_EMPLOYER_WEIGHT", 0.5)
if CX_CITIZEN_WEIGHT + CX_EMPLOYER_WEIGHT <= 0:
    raise ImproperlyConfigured("CX_CITIZEN_WEIGHT and CX_EMPLOYER_WEIGHT must not both be 0.")
CSAT_TARGET = env_float("CSAT_TARGET", 90.0)  # % of CSAT answers 4–5
CX_INDEX_TARGET = env_float("CX_INDEX_TARGET", 80.0)  # the target line of the trend chart
# A slice with fewer responses is greyed and never ranked.
CX_MIN_RESPONSES = env_int("CX_MIN_RESPONSES", 30, minimum=1)
# --- Cases from negative feedback (обращения к разбору) ----------------------------
# An office has this many working days (Monday to Friday) to close a case;
# 0 or less is refused at start-up (and by the service if set otherwise).
CASE_SLA_WORKING_DAYS = env_int("CASE_SLA_WORKING_DAYS", 5, minimum=1)

# --- Idea bank -------------------------------------------------------------------
# Ideas with at least this many votes go on the working group's agenda.
IDEAS_VOTE_THRESHOLD = env_int("IDEAS_VOTE_THRESHOLD", 10, minimum=1)
# The portal's address for links in e-mails, e.g. https://kb.szn.local
PORTAL_URL = env_str("PORTAL_URL")

# --- Feedback import --------------------------------------------------------------
FEEDBACK_IMPORT_MAX_MB = env_int("FEEDBACK_IMPORT_MAX_MB", 200, minimum=1)
# How a web import runs after the upload: "subprocess" (a manage.py process that
# outlives the request and the worker), "thread" or "sync" (tests).
FEEDBACK_IMPORT_RUNNER = env_str("FEEDBACK_IMPORT_RUNNER", "subprocess")
if FEEDBACK_IMPORT_RUNNER not in ("subprocess", "thread", "sync"):
    raise ImproperlyConfigured(
        f"FEEDBACK_IMPORT_RUNNER={FEEDBACK_IMPORT_RUNNER!r}: use subprocess, thread or sync."
    )
# Seconds an import's background job may go without a sign of life before
# its page marks it failed (a job on the same host is checked by its pid at once).
FEEDBACK_IMPORT_STALE_SECONDS = env_int("FEEDBACK_IMPORT_STALE_SECONDS", 60, minimum=10)

# --- Import of a folder-and-file knowledge base (the kbimport app) -------------------
# The uploaded ZIP, what it may unpack to, how many entries (files and folders),
# how deep its folders and how long one name may be; an entry of more than 1 MB
# packed tighter than KB_IMPORT_MAX_RATIO : 1 is taken for a zip bomb.
KB_IMPORT_MAX_UPLOAD_BYTES = env_int("KB_IMPORT_MAX_UPLOAD_MB", 500, minimum=1) * 1024 * 1024
KB_IMPORT_MAX_TOTAL_BYTES = env_int("KB_IMPORT_MAX_TOTAL_MB", 2048, minimum=1) * 1024 * 1024
KB_IMPORT_MAX_FILES = env_int("KB_IMPORT_MAX_FILES", 10_000, minimum=1)
KB_IMPORT_MAX_DEPTH = env_int("KB_IMPORT_MAX_DEPTH", 12, minimum=1)
KB_IMPORT_MAX_NAME_CHARS = env_int("KB_IMPORT_MAX_NAME_CHARS", 200, minimum=20, maximum=255)
KB_IMPORT_MAX_RATIO = env_int("KB_IMPORT_MAX_RATIO", 200, minimum=10)
# Text extraction processes run at once during an import (each under EXTRACT_* limits).
KB_IMPORT_EXTRACT_WORKERS = env_int("KB_IMPORT_EXTRACT_WORKERS", 2, minimum=1, maximum=16)
# How the web import's check and writing run: as FEEDBACK_IMPORT_RUNNER.
KB_IMPORT_RUNNER = env_str("KB_IMPORT_RUNNER", FEEDBACK_IMPORT_RUNNER)
if KB_IMPORT_RUNNER not in ("subprocess", "thread", "sync"):
    raise ImproperlyConfigured(
        f"KB_IMPORT_RUNNER={KB_IMPORT_RUNNER!r}: use subprocess, thread or sync."
    )
KB_IMPORT_STALE_SECONDS = env_int("KB_IMPORT_STALE_SECONDS", 60, minimum=10)

# --- E-mail ---------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kb-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "kb_portal.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Editor -----------------------------------------------------------------------
DJANGO_PROSE_EDITOR_DEFAULT_PRESET = "configurable"
# «ЕЦП» and «ецп» are one tag.
TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Search (the search app) -----------------------------------------------------
# SEARCH_BACKEND: "auto" uses the database's own full-text index (FTS5 on SQLite,
# tsvector + GIN on PostgreSQL); a plugged-in engine would add its name here.
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "auto")
# How many best matches are re-ranked in Python (title > tags > summary > body >
# attachments, proximity, freshness); further pages follow the engine's order.
SEARCH_RERANK = env_int("SEARCH_RERANK", 100, minimum=20)
# Characters of each attachment's extracted text that are indexed.
SEARCH_ATTACHMENT_CHARS = env_int("SEARCH_ATTACHMENT_CHARS", 200_000, minimum=1000)
