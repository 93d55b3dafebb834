"""The events app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

ACTIONS = {
    "events.registration.created": gettext_lazy("Anmeldung eingegangen"),
    "events.registration.link_resent": gettext_lazy("Persönlicher Link erneut verschickt"),
    "events.registration.promoted": gettext_lazy("Von der Warteliste bestätigt"),
    "events.registration.cancelled": gettext_lazy("Von der Person abgesagt"),
    "events.registration.deleted": gettext_lazy("Anmeldung gelöscht"),
    "events.registration.moved_to_waitlist": gettext_lazy("Auf die Warteliste gesetzt"),
    "events.registration.waitlist_moved": gettext_lazy("Platz auf der Warteliste geändert"),
    "events.registration.declined": gettext_lazy("Anmeldung abgelehnt"),
    "events.registration.answers_updated": gettext_lazy("Antworten geändert"),
    "events.registration.attendance": gettext_lazy("Anwesenheit eingetragen"),
    "events.registration.checked_in": gettext_lazy("Mit dem Einlass-Code eingecheckt"),
    "events.checkin.refused": gettext_lazy("Einlass-Code abgelehnt"),
    "events.registrations.anonymised": gettext_lazy("Anmeldungen anonymisiert"),
    "events.registrations.exported": gettext_lazy("Anmeldungen exportiert"),
    "events.reminders.sent": gettext_lazy("Erinnerungen verschickt"),
    "events.event.created": gettext_lazy("Veranstaltung angelegt"),
    "events.event.updated": gettext_lazy("Veranstaltung geändert"),
    "events.event.status": gettext_lazy("Status der Veranstaltung geändert"),
    "events.event.duplicated": gettext_lazy("Als Kopie angelegt"),
    "events.event.message_sent": gettext_lazy("Nachricht an die Angemeldeten verschickt"),
    "events.question.created": gettext_lazy("Frage hinzugefügt"),
    "events.question.updated": gettext_lazy("Frage geändert"),
    "events.question.deleted": gettext_lazy("Frage gelöscht"),
    "events.question.moved": gettext_lazy("Frage verschoben"),
}


# Why a check-in code was refused (events.checkin.refused), in the audit log's words.
REFUSAL_REASONS = {
    "invalid": gettext_lazy("kein gültiger Code"),
    "other_event": gettext_lazy("Code einer anderen Veranstaltung"),
    "cancelled": gettext_lazy("Veranstaltung abgesagt"),
    "unknown": gettext_lazy("Anmeldung gibt es nicht mehr"),
    "not_confirmed": gettext_lazy("Anmeldung nicht bestätigt"),
}


def _registration_status(value) -> str:
    from .models import Registration

    try:
        return str(Registration.Status(value).label)
    except ValueError:
        return str(value)


def _event_status(value) -> str:
    from .models import Event

    try:
        return str(Event.Status(value).label)
    except ValueError:
        return str(value)


def _field_names(names) -> str:
    from .models import Event

    labels = []
    for name in names if isinstance(names, list) else [names]:
        if name == "agenda":
            labels.append(_("Geplante Inhalte"))
            continue
        try:
            labels.append(str(Event._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - a field that no longer exists keeps its name
            labels.append(str(name))
    return ", ".join(labels)


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    """An entry's data as (label, text) pairs; the event's number is left out (the object names it)."""
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key in ("event", "question") or value is None:
            continue
        if action == "events.event.status" and key in ("from", "to"):
            continue  # shown together below
        if key == "status":
            rows.append((_("Status"), _registration_status(value)))
        elif key == "from":
            rows.append((_("vorher"), _registration_status(value)))
        elif key == "message":
            rows.append(("", _("mit Nachricht") if value else _("ohne Nachricht")))
        elif key == "automatic":
            rows.append(("", _("automatisch nachgerückt") if value else _("von Hand")))
        elif key == "was_confirmed":
            rows.append(("", _("war bestätigt") if value else _("stand auf der Warteliste")))
        elif key == "direction":
            rows.append(("", _("nach vorn") if value == "up" else _("nach hinten")))
        elif key == "position":
            rows.append((_("jetzt Platz"), value))
        elif key == "attended":
            rows.append(("", _("anwesend") if value else _("nicht anwesend")))
        elif key == "questions":
            rows.append(("", ngettext("%(n)s Antwort", "%(n)s Antworten", len(value)) % {"n": len(value)}))
        elif key == "answers":
            rows.append(("", ngettext("mit %(n)s Antwort", "mit %(n)s Antworten", value) % {"n": value}))
        elif key == "count" and action == "events.registrations.anonymised":
            rows.append(("", ngettext("%(n)s Anmeldung", "%(n)s Anmeldungen", value) % {"n": value}))
        elif key == "count":
            rows.append(("", ngettext("an %(n)s Person", "an %(n)s Personen", value) % {"n": value}))
        elif key == "notified":
            if value:
                rows.append(("", ngettext("%(n)s Person benachrichtigt", "%(n)s Personen benachrichtigt", value)
                             % {"n": value}))
        elif key == "to_status":
            rows.append((_("An"), _registration_status(value)))
        elif key == "before":
            moment = parse_datetime(str(value))
            if moment is not None and timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            rows.append((_("Veranstaltungen beendet vor"),
                         date_format(moment, "SHORT_DATE_FORMAT") if moment else value))
        elif key == "fields":
            rows.append((_("Geändert"), _field_names(value)))
        elif key == "source":
            rows.append((_("Kopie von"), _("Veranstaltung #%(n)s") % {"n": value}))
        elif key == "title":
            rows.append((_("Titel"), value))
        elif key == "label":
            rows.append((_("Frage"), value))
        elif key == "subject":
            rows.append((_("Betreff"), value))
        elif key == "format":
            rows.append((_("Format"), str(value).upper()))
        elif key == "reason":
            rows.append((_("Grund"), str(REFUSAL_REASONS.get(value, value))))
        else:
            from klimapakt.core.audit import plain_details

            rows.extend(plain_details({key: value}))
    if action == "events.event.status" and "to" in data:
        rows.insert(0, ("", f"{_event_status(data.get('from'))} → {_event_status(data['to'])}"))
    return rows
