from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .fields import MAX_SMALL, GroupedIntegerField, YearField, bound
from .models import Document, InitialPartner, Pact, Page
from .validators import single_line


class PactForm(forms.ModelForm):
    class Meta:
        model = Pact
        fields = ["city", "name_de", "name_en", "decided_on", "target_year", "monitoring_interval_years",
                  "baseline_report_due_months", "first_monitoring_year", "contact_email", "contact_phone",
                  "office_name_de", "office_name_en", "postal_codes"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "postal_codes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"target_year": YearField, "first_monitoring_year": YearField,
                         "monitoring_interval_years": GroupedIntegerField,
                         "baseline_report_due_months": GroupedIntegerField}


class InitialPartnerForm(forms.ModelForm):
    class Meta:
        model = InitialPartner
        fields = ["name", "short_name", "kind", "website", "position"]
        field_classes = {"position": GroupedIntegerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound(self.fields["position"], MAX_SMALL)


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title_de", "title_en", "lead_de", "lead_en", "body_de", "body_en"]
        widgets = {"lead_de": forms.Textarea(attrs={"rows": 3}), "lead_en": forms.Textarea(attrs={"rows": 3}),
                   "body_de": forms.Textarea(attrs={"rows": 16}), "body_en": forms.Textarea(attrs={"rows": 16})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title_de", "title_en", "dated_on", "description_de", "description_en", "file", "is_public"]
        widgets = {"dated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
                   "description_de": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}


def _privacy_label():
    return format_html(_("Ich habe die <a class=\"kern-link\" href=\"{}\">Datenschutzhinweise</a> gelesen."),
                       reverse_lazy("core:privacy"))


class SignupExtraForm(forms.Form):
    """Added to allauth's sign-up form: the person's name and the privacy notice."""

    first_name = forms.CharField(label=_("Vorname"), max_length=150, validators=[single_line],
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Nachname"), max_length=150, validators=[single_line],
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    privacy_consent = forms.BooleanField(label=lazy(_privacy_label, SafeString)(), required=True,
                                         error_messages={"required": _("Bitte bestätigen Sie die Datenschutzhinweise.")})
    privacy_consent.summary_label = _("Einwilligung Datenschutz")  # the label is a sentence with a link

    def signup(self, request, user):
        from .services import person_signed_up

        person_signed_up(user=user, first_name=self.cleaned_data["first_name"],
                         last_name=self.cleaned_data["last_name"], language=(get_language() or "de")[:2])


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one,
    else above the form. Views of every app use this one function."""
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)
