"""Forms of the CO2 balance. Numbers are entered as text (German "1.234,5" or "1234.5") and
checked by the calculation engine, which names the field in its message. The guided entry
lives in ``guided.py``; the shared fields and number reading in ``fields.py``."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from klimapakt.core.fields import MAX_EMPLOYEES, YearField

from . import calculation
from .fields import (
    GroupedDecimalField,
    GroupedIntegerField,
    localized_number,
    number_field,
    year_choices,
)
from .guided import GAS_BILL_HELP, GuidedEntryForm, refrigerant_label
from .labels import CATEGORY_LABELS, carrier_label, unit_label, units_text
from .models import EmissionFactor, FactorStatus, Scope

__all__ = ["ActivityForm", "FactorEditionForm", "FactorForm", "GuidedEntryForm", "ImportForm",
           "KeyFiguresForm", "localized_number", "year_choices"]

_number = number_field
SCOPE_GROUPS = {1: _("Scope 1: Brennstoffe, Kraftstoffe, Kältemittel"),
                2: _("Scope 2: eingekaufter Strom und eingekaufte Wärme"),
                3: _("Scope 3: Reisen und weitere")}


def preferred_unit(table: calculation.FactorTable, carrier: str) -> str:
    """The unit a bill of this carrier usually states: litres of heating oil, kWh (Brennwert)
    of gas, else the factor's own unit."""
    units = table.units_for(carrier)
    unit = table.carrier_info(carrier).unit
    if unit == "kWh_hi":
        unit = next((u for u in ("l", "kWh_hs") if u in units), unit)
    return unit if unit in units else (units[0] if units else "")


