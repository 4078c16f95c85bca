"""Fast settings for the test suite: the real settings with cheap hashing,
a private media folder and a local cache. DATABASE_URL still decides the
database, so the same suite runs on SQLite and on PostgreSQL."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DEBUG", "0")

from kb_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="kb-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="kb-test-static-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The demo seeds ~60,000 feedback responses; tests of the demo command need far fewer.
DEMO_FEEDBACK_SCALE = 0.02
