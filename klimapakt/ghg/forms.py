"""Forms of the CO2 balance. Numbers are entered as text (German "1.234,5" or "1234.5") and
checked by the calculation engine, which names the field in its message."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import calculation
from .models import EmissionFactor, FactorStatus, Scope

_GROUPED = {"de": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d*)?"), "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")}


def localized_number(text):
    """Read digit grouping the way the person's language writes it: in German "80.000" is
    eighty thousand (the engine alone would read a lone dot as the decimal point)."""
    if not isinstance(text, str):
        return text
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    language = (get_language() or "de")[:2]
    pattern = _GROUPED.get(language, _GROUPED["de"])
    if pattern.fullmatch(value):
        separator = "." if language != "en" else ","
        return value.replace(separator, "")
    return text


def _number(label, help_text="", required=False):
    return forms.CharField(label=label, help_text=help_text, required=required, max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))


def year_choices():
    this_year = datetime.date.today().year
    return [(y, str(y)) for y in range(this_year, 2016, -1)]


# (field, carrier, unit, section, label, help text). Sections: heat, electricity, vehicles.
GUIDED_LINES = [
    ("natural_gas", "natural_gas", "kWh_hs", "heat", _("Erdgas (kWh laut Gasrechnung)"),
     _("Gasrechnungen nennen die Menge in kWh auf Brennwert-Basis (Hs). Übernehmen Sie die Zahl einfach von der "
       "Rechnung; wir rechnen sie auf den Heizwert um.")),
    ("heating_oil", "heating_oil", "l", "heat", _("Heizöl (Liter)"),
     _("Die getankten Liter laut Lieferschein oder Rechnung des Jahres.")),
    ("district_heating", "district_heating", "kWh", "heat", _("Fernwärme (kWh)"),
     _("Die Wärmemenge laut Abrechnung Ihres Versorgers.")),
    ("electricity", "electricity", "kWh", "electricity", _("Strom (kWh)"),
     _("Der Jahresverbrauch laut Stromrechnung, für alle Zähler zusammen.")),
    ("diesel", "diesel", "l", "vehicles", _("Diesel (Liter)"),
     _("Die getankten Liter aller Firmenfahrzeuge, z. B. laut Tankkarten-Abrechnung.")),
    ("petrol", "petrol", "l", "vehicles", _("Benzin (Liter)"),
     _("Die getankten Liter aller Firmenfahrzeuge mit Benzinmotor.")),
]
SUPPLIER_FIELDS = {"electricity": "electricity_supplier_factor", "district_heating": "district_heating_supplier_factor"}


class GuidedEntryForm(forms.Form):
    """The guided entry for a small firm: heat, electricity, vehicles, optional Scope 3."""

    natural_gas = _number(*GUIDED_LINES[0][4:6])
    heating_oil = _number(*GUIDED_LINES[1][4:6])
    district_heating = _number(*GUIDED_LINES[2][4:6])
    district_heating_supplier_factor = _number(
        _("Faktor Ihres Fernwärme-Versorgers (kg CO₂ je kWh)"),
        _("Steht im Zertifikat oder auf der Website Ihres Versorgers. Leer lassen, wenn Sie ihn nicht kennen: "
          "dann rechnen wir mit dem Standardwert."))
    electricity = _number(*GUIDED_LINES[3][4:6])
    green_electricity = forms.BooleanField(
        label=_("Wir haben einen Ökostrom-Vertrag"), required=False,
        help_text=_("Dann tragen Sie bitte unten den Faktor aus der Stromkennzeichnung Ihres Versorgers ein "
                    "(bei Ökostrom meist 0)."))
    electricity_supplier_factor = _number(
        _("Faktor Ihres Stromversorgers (kg CO₂ je kWh)"),
        _("Steht in der Stromkennzeichnung auf der Rechnung, oft in g/kWh: 363 g/kWh sind 0,363 kg/kWh. "
          "Er ergibt die marktbasierte Bilanz; die standortbasierte rechnet immer mit dem Bundesmix."))
    diesel = _number(*GUIDED_LINES[4][4:6])
    petrol = _number(*GUIDED_LINES[5][4:6])
    site = forms.CharField(label=_("Standort"), required=False, max_length=200,
                           help_text=_("Nur wenn Sie mehrere Standorte getrennt erfassen möchten."))
    evidence_note = forms.CharField(label=_("Nachweis"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Woher stammen die Zahlen? Z. B. „Jahresrechnungen 2024 der "
                                                "Stadtwerke, Tankkarte“."))

    def __init__(self, *args, table: calculation.FactorTable, with_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.scope3 = []
        for carrier in table.carriers():
            info = table.carrier_info(carrier)
            if info.scope == 3:
                name = f"scope3_{carrier}"
                self.fields[name] = _number(f"{info.name_de} ({info.unit})", info.note)
                self.scope3.append((name, carrier, info.unit))
        if with_year:
            self.fields = {"year": forms.TypedChoiceField(label=_("Jahr"), choices=year_choices(), coerce=int,
                                                          help_text=_("Das Jahr, aus dem die Verbräuche stammen.")),
                           **self.fields}
        for name, carrier, *_rest in GUIDED_LINES:
            if not table.has_carrier(carrier):
                self.fields.pop(name, None)

    def sections(self):
        """Field groups for the template: (id, heading, help, fields)."""
        def bound(names):
            return [self[n] for n in names if n in self.fields]
        return [
            ("heat", _("Wärme und Brennstoffe"), _("Was verbrauchen Sie zum Heizen und für Prozesswärme?"),
             bound(["natural_gas", "heating_oil", "district_heating", "district_heating_supplier_factor"])),
            ("electricity", _("Strom"), _("Wie viel Strom haben Sie eingekauft?"),
             bound(["electricity", "green_electricity", "electricity_supplier_factor"])),
            ("vehicles", _("Fahrzeuge"), _("Wie viel Kraftstoff haben Ihre Firmenfahrzeuge getankt?"),
             bound(["diesel", "petrol"])),
            ("scope3", _("Weitere Emissionen (Scope 3, freiwillig)"),
             _("Geschäftsreisen, Arbeitswege oder Einkäufe – soweit Sie sie kennen."),
             bound([n for n, _c, _u in self.scope3])),
            ("evidence", _("Angaben zum Nachweis"), "", bound(["site", "evidence_note"])),
        ]

    def activities(self) -> tuple[list[dict], list[tuple[str, str | None]]]:
        """The lines the entries make, and per line the form fields of quantity and supplier factor."""
        data = self.cleaned_data
        lines, fields = [], []
        for name, carrier, unit, *_rest in GUIDED_LINES:
            if name in self.fields and (data.get(name) or "").strip():
                supplier_field = SUPPLIER_FIELDS.get(carrier)
                supplier = (data.get(supplier_field) or "").strip() if supplier_field else ""
                lines.append({"carrier": carrier, "quantity": localized_number(data[name]), "unit": unit,
                              "supplier_factor_kg_per_kwh": localized_number(supplier) or None})
                fields.append((name, supplier_field))
        for name, carrier, unit in self.scope3:
            if (data.get(name) or "").strip():
                lines.append({"carrier": carrier, "quantity": localized_number(data[name]), "unit": unit})
                fields.append((name, None))
        return lines, fields

    def clean(self):
        data = super().clean()
        if data.get("green_electricity") and not (data.get("electricity_supplier_factor") or "").strip():
            self.add_error("electricity_supplier_factor",
                           _("Bei einem Ökostrom-Vertrag geben Sie bitte den Faktor aus der Stromkennzeichnung an "
                             "(bei Ökostrom meist 0)."))
        if (data.get("electricity_supplier_factor") or "").strip() and not (data.get("electricity") or "").strip():
            self.add_error("electricity", _("Bitte geben Sie auch den Stromverbrauch an."))
        lines, fields = self.activities()
        if not lines:
            raise forms.ValidationError(_("Bitte geben Sie mindestens einen Verbrauch an."))
        year = data.get("year") or self.initial.get("year")
        if year is None:
            return data
        try:
            self.result = calculation.calculate(self.table, year, lines)
        except calculation.CalculationError as error:
            from django.utils.translation import gettext

            for message in error.errors:
                quantity_field, supplier_field = fields[message.line] if message.line is not None else (None, None)
                target = supplier_field if message.field == "supplier_factor_kg_per_kwh" else quantity_field
                target = target if target in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, message.message(gettext))
        return data


class ActivityForm(forms.Form):
    """One line for any carrier, with site, supplier factor, evidence and the bill."""

    carrier = forms.ChoiceField(label=_("Energieträger"))
    quantity = _number(_("Menge"), _("Wie auf der Rechnung, z. B. 12.345,6."), required=True)
    unit = forms.ChoiceField(label=_("Einheit"),
                             help_text=_("Erdgas laut Rechnung: kWh_hs (Brennwert). kWh_hi ist der Heizwert."))
    supplier_factor = _number(_("Faktor des Lieferanten (kg CO₂ je kWh)"),
                              _("Nur für Strom und Fernwärme, aus der Stromkennzeichnung oder dem Zertifikat."))
    site = forms.CharField(label=_("Standort"), required=False, max_length=200)
    evidence_note = forms.CharField(label=_("Nachweis"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Z. B. Rechnungsnummer und Zeitraum."))
    attachment = forms.FileField(label=_("Beleg (PDF, PNG oder JPEG, höchstens 10 MB)"), required=False,
                                 help_text=_("Die Datei sehen nur Ihre Organisation und die Geschäftsstelle."))

    def __init__(self, *args, table: calculation.FactorTable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [
            (c, f"{table.carrier_info(c).name_de} (Scope {table.carrier_info(c).scope})") for c in table.carriers()]
        units = []
        for carrier in table.carriers():
            for unit in table.units_for(carrier):
                if unit not in units:
                    units.append(unit)
        self.fields["unit"].choices = [(u, u) for u in units]


class KeyFiguresForm(forms.Form):
    employees = forms.IntegerField(label=_("Beschäftigte im Jahr"), min_value=1, required=False,
                                   help_text=_("Für die Kennzahl „t CO₂e je beschäftigter Person“."))
    turnover_meur = forms.DecimalField(label=_("Umsatz im Jahr (Mio. EUR)"), min_value=0.001, max_digits=14,
                                       decimal_places=3, required=False, localize=True,
                                       help_text=_("Freiwillig; für die Kennzahl „t CO₂e je Mio. EUR Umsatz“."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ausgefüllte Vorlage (XLSX oder CSV)"),
                           help_text=_("Die Datei wird vollständig geprüft. Erst nach Ihrer Bestätigung wird "
                                       "gespeichert: alle Zeilen oder keine."))


class FactorEditionForm(forms.Form):
    value = forms.DecimalField(label=_("Neuer Wert (kg CO₂e je Einheit)"), min_value=0, max_digits=18,
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
