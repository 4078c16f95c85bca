from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CxConfig(AppConfig):
    name = "cx"
    verbose_name = _("Клиентский опыт для всех сотрудников")
