from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimapakt.core.fields import (
    MAX_EMPLOYEES,
    GroupedDecimalField,
    GroupedIntegerField,
    YearField,
    bound,
)
from klimapakt.core.validators import single_line

from .models import (
    WZ2008_SECTIONS,
    AgreementVersion,
    Invitation,
    Organisation,
    OrganisationDocument,
    OrientationTalk,
    Target,
)


class InterestForm(forms.ModelForm):
    """Registration of interest: who the organisation is and whom the pact office talks to."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "legal_form", "street", "postal_code", "sector", "employees", "craft_business", "website",
                  "contact_name", "contact_email", "contact_phone"]
        field_classes = {"employees": GroupedIntegerField}
        help_texts = {
            "postal_code": _("Klimapartner können Organisationen mit Sitz in der Stadt werden."),
            "legal_form": _("Zum Beispiel GmbH, KG, e. V. oder Körperschaft des öffentlichen Rechts."),
            "sector": _("Der Abschnitt der Klassifikation der Wirtschaftszweige (WZ 2008)."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("legal_form", "street", "postal_code", "sector", "employees", "contact_name", "contact_email"):
            self.fields[name].required = True
        self.fields["sector"].choices = [("", _("Bitte wählen"))] + list(WZ2008_SECTIONS)
        bound(self.fields["employees"], MAX_EMPLOYEES)
        self.fields["postal_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        if user is not None and not self.is_bound:
            self.initial.setdefault("contact_name", user.get_full_name())
            self.initial.setdefault("contact_email", user.email)

    def _post_clean(self):
        # The services validate the model (and keep `instance` untouched until they save).
        pass


class AgreementForm(forms.Form):
    """Signatory and declarations. Required to submit; a draft may leave them empty."""

    signatory_name = forms.CharField(label=_("Name der unterzeichnenden Person"), max_length=200, error_messages={
        "required": _("Geben Sie an, wer die Vereinbarung unterzeichnet.")})
    signatory_role = forms.CharField(label=_("Funktion der unterzeichnenden Person"), max_length=200,
                                     help_text=_("Zum Beispiel Geschäftsführerin oder Vorstand."), error_messages={
                                         "required": _("Geben Sie die Funktion der unterzeichnenden Person an.")})
    accepts_obligations = forms.BooleanField(
        label=_("Wir erkennen die Pflichten der Klimapartner an: Ausgangsbericht, Monitoringberichte in den "
                "gemeinsamen Jahren und die Endbilanz im Zieljahr."), error_messages={
            "required": _("Um einzureichen, erkennen Sie die Pflichten der Klimapartner an.")})
    consents_publication = forms.BooleanField(
        label=_("Wir willigen ein, dass der Klimapakt uns mit Name, Logo, Beschreibung und Zielen öffentlich als "
                "Klimapartner nennt."), required=False)

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if draft:
            for field in self.fields.values():
                field.required = False


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["base_year", "target_year", "reduction_percent", "reduction_t_co2e", "scopes", "neutral_by",
                  "comment"]
        # Text fields read in German ("5,5" %; a number field of a German browser made it 55)
        field_classes = {"base_year": YearField, "target_year": YearField, "neutral_by": YearField,
                         "reduction_percent": GroupedDecimalField, "reduction_t_co2e": GroupedDecimalField}
        help_texts = {
            "reduction_percent": _("Entweder in Prozent der Emissionen des Basisjahres …"),
            "reduction_t_co2e": _("… oder als absolute Minderung in Tonnen CO₂e."),
        }

    def __init__(self, *args, pact=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pact is not None and not self.instance.pk:
            self.initial.setdefault("target_year", pact.target_year)
            self.initial.setdefault("base_year", timezone.localdate().year - 1)
        self.fields["comment"].widget.attrs["rows"] = 3
        bound(self.fields["base_year"], Target.MAX_TARGET_YEAR)

    def _post_clean(self):
        # Model validation (clean) runs in the service; here only the field types.
        pass


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["listing_consent", "logo", "description", "website", "latitude", "longitude", "show_location"]
        field_classes = {"latitude": GroupedDecimalField, "longitude": GroupedDecimalField}
        help_texts = {
            "latitude": _("Zum Beispiel 51,33292. Sie können den Punkt auch auf der Karte setzen."),
            "longitude": _("Zum Beispiel 6,56248."),
            "description": _("Höchstens 2000 Zeichen: Was macht Ihre Organisation, was tut sie für das Klima?"),
            "logo": _("PNG, JPEG oder WebP, höchstens 2 MB und 4000 × 4000 Pixel. Gespeichert wird eine Kopie von "
                      "höchstens 800 Pixeln Kantenlänge."),
        }
        widgets = {"logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})}

    def _post_clean(self):
        pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("Möchten Sie uns einen Grund nennen?"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    confirm = forms.BooleanField(label=_("Ja, wir treten aus dem Klimapakt aus."), required=True)


class TalkPlanForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Termin"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), help_text=_("Datum und Uhrzeit"))
    location = forms.CharField(label=_("Ort oder Videokonferenz"), max_length=200, required=False)
    participants = forms.CharField(label=_("Teilnehmende"), widget=forms.Textarea(attrs={"rows": 2}),
                                   required=False)
    notes = forms.CharField(label=_("Notizen (nur für die Geschäftsstelle)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))


class TalkHeldForm(forms.Form):
    held_on = forms.DateField(label=_("Geführt am"), widget=forms.DateInput(attrs={"type": "date"},
                                                                             format="%Y-%m-%d"))
    participants = forms.CharField(label=_("Teilnehmende"), widget=forms.Textarea(attrs={"rows": 2}),
                                   required=False)
    notes = forms.CharField(label=_("Notizen zum Gespräch (werden ergänzt, nur für die Geschäftsstelle)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))


class TalkAnswerForm(forms.Form):
    """The organisation's answer to the proposed date of the orientation talk."""

    answer = forms.ChoiceField(
        label=_("Ihre Antwort"), widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        choices=[(OrientationTalk.Answer.ACCEPTED, _("Ja, wir nehmen den Termin wahr.")),
                 (OrientationTalk.Answer.DECLINED, _("Nein, der Termin passt uns nicht."))],
        error_messages={"required": _("Wählen Sie, ob Sie den Termin zusagen oder ablehnen."),
                        "invalid_choice": _("Wählen Sie, ob Sie den Termin zusagen oder ablehnen.")})
    message = forms.CharField(
        label=_("Nachricht an die Geschäftsstelle"), required=False, max_length=OrientationTalk.ANSWER_MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zum Beispiel andere Tage und Uhrzeiten, zu denen Sie können, oder wer teilnimmt."),
        error_messages={"max_length": _("Die Nachricht ist zu lang (höchstens %(limit_value)d Zeichen).")})


