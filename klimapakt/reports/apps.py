from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.reports"
    label = "reports"
    verbose_name = _("Berichte und Maßnahmen")

    def ready(self):
        from klimapakt.core.audit import register_actions

        from .audit import ACTIONS, details

        register_actions("reports", ACTIONS, details)
