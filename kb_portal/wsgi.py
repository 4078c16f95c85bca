import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.settings")

application = get_wsgi_application()

# Refuse to start rather than answer 500 on every page.
from kb_portal.checks import static_manifest_problem  # noqa: E402 - needs the set-up above

if problem := static_manifest_problem():
    raise ImproperlyConfigured(problem)