class CountersignForm(forms.Form):
    """The office's counter-signature: who signs for the pact (printed in the agreement) and a
    deliberate confirmation, so that no single click makes a partner."""

    name = forms.CharField(label=_("Name der gegenzeichnenden Person"), max_length=200, validators=[single_line])
    role = forms.CharField(label=_("Funktion der gegenzeichnenden Person"), max_length=200, validators=[single_line],
                           help_text=_("Zum Beispiel „Leitung der Geschäftsstelle“. Beides steht in der Vereinbarung."))
    confirm = forms.BooleanField(
        label=_("Ich habe die Vereinbarung geprüft und zeichne sie für den Klimapakt gegen."), required=True,
        error_messages={"required": _("Bitte bestätigen Sie die Gegenzeichnung.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].summary_label = _("Bestätigung")


class ChangesForm(forms.Form):
    comment = forms.CharField(label=_("Was soll geändert werden?"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Neue Notiz"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = OrganisationDocument
        fields = ["title", "file", "shared_with_organisation"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}

    def _post_clean(self):
        pass


class AgreementVersionForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = ["label", "title_de", "title_en", "valid_from", "text_de", "text_en"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def _post_clean(self):
        pass


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]
        help_texts = {"email": _("Die Person erhält eine E-Mail mit einem Link, der 14 Tage gültig ist.")}
