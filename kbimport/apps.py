from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbImportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kbimport"
    verbose_name = _("Импорт базы знаний")
