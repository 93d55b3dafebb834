"""The partners app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here
(tests/core/test_audit_names.py fails otherwise)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

ACTIONS = {
    "partners.organisation.created": gettext_lazy("Organisation angelegt"),
    "partners.interest.registered": gettext_lazy("Interesse angemeldet"),
    "partners.invitation.created": gettext_lazy("Einladung verschickt"),
    "partners.invitation.accepted": gettext_lazy("Einladung angenommen"),
    "partners.membership.removed": gettext_lazy("Mitglied entfernt"),
    "partners.organisation.updated": gettext_lazy("Daten der Organisation geändert"),
    "partners.organisation.deleted": gettext_lazy("Organisation ohne Mitglieder gelöscht"),
    "partners.organisation.anonymised": gettext_lazy("Organisation ohne Mitglieder anonymisiert"),
    "partners.profile.updated": gettext_lazy("Öffentliches Profil geändert"),
    "partners.talk.planned": gettext_lazy("Orientierungsgespräch geplant"),
    "partners.talk.accepted": gettext_lazy("Gesprächstermin zugesagt"),
    "partners.talk.declined": gettext_lazy("Gesprächstermin abgelehnt"),
    "partners.talk.held": gettext_lazy("Orientierungsgespräch geführt"),
    "partners.talk.reminder_sent": gettext_lazy("An den Gesprächstermin erinnert"),
    "partners.talk.office_notified": gettext_lazy("Geschäftsstelle an die fehlende Antwort erinnert"),
    "partners.agreement_version.created": gettext_lazy("Fassung der Vereinbarung angelegt"),
    "partners.agreement_version.updated": gettext_lazy("Fassung der Vereinbarung geändert"),
    "partners.agreement.saved": gettext_lazy("Vereinbarung gespeichert"),
    "partners.agreement.submitted": gettext_lazy("Vereinbarung unterzeichnet und eingereicht"),
    "partners.agreement.changes_requested": gettext_lazy("Änderungen an der Vereinbarung erbeten"),
    "partners.agreement.signed": gettext_lazy("Vereinbarung gegengezeichnet"),
    "partners.target.created": gettext_lazy("Reduktionsziel angelegt"),
    "partners.target.updated": gettext_lazy("Reduktionsziel geändert"),
    "partners.target.revised": gettext_lazy("Reduktionsziel neu gefasst"),
    "partners.target.deleted": gettext_lazy("Reduktionsziel gelöscht"),
    "partners.target.withdrawn": gettext_lazy("Reduktionsziel zurückgezogen"),
    "partners.partnership.left": gettext_lazy("Aus dem Klimapakt ausgetreten"),
    "partners.partnership.paused": gettext_lazy("Partnerschaft pausiert"),
    "partners.partnership.resumed": gettext_lazy("Partnerschaft fortgesetzt"),
    "partners.partnership.ended": gettext_lazy("Partnerschaft beendet"),
    "partners.note.added": gettext_lazy("Notiz hinzugefügt"),
    "partners.document.added": gettext_lazy("Dokument hinzugefügt"),
    "partners.document.deleted": gettext_lazy("Dokument gelöscht"),
}

# Object numbers: the entry's object (the organisation) names what they point to.
_SKIP = ("talk", "agreement", "target", "previous", "note", "document")


def _model(action: str):
    from .models import AgreementVersion, Invitation, Organisation, OrientationTalk, Target

    part = action.split(".")[1]
    return {"invitation": Invitation, "membership": Invitation, "talk": OrientationTalk, "target": Target,
            "agreement_version": AgreementVersion}.get(part, Organisation)


def _stage(value) -> str:
    from .models import Organisation

    return str(dict(Organisation.Stage.choices).get(value, value))


def _answer(value) -> str:
    from .models import OrientationTalk

    return str(dict(OrientationTalk.Answer.choices).get(value, value))


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    from klimapakt.core.audit import date_text, model_details

    labels = {"from": _("vorher"), "previous": _("vorher"), "reason": _("Begründung"), "comment": _("Anmerkung"),
              "message": _("Nachricht"), "version": _("Fassung"), "signatory": _("Unterzeichnet von"),
              "signed_on": _("Gegengezeichnet am"), "baseline_report_due": _("Ausgangsbericht fällig am"),
              "title": _("Titel"), "file": _("Datei")}
    readers = {
        "from": _stage,
        "signed_on": date_text,
        "baseline_report_due": date_text,
        "new_member": lambda value: _("neues Mitglied") if value else _("war bereits Mitglied"),
        "answer_reset": lambda value: _("die Antwort der Organisation wurde zurückgesetzt") if value else None,
        "created": lambda value: _("neu angelegt") if value else None,
        "shared": lambda value: _("für die Organisation sichtbar") if value else _("nur für die Geschäftsstelle"),
        "recipients": lambda value: ngettext("an %(n)s Person", "an %(n)s Personen", value) % {"n": value},
    }
    skip = _SKIP
    if action in ("partners.talk.accepted", "partners.talk.declined"):
        readers["previous"] = _answer
        skip = tuple(key for key in _SKIP if key != "previous")
        if data.get("previous") == "proposed":
            skip += ("previous",)  # the first answer: nothing was there before
    elif action == "partners.target.revised":
        labels.pop("version")  # the target's own field "Fassung"
    return model_details(data, model=_model(action), labels=labels, readers=readers, skip=skip)
