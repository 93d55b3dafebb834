from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.insights"
    label = "insights"
    verbose_name = _("Auswertungen")

    def ready(self):
        from klimapakt.core import registry as r

        r.main_navigation.add(r.NavItem("progress", "insights:progress", _("Fortschritt"), order=37))
        r.backoffice_navigation.add(r.NavItem("progress", "insights_office:dashboard", _("Fortschritt des Klimapakts"),
                                              permission="insights.view_dashboard", order=48))
        r.home_figures.add(r.Block("progress", "insights/blocks/home_progress.html", lambda request: {}, order=25))

        # Open data: GET /api/v1/pact/progress, the page /offene-daten/ in the footer, the DCAT catalogue.
        r.api_routers.add(r.ApiRouter("insights", "klimapakt.insights.api:router", order=50))
        r.footer_navigation.add(r.NavItem("open_data", "open_data:page", _("Offene Daten"), order=40))
