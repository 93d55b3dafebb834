"""The insights app's audit actions in words: the council report and closing a balance year
(registered with core.audit.register_actions in apps.py; tests/core/test_audit_names.py fails
on a key without a name)."""

from django.utils.translation import gettext_lazy

ACTIONS = {
    "insights.council_report.created": gettext_lazy("Sachstandsbericht angelegt"),
    "insights.council_report.saved": gettext_lazy("Texte des Sachstandsberichts gespeichert"),
    "insights.council_export.requested": gettext_lazy("Export des Sachstandsberichts angefordert"),
    "insights.council_export.retried": gettext_lazy("Export des Sachstandsberichts erneut gestartet"),
    "insights.council_export.finished": gettext_lazy("Export des Sachstandsberichts fertiggestellt"),
    "insights.council_export.failed": gettext_lazy("Export des Sachstandsberichts fehlgeschlagen"),
    "insights.balance_year.closed": gettext_lazy("Bilanzjahr abgeschlossen und veröffentlicht"),
}


def details(action: str, data: dict):
    """The entries' data in words: the report's fields by their labels, the version's number."""
    from django.utils.translation import gettext as _

    from klimapakt.core.audit import model_details

    from ..models import CouncilReport

    if action == "insights.balance_year.closed":
        return model_details(data, labels={"year": _("Bilanzjahr"), "reports": _("Veröffentlichte Berichte")},
                             readers={"automatic": lambda value: _("automatisch") if value else None})
    return model_details(data, model=CouncilReport, labels={"version": _("Fassung")})
