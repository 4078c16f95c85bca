from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbuseConfig(AppConfig):
    name = "kbuse"
    verbose_name = _("Знания и индекс клиентоцентричности")
