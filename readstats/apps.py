from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadstatsConfig(AppConfig):
    name = "readstats"
    verbose_name = _("Аналитика чтения")
