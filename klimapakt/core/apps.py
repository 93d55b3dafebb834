from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from . import checks  # noqa: F401
        from .audit import register_actions
        from .audit_names import ACTIONS, details

        register_actions("core", ACTIONS, details)
