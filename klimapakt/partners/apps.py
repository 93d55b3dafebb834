from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.partners"
    label = "partners"
    verbose_name = _("Organisationen und Partnerschaften")

    def ready(self):
        from klimapakt.core.audit import register_actions

        from .audit import ACTIONS, details

        register_actions("partners", ACTIONS, details)
