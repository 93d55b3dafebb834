"""Check-in with the registration's QR code (docs/events.md, "QR check-in"): the organiser's
scanner page. The phone's camera reads the code (static/klimapakt/checkin-scanner.js:
BarcodeDetector where the browser has it, else the vendored jsQR) and puts it into the page's
text field, which is also where a code can be typed or pasted; the form posts it here. The
name search (``event_office:check_in``) stays the fallback."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core import formatting
from klimapakt.core.backoffice import permission, render_office
from klimapakt.core.middleware import permissions_policy

from . import checkin, selectors, services
from .backoffice import PERM, _event_for


class CheckInCodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=checkin.MAX_CODE_LENGTH, strip=True,
                           help_text=gettext_lazy("Füllt sich beim Scannen von selbst; Sie können den Code auch "
                                                  "eintippen oder einfügen."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off",
                                                         "spellcheck": "false"}))


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return formatting.time(local) if local.date() == timezone.localdate() else formatting.moment(moment)


def _message(result: services.CheckInResult) -> tuple[str, str]:
    """(KERN alert tone, sentence) for the outcome of a code."""
    r = result.registration
    if result.outcome == "checked_in":
        return "success", _("Eingecheckt: %(name)s (%(organisation)s).") % {"name": r.full_name,
                                                                          "organisation": r.organisation}
    if result.outcome == "already":
        return "info", _("%(name)s ist bereits eingecheckt um %(time)s Uhr.") % {
            "name": r.full_name, "time": _when(r.checked_in_at)} if r.checked_in_at else _(
            "%(name)s ist bereits als anwesend markiert.") % {"name": r.full_name}
    if result.outcome == "other_event":
        return "danger", _("Dieser Code gehört zu einer anderen Veranstaltung. Kein Einlass mit diesem Code.")
    if result.outcome == "cancelled":
        return "danger", _("Diese Veranstaltung ist abgesagt. Es gibt keinen Einlass.")
    if result.outcome == "unknown":
        return "danger", _("Zu diesem Code gibt es keine Anmeldung mehr (sie wurde gelöscht).")
    if result.outcome == "not_confirmed":
        return "danger", _("Die Anmeldung von %(name)s ist nicht bestätigt (Status: %(status)s). Kein Einlass "
                           "mit diesem Code.") % {"name": r.full_name, "status": r.get_status_display()}
    return "danger", _("Dieser Code ist ungültig. Bitte prüfen Sie ihn oder suchen Sie die Person über ihren "
                       "Namen.")


@permission(PERM)
def check_in_scan(request, pk):
    event = _event_for(request, pk)
    form = CheckInCodeForm(request.POST or None)
    result = None
    if request.method == "POST":
        if form.is_valid():
            outcome = services.check_in_by_code(event=event, code=form.cleaned_data["code"], actor=request.user)
            tone, text = _message(outcome)
            result = {"tone": tone, "text": text, "ok": outcome.ok}
            form = CheckInCodeForm()  # an empty field for the next person
        elif "code" in form.errors and not request.POST.get("code", "").strip():
            pass  # the field's own error ("Bitte geben Sie … an.")
        else:
            tone, text = _message(services.CheckInResult("invalid"))
            result = {"tone": tone, "text": text, "ok": False}
            form = CheckInCodeForm()
    response = render_office(request, "events/backoffice/check_in_scan.html", {
        "event": event, "form": form, "result": result, "counts": selectors.check_in_counts(event)})
    # The only page that may use the camera (settings.PERMISSIONS_POLICY switches it off elsewhere).
    response["Permissions-Policy"] = permissions_policy({**settings.PERMISSIONS_POLICY, "camera": ["self"]})
    response["Cache-Control"] = "no-store"
    return response
