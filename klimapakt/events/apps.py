from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self):
        from klimapakt.core.audit import register_actions

        from .audit import ACTIONS, details

        register_actions("events", ACTIONS, details)
