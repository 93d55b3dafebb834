from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.insights"
    label = "insights"
    verbose_name = _("Auswertungen")

    def ready(self):
        from klimapakt.core import registry as r
        from klimapakt.reports import registry as reports

        r.main_navigation.add(r.NavItem("progress", "insights:progress", _("Fortschritt"), order=37))
        r.backoffice_navigation.add(r.NavItem("progress", "insights_office:dashboard", _("Fortschritt des Klimapakts"),
                                              permission="insights.view_dashboard", order=48))
        r.home_figures.add(r.Block("progress", "insights/blocks/home_progress.html", lambda request: {}, order=25))
        # The peer benchmark on the partner's reports dashboard (docs/insights.md, "Peer benchmark");
        # the dashboard itself is for the organisation's members and the pact office only.
        reports.dashboard_blocks.add(reports.DashboardBlock(
            "peer_benchmark", "insights/blocks/benchmark.html", _benchmark_block,
            permission="reports.view_reports", order=50))


def _benchmark_block(request, organisation):
    from .benchmark_block import dashboard_block

    return dashboard_block(request, organisation)
