"""The core app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here
(tests/core/test_audit_names.py fails otherwise)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "core.person.signed_up": gettext_lazy("Konto angelegt"),
    "core.person.deleted": gettext_lazy("Konto gelöscht"),
    "core.pact.updated": gettext_lazy("Einstellungen des Pakts geändert"),
    "core.initial_partner.created": gettext_lazy("Initialpartner hinzugefügt"),
    "core.initial_partner.updated": gettext_lazy("Initialpartner geändert"),
    "core.pact.branding_updated": gettext_lazy("Logo, Unterschrift oder Farbe des Pakts geändert"),
    "core.page.created": gettext_lazy("Seite angelegt"),
    "core.page.updated": gettext_lazy("Seite geändert"),
    "core.page.deleted": gettext_lazy("Seite gelöscht"),
    "core.document.created": gettext_lazy("Dokument hochgeladen"),
    "core.document.updated": gettext_lazy("Dokument geändert"),
    "core.document.deleted": gettext_lazy("Dokument gelöscht"),
    "core.mail.retried": gettext_lazy("E-Mail erneut versendet"),
    "core.task.retried": gettext_lazy("Hintergrundaufgabe erneut gestartet"),
}


def _model(action: str):
    from .models import Document, InitialPartner, Pact, Page

    return {"pact": Pact, "initial_partner": InitialPartner, "page": Page, "document": Document}.get(
        action.split(".")[1])


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    from .audit import model_details

    return model_details(data, model=_model(action), labels={"file": _("Datei"), "user_id": _("Konto")},
                         readers={"user_id": lambda value: f"#{value}"})
