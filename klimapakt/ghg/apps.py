from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.ghg"
    label = "ghg"
    verbose_name = _("CO2-Bilanz")

    def ready(self):
        from klimapakt.core.audit import register_actions

        from .audit import ACTIONS, details

        register_actions("ghg", ACTIONS, details)
