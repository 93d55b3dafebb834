"""The back office's offer form. Size classes, sectors and languages are checkboxes (stored as
tags by the service); the institution is chosen by the pact office only, an advisor's is fixed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klimapakt.core.models import InitialPartner
from klimapakt.partners.models import SIZE_CLASSES, WZ2008_SECTIONS

from .models import Language, Offer

MODEL_FIELDS = ["kind", "title_de", "title_en", "summary_de", "summary_en", "benefits_de", "benefits_en",
                "requirements_de", "requirements_en", "audience", "is_free", "price_de", "price_en",
                "contact_name", "contact_email", "contact_phone", "is_published", "position"]


class OfferForm(forms.ModelForm):
    institution = forms.ModelChoiceField(label=_("Einrichtung"), queryset=InitialPartner.objects.none(),
                                         empty_label=None)
    size_classes = forms.MultipleChoiceField(
        label=_("Größenklassen"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, label, _low, _high in SIZE_CLASSES],
        help_text=_("Keine Auswahl: für Unternehmen jeder Größe."))
    sectors = forms.MultipleChoiceField(
        label=_("Branchen (WZ 2008)"), required=False, widget=forms.CheckboxSelectMultiple, choices=WZ2008_SECTIONS,
        help_text=_("Keine Auswahl: für alle Branchen."))
    languages = forms.MultipleChoiceField(
        label=_("Sprachen der Beratung"), widget=forms.CheckboxSelectMultiple, choices=Language.choices,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Sprache der Beratung.")})

    field_order = ["institution", "kind", "title_de", "title_en", "summary_de", "summary_en", "benefits_de",
                   "benefits_en", "requirements_de", "requirements_en", "audience", "size_classes", "sectors",
                   "is_free", "price_de", "price_en", "languages", "contact_name", "contact_email", "contact_phone",
                   "is_published", "position"]

    class Meta:
        model = Offer
        fields = MODEL_FIELDS
        widgets = {"summary_de": forms.Textarea(attrs={"rows": 3}), "summary_en": forms.Textarea(attrs={"rows": 3})}
        labels = {"contact_email": _("E-Mail der Ansprechperson"), "contact_phone": _("Telefon der Ansprechperson")}
        help_texts = {
            "contact_email": _("E-Mail-Adresse oder Telefonnummer: Mindestens eines von beiden ist nötig."),
            "title_en": _("Leer lassen: Die englische Seite zeigt den deutschen Text. Das gilt für alle englischen "
                          "Felder."),
            "benefits_de": _("In Markdown: Leerzeile für einen neuen Absatz, „- “ für eine Aufzählung."),
            "requirements_de": _("Zum Beispiel Strom- und Gasrechnungen der letzten zwölf Monate."),
            "price_de": _("Pflicht, wenn das Angebot nicht kostenfrei ist, zum Beispiel „50 % Eigenanteil, "
                          "höchstens 400 Euro“."),
            "is_published": _("Nur veröffentlichte Angebote erscheinen auf der Seite „Unterstützung“ und in der API."),
            "position": _("Kleinere Zahlen stehen weiter oben in der Liste der Einrichtung."),
        }

    def __init__(self, *args, pact, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_pact_office:
            self.fields["institution"].queryset = InitialPartner.objects.filter(pact=pact)
            if self.instance.pk:
                self.fields["institution"].initial = self.instance.institution_id
        else:
            # An advisor's offers belong to their institution: not a choice.
            del self.fields["institution"]
        if self.instance.pk:
            self.fields["size_classes"].initial = self.instance.size_class_list
            self.fields["sectors"].initial = self.instance.sector_list
            self.fields["languages"].initial = self.instance.language_list
        else:
            self.fields["languages"].initial = [Language.DE]

    def _post_clean(self):
        # The service checks the offer (offer_check) and names the field of each problem; the
        # model's own validation would run here without the pact and institution set.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in MODEL_FIELDS}
        for name in ("size_classes", "sectors", "languages"):
            data[name] = self.cleaned_data.get(name) or []
        return data
