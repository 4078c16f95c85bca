"""Start-up checks of the production set-up."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.files.storage import storages


def static_manifest_problem():
    """Why every page would answer 500, or None: without the manifest that
    `collectstatic` writes, production cannot name a single static file."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.manifest_storage.exists(storage.manifest_name):
        return None
    return (
        f"The static files manifest {storage.manifest_storage.path(storage.manifest_name)} "
        "is missing, so every page would fail. Run `.venv/bin/python manage.py collectstatic "
        "--noinput` with the production environment (the same STATIC_ROOT) before starting."
    )


@register(deploy=True)
def check_static_manifest(app_configs, **kwargs):
    problem = static_manifest_problem()
    return [Error(problem, id="kb_portal.E001")] if problem else []
