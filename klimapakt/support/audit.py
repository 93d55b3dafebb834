"""The support app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "support.offer.created": gettext_lazy("Angebot angelegt"),
    "support.offer.changed": gettext_lazy("Angebot geändert"),
    "support.offer.deleted": gettext_lazy("Angebot gelöscht"),
    "support.request.sent": gettext_lazy("Beratungsanfrage gesendet"),
    "support.request.drafted": gettext_lazy("Beratungsanfrage aus einer Veranstaltung vorbereitet"),
    "support.request.assigned": gettext_lazy("Beratungsanfrage einer Einrichtung zugeordnet"),
    "support.request.accepted": gettext_lazy("Beratungsanfrage angenommen"),
    "support.request.started": gettext_lazy("Beratungsanfrage in Bearbeitung"),
    "support.request.completed": gettext_lazy("Beratungsanfrage abgeschlossen"),
    "support.request.declined": gettext_lazy("Beratungsanfrage abgelehnt"),
    "support.request.forwarded": gettext_lazy("Beratungsanfrage weitergeleitet"),
    "support.request.withdrawn": gettext_lazy("Beratungsanfrage zurückgezogen"),
    "support.requests.deleted": gettext_lazy("Abgeschlossene Beratungsanfragen gelöscht (Aufbewahrungsfrist)"),
    "support.grant.given": gettext_lazy("Einsicht in die Daten freigegeben"),
    "support.grant.revoked": gettext_lazy("Einsicht in die Daten widerrufen"),
    "support.grant.read": gettext_lazy("Daten unter einer Freigabe eingesehen"),
    "support.message.posted": gettext_lazy("Nachricht zur Beratungsanfrage geschrieben"),
    "support.note.added": gettext_lazy("Interne Notiz zur Beratungsanfrage"),
    "support.attachment.downloaded": gettext_lazy("Datei einer Beratungsanfrage heruntergeladen"),
    "support.reminders.sent": gettext_lazy("An unbeantwortete Beratungsanfragen erinnert"),
    "support.settings.updated": gettext_lazy("Einstellungen der Unterstützung geändert"),
    "support.routing_rule.saved": gettext_lazy("Zuordnungsregel gespeichert"),
    "support.routing_rule.deleted": gettext_lazy("Zuordnungsregel gelöscht"),
    "support.overview.exported": gettext_lazy("Übersicht der Beratungsanfragen exportiert"),
}


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    from klimapakt.core.audit import model_details

    from .models import Message, Offer, SupportRequest, Topic

    labels = {"organisation": _("Organisation"), "institution": _("Einrichtung"), "offer": _("Angebot"),
              "topics": _("Themen"), "advisor": _("Beraterin oder Berater"), "from": _("vorher bei"),
              "reason": _("Begründung"), "outcome": _("Ergebnis"), "side": _("von"), "event": _("Veranstaltung"),
              "count": _("Anzahl"), "advisors": _("an Beratende"), "office": _("an die Geschäftsstelle"),
              "section": _("Bereich"), "title": _("Titel"), "answer_days": _("Ziel für die erste Antwort (Arbeitstage)"),
              "retention_years": _("Löschen nach (Jahren)"), "holiday_region": _("Bundesland für Feiertage"),
              "appointment_on": _("Termin"), "name": _("Datei")}
    topic_names = dict(Topic.choices)
    readers = {
        "topics": lambda value: ", ".join(str(topic_names.get(t, t)) for t in value or []),
        "outcome": lambda value: str(dict(SupportRequest.Outcome.choices).get(value, value)),
        "side": lambda value: str(dict(Message.Side.choices).get(value, value)),
        "kind": lambda value: str(dict(Offer.Kind.choices).get(value, value)),
    }
    return model_details(data, labels=labels, readers=readers)
