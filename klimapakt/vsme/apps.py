from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.vsme"
    label = "vsme"
    verbose_name = _("VSME-Angaben")

    def ready(self):
        from django.urls import reverse

        from klimapakt.ghg.registry import BalanceLink, balance_links

        balance_links.add(BalanceLink(
            key="vsme", label=_("Angaben für Banken und Kunden (EU-Standard VSME)"),
            url=lambda organisation, year: reverse("vsme:page", kwargs={"pk": organisation.pk, "year": year}),
            order=50))
