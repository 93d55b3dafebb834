"""What the firm agrees to before a request leaves the platform: which legal entity receives
which data. The same statement is shown on the form and stored with the request."""

from __future__ import annotations

from django.utils.translation import gettext as _


def shared_data(*, measure: bool = False, report: bool = False) -> list[str]:
    """The data the receiver gets; the files are named whether or not the firm attaches any,
    so the statement shown before the files are chosen is the statement stored."""
    items = [_("Name und Anschrift Ihrer Organisation, Branche, Größenklasse"),
             _("Ihr Name und Ihre E-Mail-Adresse als Ansprechperson"),
             _("Ihre Beschreibung und die gewählten Themen"),
             _("die Dateien, die Sie anhängen")]
    if measure:
        items.append(_("die gewählte Maßnahme"))
    if report:
        items.append(_("den gewählten Abschnitt Ihres Berichts"))
    return items


def consent_statement(*, recipient: str, pact_office: str, **shared) -> str:
    """The statement the firm agrees to, with the receiving institution named ("" when the
    pact office receives the request and assigns it)."""
    data = "; ".join(shared_data(**shared))
    if recipient:
        first = _("Ich bin damit einverstanden, dass meine Anfrage mit diesen Angaben an „%(recipient)s“ "
                  "übermittelt wird, eine eigenständige Stelle, die sie zur Beratung verarbeitet: %(data)s.") % {
            "recipient": recipient, "data": data}
    else:
        first = _("Ich bin damit einverstanden, dass die Geschäftsstelle (%(office)s) meine Anfrage mit diesen "
                  "Angaben an den passenden Initialpartner des Klimapakts übermittelt: %(data)s.") % {
            "office": pact_office, "data": data}
    return first + " " + _(
        "Die Stelle darf die Anfrage an einen anderen Initialpartner weiterleiten, wenn dieser besser helfen kann; "
        "Sie erfahren es per E-Mail. Sie können die Anfrage jederzeit zurückziehen.")
