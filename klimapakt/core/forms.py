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


class CustomPageForm(forms.ModelForm):
    """A page the office adds or edits: its address and footer place with the texts."""

    class Meta:
        model = Page
        fields = ["slug", "title_de", "title_en", "in_footer", "position", "lead_de", "lead_en", "body_de",
                  "body_en"]
        widgets = PageForm.Meta.widgets
        field_classes = {"position": GroupedIntegerField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound(self.fields["position"], MAX_SMALL)
        self.fields["title_de"].validators.append(single_line)
        self.fields["title_en"].validators.append(single_line)

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip().lower()

    def validate_unique(self):
        """The (pact, slug) rule is checked by the service, worded for the office."""


class BrandingForm(forms.Form):
    """The city's logo, signature and accent colour (core.branding has the rules)."""

    logo = forms.FileField(
        label=_("Logo oder Stadtwappen"), required=False,
        help_text=_("PNG oder JPEG, höchstens 2 MB und 4000 × 4000 Pixel. Erscheint im Kopf jeder Seite, in "
                    "E-Mails, auf der Vereinbarung und der Urkunde."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_logo = forms.BooleanField(label=_("Logo entfernen"), required=False)
    signature = forms.FileField(
        label=_("Unterschrift"), required=False,
        help_text=_("Ein Bild der Unterschrift (PNG oder JPEG) für die Urkunde und die gegengezeichnete "
                    "Vereinbarung. Es wird nicht öffentlich abgelegt."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
    remove_signature = forms.BooleanField(label=_("Unterschrift entfernen"), required=False)
    signature_name = forms.CharField(label=_("Name und Funktion unter der Unterschrift"), required=False,
                                     max_length=150, validators=[single_line])
    accent_colour = forms.ChoiceField(
        label=_("Akzentfarbe"), widget=forms.RadioSelect,
        help_text=_("Farben des Designsystems KERN. Jede hat genug Kontrast für weiße Schrift und als Schrift "
                    "auf weißem Grund."))

    def __init__(self, *args, **kwargs):
        from .branding import ACCENT_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["accent_colour"].choices = ACCENT_CHOICES

    def _image(self, name):
        from .branding import validate_image

        upload = self.cleaned_data.get(name)
        if upload:
            validate_image(upload)
        return upload or None

    def clean_logo(self):
        return self._image("logo")

    def clean_signature(self):
        return self._image("signature")


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
