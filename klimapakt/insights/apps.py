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

        # Open data: GET /api/v1/pact/progress, the page /offene-daten/ in the footer, the DCAT catalogue.
        r.api_routers.add(r.ApiRouter("insights", "klimapakt.insights.api:router", order=50))
        r.footer_navigation.add(r.NavItem("open_data", "open_data:page", _("Offene Daten"), order=40))

        # The peer benchmark on the partner's reports dashboard (docs/insights.md, "Peer benchmark");
        # the dashboard itself is for the organisation's members and the pact office only.
        reports.dashboard_blocks.add(reports.DashboardBlock(
            "peer_benchmark", "insights/blocks/benchmark.html", _benchmark_block,
            permission="reports.view_reports", order=50))
        _council_report(r)


def _benchmark_block(request, organisation):
    from .benchmark_block import dashboard_block

    return dashboard_block(request, organisation)


def _council_report(r):
    """The council report (insights/council/, docs/insights.md "Council report"): its permission,
    audit names, back-office pages and menu entry, and its idempotent background task."""
    from django_tasks.signals import task_finished

    from klimapakt.core.audit import register_actions

    from .council import rules  # noqa: F401 - registers the permission
    from .council.audit import ACTIONS, details

    register_actions("insights", ACTIONS, details)
    r.register_backoffice_urls("klimapakt.insights.council.urls")
    r.backoffice_navigation.add(r.NavItem("council_reports", "backoffice:council_reports", _("Sachstandsberichte"),
                                          permission="insights.manage_council_report", order=49))
    # builds only a queued or running export and writes its files once at the end: safe to run again
    r.register_idempotent_task("klimapakt.insights.council.tasks.build_council_export")
    task_finished.connect(_council_task_finished, dispatch_uid="insights.council_task_finished")


def _council_task_finished(sender, task_result, **kwargs):
    """An export's task ended FAILED (an error, or the reaper gave up on a dead worker): the export
    shows as failed with "Erneut versuchen" instead of "Wird erstellt" for ever."""
    if task_result.task.module_path != "klimapakt.insights.council.tasks.build_council_export":
        return
    if str(getattr(task_result.status, "value", task_result.status)) != "FAILED":
        return
    export_id = (task_result.kwargs or {}).get("export_id")
    if export_id is not None:
        from .council.services import council_export_fail

        council_export_fail(export_id=export_id)
