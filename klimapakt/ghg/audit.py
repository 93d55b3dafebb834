"""The ghg app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here
(tests/core/test_audit_names.py fails otherwise)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

ACTIONS = {
    "ghg.activity.created": gettext_lazy("Verbrauchsangabe eingetragen"),
    "ghg.activity.deleted": gettext_lazy("Verbrauchsangabe gelöscht"),
    "ghg.activity.changed": gettext_lazy("Verbrauchsangabe korrigiert"),
    "ghg.year.replaced": gettext_lazy("Verbrauchsangaben eines Jahres ersetzt"),
    "ghg.balance.key_figures": gettext_lazy("Kennzahlen der Bilanz geändert"),
    "ghg.balance.frozen": gettext_lazy("CO₂-Bilanz festgeschrieben"),
    "ghg.balance.unfrozen": gettext_lazy("CO₂-Bilanz zur Korrektur geöffnet"),
    "ghg.factor.edition_created": gettext_lazy("Neue Ausgabe eines Emissionsfaktors angelegt"),
    "ghg.factor.created": gettext_lazy("Emissionsfaktor angelegt"),
    "ghg.edition.loaded": gettext_lazy("Neue Ausgabe von Emissionsfaktoren geladen"),
    "ghg.import.uploaded": gettext_lazy("Tabelle zum Import hochgeladen"),
    "ghg.import.done": gettext_lazy("Tabelle importiert"),
    "ghg.import.retried": gettext_lazy("Import erneut gestartet"),
}


def _model(action: str):
    from .models import ActivityLine, Balance, EmissionFactor

    return {"activity": ActivityLine, "balance": Balance, "factor": EmissionFactor}.get(action.split(".")[1])


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    from klimapakt.core.audit import model_details, number_text

    labels = {"old_value": _("vorher"), "total_location_t": _("Gesamt (standortbasiert)"), "filename": _("Datei"),
              "years": _("Jahre"), "line": _("Zeile Nr."), "reason": _("Begründung"),
              "total_location_t_after": _("Gesamt (standortbasiert) danach"), "removed": _("Gelöschte Zeilen"),
              "added": _("Neue Zeilen"), "mode": _("Vorgehen"), "year": _("Jahr"), "edition": _("Ausgabe")}
    readers = {
        "old_value": number_text,
        "total_location_t": lambda value: f"{number_text(value)} t CO₂e",
        "total_location_t_after": lambda value: f"{number_text(value)} t CO₂e",
        "mode": lambda value: _("Ersetzen") if value == "replace" else _("Ergänzen"),
        "rows": lambda value: ngettext("%(n)s Zeile", "%(n)s Zeilen", value) % {"n": value},
        "errors": lambda value: (ngettext("%(n)s Fehler", "%(n)s Fehler", value) % {"n": value}) if value else None,
    }
    return model_details(data, model=_model(action), labels=labels, readers=readers)
