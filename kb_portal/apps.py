from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class KBAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kb_portal.admin.KBAdminSite"


class PortalConfig(AppConfig):
    default = True
    name = "kb_portal"
    verbose_name = _("Портал")

    def ready(self):
        from kb_portal import checks  # noqa: F401 - registers the system checks
