"""The guided entry for a small firm (the partner's entry page and the public CO2-Rechner): heat
(gas in kWh or in m³ as on the bill), electricity, vehicles, refrigerants, business trips and the
commuting estimate (rule 8), further Scope 3 factors of the office, evidence. Every engine error
is shown under the field it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from klimapakt.core.formatting import number

from . import calculation, commuting
from .fields import GroupedDecimalField, localized_number, number_field, whole_number_field, year_choices
from .labels import carrier_label, source_text, unit_label

# (field, carrier, unit, label, help text): one field, one line
GUIDED_LINES = [
    ("natural_gas", "natural_gas", "kWh_hs", _("Erdgas (kWh laut Gasrechnung)"),
     _("Gasrechnungen nennen die Menge in kWh auf Brennwert-Basis (Hs). Übernehmen Sie die Zahl einfach von der "
       "Rechnung; wir rechnen sie auf den Heizwert um.")),
    ("heating_oil", "heating_oil", "l", _("Heizöl (Liter)"),
     _("Die getankten Liter laut Lieferschein oder Rechnung des Jahres.")),
    ("district_heating", "district_heating", "kWh", _("Fernwärme (kWh)"),
     _("Die Wärmemenge laut Abrechnung Ihres Versorgers.")),
    ("electricity", "electricity", "kWh", _("Strom (kWh)"),
     _("Der Jahresverbrauch laut Stromrechnung, für alle Zähler zusammen.")),
    ("diesel", "diesel", "l", _("Diesel (Liter)"),
     _("Die getankten Liter aller Firmenfahrzeuge, z. B. laut Tankkarten-Abrechnung.")),
    ("petrol", "petrol", "l", _("Benzin (Liter)"),
     _("Die getankten Liter aller Firmenfahrzeuge mit Benzinmotor.")),
]
SUPPLIER_FIELDS = {"electricity": "electricity_supplier_factor", "district_heating": "district_heating_supplier_factor"}
GAS_BILL_HELP = _("Auf der Gasrechnung stehen Brennwert und Zustandszahl neben dem Zählerstand; "
                  "kWh = m³ × Brennwert × Zustandszahl.")
REFRIGERANT_ROWS = 3
# Business trips (rule 8), in passenger-km: (carrier, label, help)
TRAVEL_MODES = [
    ("rail_long_distance", _("Bahn, Fernverkehr (km)"), ""),
    ("rail_regional", _("Bahn, Nahverkehr (km)"), ""),
    ("car_pkm", _("Pkw (km)"),
     _("Nur Privatwagen und Mietwagen, deren Kraftstoff Sie nicht schon oben eingetragen haben.")),
    ("ecar_pkm", _("Elektro-Pkw (km)"), ""),
    ("bus_local", _("Bus (km)"), ""),
    ("tram_metro", _("Straßen-/U-Bahn (km)"), ""),
    ("flight_domestic", _("Inlandsflug (km)"), _("Die Flugstrecke je Person, Hin- und Rückflug zusammen.")),
]
TRAVEL_CARRIERS = {carrier for carrier, _label, _help in TRAVEL_MODES}
COMMUTE_FIELDS = ("commute_employees", "commute_days", "commute_home_office", "commute_distance")


def refrigerant_label(table: calculation.FactorTable, code: str) -> str:
    """"R-32 (Difluormethan)", "R-404A (Gemisch aus R-125, R-143a, R-134a)": the code with what it is."""
    rows = table.carrier_rows("refrigerant", code)
    if not rows:
        return code
    row = rows[-1]
    if row.composition:
        return gettext("%(code)s (Gemisch aus %(parts)s)") % {
            "code": code, "parts": ", ".join(name for name, _share in row.composition)}
    return f"{code} ({row.name_de})" if row.name_de and row.name_de != code else code


@dataclass
class Group:
    """Fields that belong together inside a step (gas in m³, one refrigerant, the commuting estimate)."""

    id: str
    heading: str
    help: str
    fields: list
    inline: bool = False
    needed: str = ""                   # beside the labels of ``needed_for`` instead of "optional"
    needed_for: tuple[str, ...] = ()
    is_group: bool = True


@dataclass
class Section:
    """One step of the guided form: fields and groups in the order shown."""

    id: str
    heading: str
    help: str
    items: list
    warning: str = ""
    notes: list = field(default_factory=list)


class GuidedEntryForm(forms.Form):
    natural_gas = number_field(*GUIDED_LINES[0][3:5])
    natural_gas_m3 = number_field(_("Erdgas (m³ laut Gasrechnung)"),
                                  _("Nur wenn die Rechnung keine kWh nennt, sondern den Verbrauch in m³."))
    gas_calorific_value = number_field(_("Brennwert (kWh je m³)"),
                                       _("Steht auf der Gasrechnung in kWh je m³, bei Erdgas meist zwischen 10 und 12, "
                                         "z. B. 11,254."))
    gas_z_number = number_field(_("Zustandszahl"), _("Steht neben dem Brennwert, meist zwischen 0,9 und 1, "
                                                     "z. B. 0,9543."))
    heating_oil = number_field(*GUIDED_LINES[1][3:5])
    district_heating = number_field(*GUIDED_LINES[2][3:5])
    district_heating_supplier_factor = number_field(
        _("Faktor Ihres Fernwärme-Versorgers (kg CO₂ je kWh)"),
        _("Steht im Zertifikat oder auf der Website Ihres Versorgers. Leer lassen, wenn Sie ihn nicht kennen: "
          "dann rechnen wir mit dem Standardwert."))
    electricity = number_field(*GUIDED_LINES[3][3:5])
    green_electricity = forms.BooleanField(
        label=_("Wir haben einen Ökostrom-Vertrag"), required=False,
        help_text=_("Dann tragen Sie bitte unten den Faktor aus der Stromkennzeichnung Ihres Versorgers ein "
                    "(bei Ökostrom meist 0)."))
    electricity_supplier_factor = number_field(
        _("Faktor Ihres Stromversorgers (kg CO₂ je kWh)"),
        _("Steht in der Stromkennzeichnung auf der Rechnung, oft in g/kWh: 363 g/kWh sind 0,363 kg/kWh. "
          "Er ergibt die marktbasierte Bilanz; die standortbasierte rechnet immer mit dem Bundesmix."))
    diesel = number_field(*GUIDED_LINES[4][3:5])
    petrol = number_field(*GUIDED_LINES[5][3:5])
    commute_employees = whole_number_field(_("Beschäftigte, die zur Arbeit pendeln"), min_value=1,
                                           max_value=1_000_000)
    commute_days = whole_number_field(
        _("Arbeitstage je Person"), _("Leer gelassen rechnen wir mit %(days)s Tagen.")
        % {"days": commuting.DEFAULT_WORKING_DAYS}, min_value=1, max_value=366,
        initial=commuting.DEFAULT_WORKING_DAYS)
    commute_home_office = whole_number_field(_("Anteil Homeoffice (%)"),
                                             _("Der Anteil der Arbeitstage zu Hause; leer gelassen: 0 %."),
                                             max_value=100)
    commute_distance = GroupedDecimalField(
        label=_("Mittlerer einfacher Arbeitsweg (km)"), required=False, min_value=Decimal("0.1"),
        max_value=Decimal(1000), max_digits=5, decimal_places=1, localize=True,
        help_text=_("Die Strecke von der Wohnung zur Arbeit, im Durchschnitt aller Beschäftigten."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    site = forms.CharField(label=_("Standort"), required=False, max_length=200,
                           help_text=_("Nur wenn Sie mehrere Standorte getrennt erfassen möchten."))
    evidence_note = forms.CharField(label=_("Nachweis"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Woher stammen die Zahlen? Z. B. „Jahresrechnungen 2024 der "
                                                "Stadtwerke, Tankkarte“."))

    def __init__(self, *args, table: calculation.FactorTable, with_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.commute: commuting.CommuteEstimate | None = None
        if with_year:
            self.fields = {"year": forms.TypedChoiceField(label=_("Jahr"), choices=year_choices(), coerce=int,
                                                          help_text=_("Das Jahr, aus dem die Verbräuche stammen.")),
                           **self.fields}
        for name, carrier, *_rest in GUIDED_LINES:
            if not table.has_carrier(carrier):
                self.fields.pop(name, None)
        if not (table.has_carrier("natural_gas") and table.gas_by_volume("natural_gas", "m3")):
            for name in ("natural_gas_m3", "gas_calorific_value", "gas_z_number"):
                self.fields.pop(name)
        self._add_refrigerant_fields()
        self.travel = []
        for carrier, label, help_text in TRAVEL_MODES:
            if table.has_carrier(carrier):
                name = f"business_{carrier}"
                self.fields[name] = number_field(label, help_text)
                self.fields[name].summary_label = gettext("Dienstreisen: %(mode)s") % {"mode": label}
                self.travel.append((name, carrier))
        self.commute_modes = [(mode, carrier, label) for mode, carrier, label in commuting.MODES
                              if carrier is None or table.has_carrier(carrier)]
        for mode, _carrier, label in self.commute_modes:
            name = f"commute_share_{mode}"
            self.fields[name] = whole_number_field(gettext("%(mode)s (%%)") % {"mode": label}, max_value=100)
            self.fields[name].summary_label = gettext("Pendeln: Anteil %(mode)s") % {"mode": label}
        if not any(carrier for _m, carrier, _l in self.commute_modes):
            for name in [*COMMUTE_FIELDS, *(f"commute_share_{m}" for m, _c, _l in self.commute_modes)]:
                self.fields.pop(name, None)
            self.commute_modes = []
        self.scope3 = []
        for carrier in table.carriers():
            info = table.carrier_info(carrier)
            if info.scope == 3 and carrier not in TRAVEL_CARRIERS:
                name = f"scope3_{carrier}"
                name_for_reader = carrier_label(table, carrier, language=(get_language() or "de")[:2])
                self.fields[name] = number_field(f"{name_for_reader} ({unit_label(info.unit)})", source_text(info.note))
                self.scope3.append((name, carrier, info.unit))
        # the error summary lists the fields in the order of the page
        self.order_fields(["year", *(bound.name for section in self.sections() for item in section.items
                                     for bound in (item.fields if getattr(item, "is_group", False) else [item]))])

    def _add_refrigerant_fields(self) -> None:
        self.refrigerant_rows = []
        codes = self.table.variants("refrigerant") if self.table.has_carrier("refrigerant") else []
        if not codes:
            return
        choices = [("", _("– bitte wählen –"))] + [(code, refrigerant_label(self.table, code)) for code in codes]
        for i in range(1, REFRIGERANT_ROWS + 1):
            kind, kg = f"refrigerant_{i}", f"refrigerant_kg_{i}"
            self.fields[kind] = forms.ChoiceField(label=pgettext_lazy("one refrigerant", "Kältemittel"), choices=choices,
                                                  required=False)
            self.fields[kg] = number_field(_("Nachgefüllte Menge (kg)"))
            self.fields[kind].summary_label = gettext("Kältemittel, Anlage %(n)s") % {"n": i}
            self.fields[kg].summary_label = gettext("Nachgefüllte Menge, Anlage %(n)s") % {"n": i}
            self.refrigerant_rows.append((i, kind, kg))

    # --- the steps, for the template ---------------------------------------------------------

    def _bound(self, names):
        return [self[n] for n in names if n in self.fields]

    def sections(self) -> list[Section]:
        gas_m3 = self._bound(["natural_gas_m3", "gas_calorific_value", "gas_z_number"])
        heat = [*self._bound(["natural_gas"]),
                *([Group("gas-m3", _("Erdgas in m³"), GAS_BILL_HELP, gas_m3, needed=_("Pflicht bei Gas in m³"),
                         needed_for=("gas_calorific_value", "gas_z_number"))] if gas_m3 else []),
                *self._bound(["heating_oil", "district_heating", "district_heating_supplier_factor"])]
        sections = [
            Section("heat", _("Wärme und Brennstoffe"), _("Was verbrauchen Sie zum Heizen und für Prozesswärme?"),
                    heat),
            Section("electricity", _("Strom"), _("Wie viel Strom haben Sie eingekauft?"),
                    self._bound(["electricity", "green_electricity", "electricity_supplier_factor"])),
            Section("vehicles", _("Fahrzeuge"), _("Wie viel Kraftstoff haben Ihre Firmenfahrzeuge getankt?"),
                    self._bound(["diesel", "petrol"])),
        ]
        if self.refrigerant_rows:
            sections.append(Section(
                "refrigerants", _("Kältemittel (Kälte- und Klimaanlagen)"), self._refrigerant_help(),
                [Group(f"refrigerant-{i}", gettext("Anlage %(n)s") % {"n": i}, "", self._bound([kind, kg]),
                       inline=True) for i, kind, kg in self.refrigerant_rows],
                notes=[_("Mehr Anlagen? Tragen Sie weitere Kältemittel einzeln als Zeile ein.")]))
        travel_items = []
        if self.travel:
            travel_items.append(Group(
                "business-travel", _("Dienstreisen"),
                _("Die Kilometer aller Reisenden zusammen (Personenkilometer): fahren zwei Personen je 300 km mit "
                  "der Bahn, sind das 600 km."), self._bound([n for n, _c in self.travel])))
        if self.commute_modes:
            travel_items.append(Group(
                "commuting", _("Arbeitswege der Beschäftigten (Schätzung)"),
                _("Wir schätzen die Personenkilometer je Verkehrsmittel: Beschäftigte × Arbeitstage × (1 − Anteil "
                  "Homeoffice) × einfacher Weg in km × 2 × Anteil des Verkehrsmittels. Das Ergebnis sehen Sie mit "
                  "der Bilanz und im Nachweis der Zeile."), self._bound(COMMUTE_FIELDS)))
            travel_items.append(Group(
                "commuting-shares", _("Wie kommen die Beschäftigten zur Arbeit?"),
                _("Anteile der Wege in Prozent, zusammen 100 %. Fahrrad und zu Fuß verursachen keine Emissionen, "
                  "zählen aber mit."), self._bound([f"commute_share_{m}" for m, _c, _l in self.commute_modes]),
                inline=True))
        if travel_items:
            sections.append(Section(
                "travel", _("Dienstreisen und Pendeln (Scope 3, freiwillig)"),
                _("Reisen mit Bahn, Bus, Flugzeug oder privatem Pkw und die Arbeitswege Ihrer Beschäftigten."),
                travel_items,
                warning=_("Fahrten mit Firmenfahrzeugen zählen schon beim Kraftstoff (Scope 1): tragen Sie sie hier "
                          "nicht noch einmal ein."),
                notes=[_("Flüge ins Ausland und Hotelübernachtungen: dafür gibt es noch keinen belegten "
                         "Standardfaktor. Sie bleiben deshalb vorerst außen vor.")]))
        if self.scope3:
            sections.append(Section(
                "scope3", _("Weitere Emissionen (Scope 3, freiwillig)"),
                _("Weitere Faktoren, die die Geschäftsstelle des Klimapakts angelegt hat."),
                self._bound([n for n, _c, _u in self.scope3])))
        sections.append(Section("evidence", _("Angaben zum Nachweis"), "", self._bound(["site", "evidence_note"])))
        return sections

    def _refrigerant_help(self) -> str:
        text = gettext("Tragen Sie je Anlage die im Jahr nachgefüllte Menge in kg ein, z. B. laut Wartungsprotokoll "
                       "des Kälte-Fachbetriebs. Was nachgefüllt wurde, ist zuvor entwichen: genau diese Menge zählt. "
                       "Natürliche Kältemittel wie Propan (R-290) oder CO₂ (R-744) fallen kaum ins Gewicht.")
        rows = self.table.carrier_rows("refrigerant", "R-404A")
        if rows:
            text += " " + gettext("Dagegen entspricht 1 kg R-404A rund %(t)s t CO₂e.") % {
                "t": number(rows[-1].value / 1000, 1)}
        return text

    # --- the lines ---------------------------------------------------------------------------

    def activities(self) -> tuple[list[dict], list[dict[str, str]]]:
        """The lines the entries make, and per line which form field shows an engine error on
        which of its fields (engine field -> form field; "quantity" is the fallback)."""
        data = self.cleaned_data
        lines: list[dict] = []
        targets: list[dict[str, str]] = []

        def filled(name):
            return name in self.fields and str(data.get(name) or "").strip()

        for name, carrier, unit, *_rest in GUIDED_LINES:
            if filled(name):
                supplier_field = SUPPLIER_FIELDS.get(carrier)
                supplier = str(data.get(supplier_field) or "").strip() if supplier_field else ""
                lines.append({"carrier": carrier, "quantity": localized_number(data[name]), "unit": unit,
                              "supplier_factor_kg_per_kwh": localized_number(supplier) or None})
                targets.append({"quantity": name, "supplier_factor_kg_per_kwh": supplier_field or name})
        if filled("natural_gas_m3"):
            # Brennwert (about 11) and Zustandszahl (about 0.95) are never digit-grouped: "11.254" is a decimal
            lines.append({"carrier": "natural_gas", "quantity": localized_number(data["natural_gas_m3"]),
                          "unit": "m3", "calorific_value_kwh_per_m3": data.get("gas_calorific_value") or None,
                          "z_number": data.get("gas_z_number") or None})
            targets.append({"quantity": "natural_gas_m3", "calorific_value_kwh_per_m3": "gas_calorific_value",
                            "z_number": "gas_z_number"})
        for _i, kind, kg in self.refrigerant_rows:
            if filled(kg):
                lines.append({"carrier": "refrigerant", "quantity": localized_number(data[kg]), "unit": "kg",
                              "refrigerant": data.get(kind) or None})
                targets.append({"quantity": kg, "refrigerant": kind})
        for name, carrier in self.travel:
            if filled(name):
                lines.append({"carrier": carrier, "quantity": localized_number(data[name]), "unit": "pkm",
                              "category": "business_travel"})
                targets.append({"quantity": name})
        if self.commute is not None:
            for mode, carrier, pkm in self.commute.lines():
                lines.append({"carrier": carrier, "quantity": str(pkm), "unit": "pkm", "category": "commuting",
                              "evidence": self.commute.sentence(mode)})
                targets.append({"quantity": f"commute_share_{mode}"})
        for name, carrier, unit in self.scope3:
            if filled(name):
                lines.append({"carrier": carrier, "quantity": localized_number(data[name]), "unit": unit})
                targets.append({"quantity": name})
        return lines, targets

    def stored_lines(self) -> list[dict]:
        """Per line the keyword arguments of ``services.activity_create``: the line, and as its
        evidence the note of the form (a commuting line: the estimate's arithmetic first)."""
        note = self.cleaned_data.get("evidence_note", "")
        out = []
        for line in self.activities()[0]:
            evidence = "\n".join(text for text in (line.get("evidence", ""), note) if text)
            out.append({"carrier": line["carrier"], "quantity": line["quantity"], "unit": line["unit"],
                        "supplier_factor": line.get("supplier_factor_kg_per_kwh"),
                        "refrigerant": line.get("refrigerant") or "", "category": line.get("category", ""),
                        "calorific_value_kwh_per_m3": line.get("calorific_value_kwh_per_m3"),
                        "z_number": line.get("z_number"), "evidence_note": evidence})
        return out

    @property
    def estimates(self) -> list[str]:
        """The arithmetic of the commuting estimate, one sentence per mode with emissions."""
        if self.commute is None:
            return []
        return [self.commute.sentence(mode) for mode, _carrier, _pkm in self.commute.lines()]

    # --- checks ------------------------------------------------------------------------------

    def _check_gas(self, data) -> None:
        if not str(data.get("natural_gas_m3") or "").strip():
            for name in ("gas_calorific_value", "gas_z_number"):
                if str(data.get(name) or "").strip():
                    self.add_error(name, _("Brennwert und Zustandszahl gehören zur Menge in m³: Bitte geben Sie "
                                           "auch die m³ laut Gasrechnung an."))
        elif str(data.get("natural_gas") or "").strip():
            self.add_error("natural_gas_m3", _("Bitte geben Sie Erdgas nur einmal an: in kWh, wenn die Rechnung "
                                               "sie nennt, sonst in m³."))

    def _check_refrigerants(self, data) -> None:
        for _i, kind, kg in self.refrigerant_rows:
            if data.get(kind) and not str(data.get(kg) or "").strip():
                self.add_error(kg, _("Bitte geben Sie an, wie viel kg nachgefüllt wurden."))

    def _check_commuting(self, data) -> None:
        """Rule 8: the estimate needs employees, the distance and the shares of the modes (100 %)."""
        shares = {mode: data.get(f"commute_share_{mode}") for mode, _c, _l in self.commute_modes}
        given = [data.get(n) for n in ("commute_employees", "commute_home_office", "commute_distance")]
        if all(v is None for v in (*given, *shares.values())):
            return
        if any(n in self.errors for n in self.fields if n.startswith("commute_")):
            return
        if data.get("commute_employees") is None:
            self.add_error("commute_employees", _("Für die Schätzung brauchen wir die Zahl der Beschäftigten."))
        if data.get("commute_distance") is None:
            self.add_error("commute_distance", _("Für die Schätzung brauchen wir den mittleren einfachen "
                                                 "Arbeitsweg in km."))
        total = commuting.share_total(shares)
        if total != 100:
            first = f"commute_share_{self.commute_modes[0][0]}"
            self.add_error(first, gettext("Die Anteile der Verkehrsmittel ergeben zusammen %(total)s %%; es müssen "
                                          "100 %% sein (Fahrrad und zu Fuß eingeschlossen).") % {"total": total})
        if any(n in self.errors for n in self.fields if n.startswith("commute_")):
            return
        self.commute = commuting.CommuteEstimate(
            employees=data["commute_employees"], days=data.get("commute_days") or commuting.DEFAULT_WORKING_DAYS,
            home_office_percent=data.get("commute_home_office") or 0, distance_km=data["commute_distance"],
            shares={mode: share or 0 for mode, share in shares.items()})

    def clean(self):
        data = super().clean()
        if data.get("green_electricity") and not (data.get("electricity_supplier_factor") or "").strip():
            self.add_error("electricity_supplier_factor",
                           _("Bei einem Ökostrom-Vertrag geben Sie bitte den Faktor aus der Stromkennzeichnung an "
                             "(bei Ökostrom meist 0)."))
        if (data.get("electricity_supplier_factor") or "").strip() and not (data.get("electricity") or "").strip():
            self.add_error("electricity", _("Bitte geben Sie auch den Stromverbrauch an."))
        self._check_gas(data)
        self._check_refrigerants(data)
        self._check_commuting(data)
        lines, targets = self.activities()
        if not lines:
            if not self.errors:
                raise forms.ValidationError(_("Bitte geben Sie mindestens einen Verbrauch an."))
            return data
        year = data.get("year") or self.initial.get("year")
        if year is None:
            return data
        try:
            self.result = calculation.calculate(self.table, year, lines)
        except calculation.CalculationError as error:
            for message in error.errors:
                fields = targets[message.line] if message.line is not None else {}
                target = fields.get(message.field or "", fields.get("quantity"))
                target = target if target in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, message.message(gettext))
        return data
