from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "klimapakt.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self):
        from klimapakt.core import registry as r
        from klimapakt.core.audit import register_actions

        from . import checkin, privacy
        from .audit import ACTIONS, details
        from .images import EVENT_IMAGE_FOLDER

        register_actions("events", ACTIONS, details)
        r.main_navigation.add(r.NavItem("events", "events:list", _("Veranstaltungen"), order=30))
        r.backoffice_navigation.add(r.NavItem("events", "event_office:list", _("Veranstaltungen"),
                                              permission="events.organise_events", order=40))
        r.home_sections.add(r.Block("upcoming_events", "events/blocks/home_upcoming.html", _upcoming, order=20))
        r.privacy.add(r.PrivacyHandler("events", export=privacy.export, order=20))
        r.demo_loaders.add(r.DemoLoader("events", _load_demo, order=30))
        r.api_routers.add(r.ApiRouter("events", "klimapakt.events.api:router", order=10))
        r.register_public_media_folder(EVENT_IMAGE_FOLDER)  # an event's picture is public
        r.register_mail_attachment("events.checkin_qr", checkin.qr_attachment)
        r.scheduled_jobs.add(r.Job("events_retention", _("Anmeldedaten vergangener Veranstaltungen anonymisieren"),
                                   "03:30", order=10))
        r.scheduled_jobs.add(r.Job("send_event_reminders", _("Teilnehmende an bevorstehende Veranstaltungen erinnern"),
                                   "07:00", order=50))


def _upcoming(request) -> dict:
    from klimapakt.core.selectors import current_pact

    from .selectors import upcoming_public_events

    return {"events": list(upcoming_public_events(pact=current_pact(), limit=3))}


def _load_demo(pact):
    from .demo import load

    load(pact)
