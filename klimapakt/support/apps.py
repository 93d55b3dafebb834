from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.support"
    label = "support"
    verbose_name = _("Unterstützung")

    def ready(self):
        from klimapakt.core import derived
        from klimapakt.core import registry as r
        from klimapakt.core.audit import register_actions
        from klimapakt.core.models import InitialPartner
        from klimapakt.partners import registry as partners

        from . import office_tasks, privacy
        from .audit import ACTIONS, details
        from .models import Holding, SupportRequest
        from .selectors.workplace import SUPPORT, start_block

        register_actions("support", ACTIONS, details)
        r.main_navigation.add(r.NavItem("support", "support:offers", _("Unterstützung"), order=35))
        for key, url_name, label, permission, order in [
            ("support_inbox", "support_office:inbox", _("Beratungsanfragen"), "support.view_requests", 45),
            ("support_offers", "support_office:offers", _("Angebote"), "support.manage_offers", 46),
            ("support_overview", "support_office:overview", _("Unterstützung im Überblick"),
             "support.assign_requests", 47),
        ]:
            r.backoffice_navigation.add(r.NavItem(key, url_name, label, permission=permission, order=order))
        r.backoffice_start.add(r.Block("support_requests", "support/blocks/start_requests.html", start_block,
                                       order=20, permission="support.view_requests"))
        office_tasks.register(r)
        for model in (SupportRequest, Holding, InitialPartner):  # institutions: names in to-dos and lists
            derived.track(model, SUPPORT)
        partners.organisation_links.add(partners.OrganisationLink(
            "support", "support:requests", _("Unterstützung: Beratung bei den Initialpartnern anfragen"), order=20))
        r.privacy.add(r.PrivacyHandler("support", export=privacy.export, order=60,
                                       delete_organisation=privacy.delete_organisation,
                                       anonymise_organisation=privacy.anonymise_organisation))
        r.demo_loaders.add(r.DemoLoader("support", _load_demo, order=60))
        r.api_routers.add(r.ApiRouter("support", "klimapakt.support.api:router", order=40))
        r.scheduled_jobs.add(r.Job("support_reminders", _("An unbeantwortete Beratungsanfragen erinnern"),
                                   "07:30", order=60))
        r.scheduled_jobs.add(r.Job("support_retention", _("Abgeschlossene Beratungsanfragen nach der Frist löschen"),
                                   "03:50", order=61))


def _load_demo(pact):
    from .demo import load

    load(pact)
