from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.partners"
    label = "partners"
    verbose_name = _("Organisationen und Partnerschaften")

    def ready(self):
        from klimapakt.core import derived
        from klimapakt.core import registry as r
        from klimapakt.core.audit import register_actions

        from . import blocks, office_tasks, privacy
        from .audit import ACTIONS, details
        from .models import Agreement, Organisation, OrientationTalk

        register_actions("partners", ACTIONS, details)
        r.main_navigation.add(r.NavItem("join", "partners:join", _("Klimapartner werden"), order=10))
        r.main_navigation.add(r.NavItem("directory", "partners:directory", _("Klimapartner"), order=20))
        r.account_navigation.add(r.NavItem("portal", "portal:dashboard", _("Mein Bereich"), authenticated=True,
                                           order=10))
        r.backoffice_navigation.add(r.NavItem("organisations", "backoffice:organisations", _("Organisationen"),
                                              permission="partners.view_organisations", order=20))
        r.backoffice_navigation.add(r.NavItem("agreement_versions", "backoffice:agreement_versions",
                                              _("Vereinbarung"), permission="partners.manage_agreement_versions",
                                              order=30))
        r.register_backoffice_urls("klimapakt.partners.urls_backoffice")
        r.home_figures.add(r.Block("partner_count", "partners/blocks/home_count.html", blocks.home_count, order=10))
        r.home_figures.add(r.Block("join", "partners/blocks/home_join.html", blocks.home_join, order=30))
        r.backoffice_start.add(r.Block("organisations", "partners/blocks/office_counts.html", blocks.office_counts,
                                       order=10))
        office_tasks.register(r)
        for model in (Organisation, OrientationTalk, Agreement):
            derived.track(model, office_tasks.PIPELINE)
        r.privacy.add(r.PrivacyHandler("partners", export=privacy.export, erase=privacy.erase,
                                       check_erasable=privacy.check_erasable, order=10))
        r.demo_loaders.add(r.DemoLoader("partners", _load_demo, order=20))
        r.api_routers.add(r.ApiRouter("partners", "klimapakt.partners.api:router", order=20))
        r.scheduled_jobs.add(r.Job("send_talk_reminders",
                                   _("An unbeantwortete Terminvorschläge für Orientierungsgespräche erinnern"),
                                   "06:30", order=40))
        r.register_mail_attachment("partners.agreement_pdf", _agreement_pdf)


def _load_demo(pact):
    from .demo import load

    load(pact)


def _agreement_pdf(*, language: str, agreement_id: int):
    from .documents import agreement_attachment

    return agreement_attachment(agreement_id=agreement_id, language=language)
