from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.support"
    label = "support"
    verbose_name = _("Unterstützung")
