"""The reports app's audit actions in words for the back office's log (registered with
core.audit.register_actions in apps.py). One mapping: a new action key gets its name here
(tests/core/test_audit_names.py fails otherwise)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "reports.measure.created": gettext_lazy("Maßnahme angelegt"),
    "reports.measure.changed": gettext_lazy("Maßnahme geändert"),
    "reports.measure.deleted": gettext_lazy("Maßnahme gelöscht"),
    "reports.template.created": gettext_lazy("Vorlage für Maßnahmen angelegt"),
    "reports.template.changed": gettext_lazy("Vorlage für Maßnahmen geändert"),
    "reports.consent.changed": gettext_lazy("Einwilligung in die Veröffentlichung der Zahlen geändert"),
    "reports.report.created": gettext_lazy("Bericht angelegt"),
    "reports.report.saved": gettext_lazy("Bericht gespeichert"),
    "reports.report.submitted": gettext_lazy("Bericht eingereicht"),
    "reports.report.resubmitted": gettext_lazy("Bericht erneut eingereicht"),
    "reports.report.returned": gettext_lazy("Bericht zur Überarbeitung zurückgegeben"),
    "reports.report.accepted": gettext_lazy("Bericht angenommen"),
    "reports.report.reopened": gettext_lazy("Angenommenen Bericht zur Korrektur geöffnet"),
    "reports.reminder.sent": gettext_lazy("An den Bericht erinnert"),
}

# Object numbers: the entry's object (the report, measure or organisation) names what they point to.
_SKIP = ("organisation", "measure", "balance")


def _model(action: str):
    from .models import Measure, MeasureTemplate, Reminder, Report

    return {"measure": Measure, "template": MeasureTemplate, "reminder": Reminder}.get(action.split(".")[1], Report)


def _choice(choices):
    return lambda value: str(dict(choices).get(value, value))


def details(action: str, data: dict) -> list[tuple[str, Any]]:
    from klimapakt.core.audit import date_text, model_details, number_text

    from .models import Measure, Reminder, Section

    labels = {"title": _("Titel"), "active": _("Im Katalog anbieten"), "version": _("Fassung"),
              "total_location_t": _("Gesamt (standortbasiert)"), "sections": _("Anmerkungen zu"),
              "step": _("Erinnerung"), "due_on": _("Fällig am"), "from_status": _("vorher"),
              "reason": _("Begründung")}
    readers = {
        "publish_figures": lambda value: (_("Zahlen dürfen veröffentlicht werden") if value
                                          else _("Zahlen werden nicht veröffentlicht")),
        "prefilled_from": lambda value: _("aus Bericht #%(n)s vorausgefüllt") % {"n": value},
        "total_location_t": lambda value: f"{number_text(value)} t CO₂e",
        "sections": lambda value: ", ".join(_choice(Section.choices)(key) for key in value),
        "step": _choice(Reminder.Step.choices),
        "due_on": date_text,
        "from_status": _choice(Measure.Status.choices),
    }
    skip = _SKIP
    if data.get("from_status") == data.get("status"):
        skip += ("from_status",)  # the status did not change
    return model_details(data, model=_model(action), labels=labels, readers=readers, skip=skip)
