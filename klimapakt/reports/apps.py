from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.reports"
    label = "reports"
    verbose_name = _("Berichte und Maßnahmen")

    def ready(self):
        from klimapakt.core import derived
        from klimapakt.core import registry as r
        from klimapakt.core.audit import register_actions
        from klimapakt.ghg import registry as ghg
        from klimapakt.partners import registry as partners

        from . import office_tasks, privacy
        from .audit import ACTIONS, details
        from .models import Measure, Report
        from .selectors import REPORTS

        register_actions("reports", ACTIONS, details)
        for key, url_name, label, permission, order in [
            ("inbox", "reports_office:inbox", _("Berichte"), "reports.review_reports", 60),
            ("overview", "reports_office:overview", _("Jahresübersicht"), "reports.review_reports", 61),
            ("catalogue", "reports_office:catalogue", _("Maßnahmenkatalog"), "reports.manage_catalogue", 62),
        ]:
            r.backoffice_navigation.add(r.NavItem(key, url_name, label, permission=permission, order=order))
        office_tasks.register(r)
        for model in (Report, Measure):
            derived.track(model, REPORTS)
        partners.deadline_sources.add(partners.DeadlineSource("reports", _next_report_deadline))
        partners.public_figures.add(partners.PublicFigures(
            "reports", html=_public_progress, api_field="reports", api_schema=_report_schema(),
            api_payload=_reports_payload))
        ghg.freeze_reasons.add(ghg.FreezeReason("reports", _freeze_reason))
        r.privacy.add(r.PrivacyHandler("reports", export=privacy.export, erase=privacy.erase, order=40,
                                       delete_organisation=privacy.delete_organisation))
        r.demo_loaders.add(r.DemoLoader("reports", _load_demo, order=50))
        r.scheduled_jobs.add(r.Job("send_report_reminders", _("Berichtszeiträume öffnen und Erinnerungen versenden"),
                                   "06:15", order=30))
        # renders the PDF only when the version has none yet: safe to run again after a crash
        r.register_idempotent_task("klimapakt.reports.tasks.archive_version_pdf")


def _load_demo(pact):
    from .demo import load

    load(pact)


def _next_report_deadline(organisation, pact, today):
    from .selectors import next_report_deadline

    return next_report_deadline(organisation, pact, today)


def _freeze_reason(balance, user):
    from .selectors import freeze_reason

    return freeze_reason(balance, user)


def _public_progress(organisation):
    from .selectors import public_progress

    return public_progress(organisation)


def _report_schema():
    from .public_api import ReportOut

    return ReportOut


def _reports_payload(ids):
    from .public_api import reports_payload

    return reports_payload(ids)
