"""Forms of the firm's requests: the request (step 1), the consent with the files (step 2), a
draft to confirm, a message, the grant and the withdrawal. The services check everything
again; the forms only read the typed values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic
from .services.conversation import MAX_FILES_PER_UPLOAD

FILE_TYPES = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
OFFICE = "office"   # the review step's recipient when the pact office receives the request


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their number, types and sizes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_TYPES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def files_help():
    return _("PDF, PNG oder JPEG, höchstens %(n)s Dateien auf einmal, je höchstens 10 MB.") % {
        "n": MAX_FILES_PER_UPLOAD}


class DraftForm(forms.Form):
    """What the firm states: offer (or not sure), need, topics, grant. A draft prepared by the
    office is confirmed with this form."""

    offer = forms.ChoiceField(label=_("Angebot"), required=False,
                              help_text=_("Wenn Sie nicht sicher sind, ordnen wir Ihre Anfrage nach Thema und "
                                          "Branche einer passenden Einrichtung zu."))
    description = forms.CharField(label=_("Wobei brauchen Sie Unterstützung?"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Beschreiben Sie Ihr Vorhaben oder Ihre Frage in ein paar Sätzen."))
    topics = forms.MultipleChoiceField(label=_("Themen"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple)
    grant_access = forms.BooleanField(
        label=_("Einsicht gewähren: Die Einrichtung, die meine Anfrage bearbeitet, darf unsere CO₂-Bilanz, "
                "Ziele, Maßnahmen und Berichte lesen, solange die Anfrage offen ist."),
        required=False, help_text=_("Sie können die Einsicht jederzeit auf der Seite der Anfrage widerrufen."))

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = offers
        self.fields["topics"].error_messages["required"] = _("Bitte wählen Sie mindestens ein Thema.")
        self.fields["description"].error_messages["required"] = _(
            "Bitte beschreiben Sie, wobei Sie Unterstützung brauchen.")


class RequestForm(DraftForm):
    """A new request: a draft's fields and the optional link to a measure or a report."""

    measure = forms.ChoiceField(label=_("Zu dieser Maßnahme"), required=False)
    report = forms.ChoiceField(label=_("Zu diesem Bericht"), required=False)
    report_section = forms.ChoiceField(label=_("Abschnitt des Berichts"), required=False)

    field_order = ["offer", "description", "topics", "measure", "report", "report_section", "grant_access"]

    def __init__(self, *args, measures, reports, sections, **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", _("– keine Angabe –"))]
        self.fields["measure"].choices = none + list(measures)
        self.fields["report"].choices = none + list(reports)
        self.fields["report_section"].choices = none + list(sections)
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if data.get("report_section") and not data.get("report"):
            self.add_error("report", _("Bitte wählen Sie den Bericht zum Abschnitt."))
        return data


class ConsentForm(forms.Form):
    """Step 2: the firm has seen the recipient and the data and agrees; files go here (a file
    cannot survive the step between two pages)."""

    recipient = forms.CharField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(label=_("Dateien anhängen"))
    consent = forms.BooleanField(label=_("Ich bin mit der Übermittlung wie oben beschrieben einverstanden."),
                                 error_messages={"required": _("Bitte stimmen Sie der Übermittlung zu; ohne Ihre "
                                                               "Zustimmung können wir die Anfrage nicht weitergeben.")})

    def __init__(self, *args, with_files: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].summary_label = _("Einwilligung")
        if with_files:
            self.fields["files"].help_text = files_help()
        else:
            del self.fields["files"]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Ihre Nachricht"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("Bitte schreiben Sie eine Nachricht.")})
    files = MultipleFileField(label=_("Dateien anhängen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("Ja, ich möchte diese Anfrage zurückziehen."),
                                 error_messages={"required": _("Bitte bestätigen Sie, dass Sie die Anfrage "
                                                               "zurückziehen möchten.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].summary_label = _("Bestätigung")