class ActivityForm(forms.Form):
    """One line for any carrier, with the fields only some carriers need (refrigerant, gas in
    m³, supplier factor, Scope 3 category), site, evidence and the bill. The fields of a kind
    of line are grouped under a heading saying when they apply; a small script hides the
    groups that do not apply to the chosen carrier (without it, all are shown)."""

    carrier = forms.ChoiceField(label=_("Energieträger"))
    quantity = _number(_("Menge"), _("Wie auf der Rechnung, z. B. 12.345,6."), required=True)
    unit = forms.ChoiceField(
        label=_("Einheit"),
        help_text=_("Erdgas laut Rechnung: „kWh (Brennwert)“; „kWh (Heizwert)“ ist die kleinere Zahl ohne die "
                    "Kondensationswärme. Steht auf der Rechnung nur der Verbrauch in m³, wählen Sie „m³“ und tragen "
                    "Sie Brennwert und Zustandszahl ein."))
    refrigerant = forms.ChoiceField(
        label=pgettext_lazy("one refrigerant", "Kältemittel"), required=False,
        help_text=_("Steht im Wartungsprotokoll und auf dem Typenschild der Anlage. Die Menge ist, was im Jahr "
                    "nachgefüllt wurde (in kg): So viel ist vorher entwichen."))
    calorific_value_kwh_per_m3 = _number(_("Brennwert (kWh je m³)"),
                                         _("Steht auf der Gasrechnung in kWh je m³, bei Erdgas meist zwischen 10 und "
                                           "12, z. B. 11,254."))
    z_number = _number(_("Zustandszahl"), _("Steht neben dem Brennwert, meist zwischen 0,9 und 1, z. B. 0,9543."))
    supplier_factor = _number(_("Faktor des Lieferanten (kg CO₂ je kWh)"),
                              _("Aus der Stromkennzeichnung oder dem Zertifikat des Fernwärme-Versorgers."))
    category = forms.ChoiceField(
        label=_("Kategorie"), required=False, widget=forms.RadioSelect,
        choices=[("", _("keine Angabe")), *CATEGORY_LABELS.items()],
        help_text=_("Fahrten mit Firmenfahrzeugen zählen schon beim Kraftstoff (Scope 1): tragen Sie sie hier "
                    "nicht noch einmal ein."))
    site = forms.CharField(label=_("Standort"), required=False, max_length=200)
    evidence_note = forms.CharField(label=_("Nachweis"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Z. B. Rechnungsnummer und Zeitraum."))
    attachment = forms.FileField(label=_("Beleg (PDF, PNG oder JPEG, höchstens 10 MB)"), required=False,
                                 help_text=_("Die Datei sehen nur Ihre Organisation und die Geschäftsstelle."))

    def __init__(self, *args, table: calculation.FactorTable, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        carriers = table.carriers()
        by_scope: dict[int, list] = {}
        for carrier in carriers:
            info = table.carrier_info(carrier)
            by_scope.setdefault(info.scope, []).append((carrier, info.name_de))
        self.fields["carrier"].choices = [("", _("– bitte wählen –"))] + [
            (SCOPE_GROUPS.get(scope, f"Scope {scope}"), items) for scope, items in sorted(by_scope.items())]
        units = []
        for carrier in carriers:
            for unit in table.units_for(carrier):
                if unit not in units:
                    units.append(unit)
        self.fields["unit"].choices = [("", _("– bitte wählen –"))] + [(u, unit_label(u)) for u in units]
        codes = table.variants("refrigerant") if table.has_carrier("refrigerant") else []
        self.fields["refrigerant"].choices = [("", _("– bitte wählen –"))] + [
            (code, refrigerant_label(table, code)) for code in codes]
        self.carriers_of = {
            "refrigerant": [c for c in carriers if table.variant_field(c)],
            "gas": [c for c in carriers if table.gas_by_volume(c, "m3")],
            "supplier": [c for c in carriers if table.carrier_info(c).scope == 2],
            "category": [c for c in carriers if table.carrier_info(c).scope == 3],
        }

    def clean(self):
        """Every mistake at once, each under its field and in words without keys: the checks of
        this form, then the engine's (the year of the line is the view's; the service checks
        again with it when saving)."""
        data = super().clean()
        carrier, unit = data.get("carrier"), data.get("unit")
        if not carrier or not self.table.has_carrier(carrier):
            return data
        language = (get_language() or "de")[:2]
        if data.get("refrigerant") and carrier not in self.carriers_of["refrigerant"]:
            self.add_error("refrigerant", _("Ein Kältemittel gehört nur zu einer Zeile mit dem Energieträger "
                                            "„Kältemittel“. Bitte wählen Sie diesen oder lassen Sie das Feld leer."))
        units = self.table.units_for(carrier)
        if unit and unit not in units:
            self.add_error("unit", gettext("„%(unit)s“ passt nicht zu %(carrier)s. Möglich: %(allowed)s.") % {
                "unit": unit_label(unit), "carrier": carrier_label(self.table, carrier, language=language),
                "allowed": units_text(units)})
        line = {"carrier": carrier, "quantity": localized_number(data.get("quantity")), "unit": unit,
                "supplier_factor_kg_per_kwh": localized_number(data.get("supplier_factor")) or None,
                "refrigerant": data.get("refrigerant") or None, "category": data.get("category") or None,
                # Brennwert (about 11) and Zustandszahl (about 0.95) are never digit-grouped
                "calorific_value_kwh_per_m3": data.get("calorific_value_kwh_per_m3") or None,
                "z_number": data.get("z_number") or None}
        try:
            calculation.calculate(self.table, self.initial.get("year") or datetime.date.today().year, [line])
        except calculation.CalculationError as error:
            for message in error.errors:
                name = {"supplier_factor_kg_per_kwh": "supplier_factor"}.get(message.field or "", message.field)
                target = name if name in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, message.message(gettext, language))
        return data

    def groups(self) -> list[dict]:
        """The fields in groups, each with the carriers (and unit) it applies to, for the template."""
        def group(id_, heading, help_text, names, applies="", unit="", needed=""):
            return {"id": id_, "heading": heading, "help": help_text, "fields": [self[n] for n in names],
                    "carriers": " ".join(self.carriers_of.get(applies, [])), "unit": unit, "needed": needed}
        return [
            group("line", "", "", ["carrier", "quantity", "unit"]),
            group("refrigerant", _("Nur bei Kältemitteln"), "", ["refrigerant"], "refrigerant",
                  needed=_("Pflicht bei Kältemitteln")),
            group("gas", _("Nur bei Gas in m³"), GAS_BILL_HELP, ["calorific_value_kwh_per_m3", "z_number"], "gas",
                  "m3", needed=_("Pflicht bei Gas in m³")),
            group("supplier", _("Nur bei Strom und Fernwärme"), "", ["supplier_factor"], "supplier"),
            group("category", _("Nur bei Scope 3: Dienstreisen oder Pendeln"), "", ["category"], "category"),
            group("evidence", _("Standort und Nachweis"), "", ["site", "evidence_note", "attachment"]),
        ]

    def units_json(self) -> str:
        """Per carrier the units it may be given in and the usual one (for the script)."""
        return json.dumps({c: {"units": self.table.units_for(c), "usual": preferred_unit(self.table, c)}
                           for c in self.table.carriers()})


class KeyFiguresForm(forms.Form):
    employees = GroupedIntegerField(label=_("Beschäftigte im Jahr"), min_value=1, max_value=MAX_EMPLOYEES,
                                    required=False,
                                   help_text=_("Für die Kennzahl „t CO₂e je beschäftigter Person“."))
    turnover_meur = GroupedDecimalField(label=_("Umsatz im Jahr (Mio. EUR)"), min_value=0.001, max_digits=14,
                                        decimal_places=3, required=False,
                                        help_text=_("Freiwillig; für die Kennzahl „t CO₂e je Mio. EUR Umsatz“."))
    renewable_electricity_percent = GroupedDecimalField(
        label=_("Anteil erneuerbarer Energien am Strom (%)"), min_value=0, max_value=100, max_digits=5,
        decimal_places=2, required=False,
        help_text=_("Freiwillig; aus der Stromkennzeichnung Ihres Lieferanten (Rechnung oder Website), z. B. 100 "
                    "bei einem Ökostromtarif. Für die Energieangabe nach dem EU-Standard VSME (B3)."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ausgefüllte Vorlage (XLSX oder CSV)"),
                           help_text=_("Die Datei wird vollständig geprüft. Erst nach Ihrer Bestätigung wird "
                                       "gespeichert: alle Zeilen oder keine."))


class FactorEditionForm(forms.Form):
    value = GroupedDecimalField(label=_("Neuer Wert (kg CO₂e je Einheit)"), min_value=0, max_digits=18,
                                decimal_places=9, localize=True)
    status = forms.ChoiceField(label=_("Stand des Werts"), required=False,
                               choices=[("", _("keine Angabe"))] + list(FactorStatus.choices),
                               help_text=_("Wie die Quelle den Wert nennt, z. B. „vorläufig“ für das Vorjahr."))
    source = forms.CharField(label=_("Quelle"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Hinweis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FactorForm(forms.ModelForm):
    class Meta:
        model = EmissionFactor
        fields = ["carrier", "variant", "composition", "name_de", "name_en", "scope", "unit", "value", "year", "status",
                  "source", "note"]
        localized_fields = ["value"]
        field_classes = {"value": GroupedDecimalField,  # a German GWP "3.922" is 3922, not 3.922
                         "year": YearField}
        help_texts = {
            "carrier": _("Schlüssel, z. B. „electricity“ für ein neues Strom-Jahr oder „business_travel_rail“ "
                         "für einen eigenen Scope-3-Faktor."),
            "unit": _("Z. B. kWh, kWh_hi, l, km, pkm, EUR; bei Kältemitteln kg."),
            "variant": _("Nur bei Kältemitteln (Schlüssel „refrigerant“): die Bezeichnung, z. B. R-449A. Der Wert ist "
                         "dann das Treibhauspotenzial (GWP, kg CO₂e je kg)."),
        }
        widgets = {"source": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = Scope.choices
        # A blend's value is computed from its composition (rule 7): the value is asked for otherwise.
        self.fields["value"].required = False

    def clean(self):
        data = super().clean()
        if data.get("value") is None and not (data.get("composition") or "").strip() and "value" not in self.errors:
            self.add_error("value", forms.ValidationError(self.fields["value"].error_messages["required"],
                                                          code="required"))
        return data
