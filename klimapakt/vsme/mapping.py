"""The mapping of the EU voluntary SME standard (EFRAG VSME, December 2024; Commission
Recommendation (EU) 2025/1710), disclosures B3 and C3, to the platform's data, in one place.

Each datapoint names where EFRAG's Digital Template 1.0.1 keeps it (sheet, cell, the template's
own row label and named range, which is the local name of the element in the VSME XBRL taxonomy)
and where its value comes from here, or that the firm must add it. Ids that are not named ranges
of the template are platform keys (``klimapakt:…``). See docs/vsme.md.

`compute(inputs)` is plain Python over the year's data (no queries): it returns every datapoint's
value, unit, status and note; the page, the XLSX and the JSON all read it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

ENV = "Environmental Disclosures"
GENERAL = "General Information"
TEMPLATE = "EFRAG VSME Digital Template 1.0.1"
STANDARD = "EFRAG VSME (December 2024); Commission Recommendation (EU) 2025/1710"

FILLED, MISSING, NOT_APPLICABLE = "filled", "missing", "not_applicable"

FUEL_ENERGY_CSV = Path(__file__).resolve().parent / "data" / "fuel_energy.csv"
# EFRAG's "Fuel Conversion Parameters" call wood, biogas (landfill/sludge gas) renewable; fossil fuels
# and B7 diesel / E5 petrol (their biogenic admixture not split out) non-renewable.
RENEWABLE_FUELS = frozenset({"biogas", "wood_pellets", "wood"})
NOT_ENERGY = frozenset({"refrigerant"})
ELECTRICITY = "electricity"


# How a unit reads for people (page, the XLSX's explanation sheet); the JSON keeps the keys.
UNIT_LABELS = {"MWh": "MWh", "tCO2e": "t CO₂e", "tCO2e/EUR": _("t CO₂e je EUR"),
               "tCO2e/MEUR": _("t CO₂e je Mio. EUR"), "EUR": "EUR", "%": "%", "year": "", "scopes": "",
               "bool": "", "text": ""}


@dataclass(frozen=True)
class Datapoint:
    key: str                    # XBRL local name (a named range of the template) or "klimapakt:…"
    disclosure: str             # "B3", "C3", "B1"
    paragraph: str              # paragraph of the standard, as the template cites it
    template_label: str         # the template's row label (English, verbatim), "" for platform keys
    label: Any                  # German msgid, translated
    unit: str                   # MWh, tCO2e, tCO2e/EUR, tCO2e/MEUR, EUR, year, %, bool
    cell: str = ""              # "G5" on `sheet` in the template ("" for platform keys)
    sheet: str = ENV
    source: Any = ""            # where the value comes from here (German msgid)

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS.get(self.unit, self.unit))

    @property
    def is_template_id(self) -> bool:
        return not self.key.startswith("klimapakt:")


D = Datapoint
S_BALANCE = _("CO₂-Bilanz des Jahres (Zeilen mit den Faktoren der Plattform, genau gerechnet, auf 3 Stellen gerundet)")
S_ENERGY = _("Verbräuche des Jahres in MWh (Heizwert), umgerechnet wie in docs/vsme.md beschrieben")
S_SHARE = _("Strom des Jahres × Anteil erneuerbarer Energien laut Stromkennzeichnung (Kennzahlen der Bilanz)")
S_TURNOVER = _("Umsatz des Jahres (Kennzahlen der Bilanz)")
S_TARGET = _("Reduktionsziel der Vereinbarung (das nächste gültige Ziel); Basisjahr aus der Bilanz des Basisjahres")
S_FIRM = _("Muss das Unternehmen selbst ergänzen: die Plattform erfasst das nicht")

DATAPOINTS: tuple[Datapoint, ...] = (
    # B3 §29: energy (template rows 5 and 10-14)
    D("TotalEnergyConsumption", "B3", "29", "Total Energy Consumption",
      _("Gesamtenergieverbrauch"), "MWh", "G5", source=S_ENERGY),
    D("EnergyConsumptionFromElectricity_RenewableEnergyMember", "B3", "29",
      "Electricity (as reflected in utility billings)", _("Strom, erneuerbar"), "MWh", "G12", source=S_SHARE),
    D("EnergyConsumptionFromElectricity_NonRenewableEnergyMember", "B3", "29",
      "Electricity (as reflected in utility billings)", _("Strom, nicht erneuerbar"), "MWh", "J12", source=S_SHARE),
    D("EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember", "B3", "29",
      "Electricity (as reflected in utility billings)", _("Strom, gesamt"), "MWh", "K12", source=S_ENERGY),
    D("EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember", "B3", "29",
      "Self-generated electricity ", _("Selbst erzeugter Strom, erneuerbar"), "MWh", "G13", source=S_FIRM),
    D("EnergyConsumptionFromSelfGeneratedElectricity_NonRenewableEnergyMember", "B3", "29",
      "Self-generated electricity ", _("Selbst erzeugter Strom, nicht erneuerbar"), "MWh", "J13", source=S_FIRM),
    D("EnergyConsumptionFromFuels_RenewableEnergyMember", "B3", "29",
      "Fuels (see Fuel Converter on Fuels worksheet)", _("Brennstoffe, erneuerbar"), "MWh", "G14", source=S_ENERGY),
    D("EnergyConsumptionFromFuels_NonRenewableEnergyMember", "B3", "29",
      "Fuels (see Fuel Converter on Fuels worksheet)", _("Brennstoffe, nicht erneuerbar"), "MWh", "J14",
      source=S_ENERGY),
    D("EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember", "B3", "29",
      "Fuels (see Fuel Converter on Fuels worksheet)", _("Brennstoffe, gesamt"), "MWh", "K14", source=S_ENERGY),
    # B3 §30: GHG emissions, current reporting period (column D)
    D("GrossScope1GreenhouseGasEmissions", "B3", "30(a)", "Gross Scope 1 GHG Emissions",
      _("Scope 1 (brutto)"), "tCO2e", "D22", source=S_BALANCE),
    D("GrossLocationBasedScope2GreenhouseGasEmissions", "B3", "30(b)", "Gross Scope 2 location-based GHG Emissions",
      _("Scope 2 standortbasiert (brutto)"), "tCO2e", "D23", source=S_BALANCE),
    D("GrossMarketBasedScope2GreenhouseGasEmissions", "B3", "30(b)",
      "Gross scope 2 market-based GHG Emissions - May (optional)",
      _("Scope 2 marktbasiert (brutto)"), "tCO2e", "D24", source=S_BALANCE),
    D("TotalGrossLocationBasedScope1AndScope2GHGEmissions", "B3", "30",
      "Total Scope 1 and Scope 2 GHG Emissions (location-based)",
      _("Scope 1 und 2 (standortbasiert)"), "tCO2e", "D25", source=S_BALANCE),
    D("TotalGrossMarketBasedScope1AndScope2GHGEmissions", "B3", "30",
      "Total Scope 1 and Scope 2 GHG emissions  (market-based) - May (optional)",
      _("Scope 1 und 2 (marktbasiert)"), "tCO2e", "D26", source=S_BALANCE),
    D("GrossScope3GreenhouseGasEmissions_CurrentlyStatedMember", "B3", "50-53", "Total Scope 3 GHG  emissions",
      _("Scope 3 (soweit erfasst)"), "tCO2e", "D45", source=S_BALANCE),
    D("TotalGrossLocationBasedGHGEmissions_CurrentlyStatedMember", "B3", "50-53",
      "Total Scope 1, Scope 2 and Scope 3 GHG Emissions (location-based)",
      _("Scope 1, 2 und 3 (standortbasiert)"), "tCO2e", "D46", source=S_BALANCE),
    D("TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember", "B3", "50-53",
      "Total Scope 1, Scope 2 and Scope 3 GHG Emissions (market-based) - May (optional)",
      _("Scope 1, 2 und 3 (marktbasiert)"), "tCO2e", "D47", source=S_BALANCE),
    # B3 §31: intensity per turnover (the template divides by the turnover in EUR)
    D("Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased", "B3", "31",
      "Scope 1 and Scope 2 GHG Emissions intensity (location-based )",
      _("Intensität Scope 1 und 2 je EUR Umsatz (standortbasiert)"), "tCO2e/EUR", "G66", source=S_TURNOVER),
    D("Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased", "B3", "31",
      "Scope 1 and Scope 2 GHG Emissions intensity (market-based) - May (Optional)",
      _("Intensität Scope 1 und 2 je EUR Umsatz (marktbasiert)"), "tCO2e/EUR", "G67", source=S_TURNOVER),
    D("TotalLocationBasedGreenhouseGasEmissionsIntensityValue", "B3", "31",
      "Total Scope 1, Scope 2 and Scope 3 GHG Emissions intensity (location-based)",
      _("Intensität Scope 1, 2 und 3 je EUR Umsatz (standortbasiert)"), "tCO2e/EUR", "G68", source=S_TURNOVER),
    D("TotalMarketBasedGreenhouseGasEmissionsIntensityValue", "B3", "31",
      "Total Scope 1, Scope 2 and Scope 3 GHG Emissions intensity (market-based) - May (Optional)",
      _("Intensität Scope 1, 2 und 3 je EUR Umsatz (marktbasiert)"), "tCO2e/EUR", "G69", source=S_TURNOVER),
    D("klimapakt:Scope1AndScope2IntensityPerMillionEurLocationBased", "B3", "31", "",
      _("Intensität Scope 1 und 2 je Mio. EUR Umsatz (standortbasiert)"), "tCO2e/MEUR", source=S_TURNOVER),
    D("Turnover", "B1", "24(e)(iv)", "Turnover in EUR", _("Umsatz"), "EUR", "E61", sheet=GENERAL,
      source=S_TURNOVER),
    # C3 §54: GHG reduction targets (template rows 19-47, columns G base year, J target year, K %)
    D("klimapakt:HasEstablishedGhgReductionTargets", "C3", "54", "", _("Reduktionsziele festgelegt"), "bool",
      source=S_TARGET),
    D("GreenhouseGasEmissionReductionTargetBaseYear", "C3", "54(b)", "Year (date)", _("Basisjahr"), "year", "G21",
      source=S_TARGET),
    D("GreenhouseGasEmissionReductionTargetYear", "C3", "54(a)", "Year (date)", _("Zieljahr"), "year", "J21",
      source=S_TARGET),
    D("klimapakt:TargetScopes", "C3", "54(c)", "", _("Vom Ziel erfasste Scopes"), "scopes", source=S_TARGET),
    D("klimapakt:TargetReductionPercent", "C3", "54(d)", "Percentage reduction from base year",
      _("Minderung gegenüber dem Basisjahr"), "%", source=S_TARGET),
    D("klimapakt:TargetBaseYearEmissions", "C3", "54(b)", "", _("Emissionen des Basisjahres im Zielumfang"), "tCO2e",
      source=S_TARGET),
    D("klimapakt:TargetYearEmissions", "C3", "54(a)", "", _("Zielwert im Zieljahr im Zielumfang"), "tCO2e",
      source=S_TARGET),
    D("DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets", "C3", "54(e)", "",
      _("Wichtigste Maßnahmen zur Zielerreichung"), "text", "C52", source=S_FIRM),
)
BY_KEY = {d.key: d for d in DATAPOINTS}

# C3: the template row of a target's coverage (location-based, like the pact's target path) and the
# stem of its named ranges: "<stem>_BaselineYearMember" in column G, "<stem>_TargetYearMember" in column J.
TARGET_ROWS = {
    "1": (22, "GrossScope1GreenhouseGasEmissions"),
    "2": (23, "GrossLocationBasedScope2GreenhouseGasEmissions"),
    "1+2": (25, "TotalGrossLocationBasedScope1AndScope2GHGEmissions"),
    "1+2+3": (46, "TotalGrossLocationBasedGHGEmissions"),
}


@dataclass
class Value:
    datapoint: Datapoint
    value: Any = None
    status: str = MISSING
    note: Any = ""


@dataclass
class Inputs:
    """What `compute` reads: the balance's exact emissions (``Emissions``) or None, the year's lines
    as dicts (carrier, quantity, unit, calorific_value_kwh_per_m3, z_number), the unit table
    (``FactorTable``), key figures, the targets in force (dicts) and the base-year emissions per year."""

    year: int
    emissions: Any = None
    lines: list[dict] = field(default_factory=list)
    table: Any = None
    turnover_meur: Decimal | None = None
    renewable_electricity_percent: Decimal | None = None
    targets: list[dict] = field(default_factory=list)
    base_emissions: dict[int, Any] = field(default_factory=dict)


def fuel_energy_rows(path: Path = FUEL_ENERGY_CSV) -> dict[str, dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["carrier"]: row for row in csv.DictReader(handle)}


def kwh_per_litre(row: dict) -> Fraction:
    """Net calorific value per litre: MJ/kg × kg/l ÷ 3.6 MJ/kWh, exact."""
    return Fraction(row["ncv_mj_per_kg"]) * Fraction(row["density_kg_per_l"]) / Fraction("3.6")


_FUEL_ENERGY = fuel_energy_rows()


def line_kwh(line: dict, table) -> Fraction | None:
    """The energy of one line in kWh (fuels: net calorific value), or None when it has no path."""
    carrier, unit, quantity = line["carrier"], line["unit"], Fraction(str(line["quantity"]))
    if carrier in _FUEL_ENERGY:
        litres = Fraction(1) if unit == "l" else table.ratio(carrier, unit, "l")
        return None if litres is None else quantity * litres * kwh_per_litre(_FUEL_ENERGY[carrier])
    if unit == "m3" and line.get("calorific_value_kwh_per_m3") and line.get("z_number"):
        hs_hi = table.ratio(carrier, "kWh_hs", "kWh_hi")
        hs = quantity * Fraction(str(line["calorific_value_kwh_per_m3"])) * Fraction(str(line["z_number"]))
        return None if hs_hi is None else hs * hs_hi
    for target in ("kWh_hi", "kWh"):
        ratio = table.ratio(carrier, unit, target)
        if ratio is not None:
            return quantity * ratio
    return None


@dataclass
class Energy:
    electricity: Fraction = Fraction(0)
    fuels_renewable: Fraction = Fraction(0)
    fuels_non_renewable: Fraction = Fraction(0)
    heat: Fraction = Fraction(0)          # district heating and other purchased heat (Scope 2, not electricity)
    has_electricity: bool = False
    has_fuels: bool = False
    unconverted: list[str] = field(default_factory=list)


def energy(lines: Iterable[dict], table) -> Energy:
    """The year's energy in kWh by the rows of B3 §29."""
    result = Energy()
    for line in lines:
        carrier = line["carrier"]
        if carrier in NOT_ENERGY:
            continue
        scope = table.carrier_info(carrier).scope if table.has_carrier(carrier) else None
        if scope not in (1, 2):
            continue
        kwh = line_kwh(line, table)
        if kwh is None:
            result.unconverted.append(carrier)
            continue
        if carrier == ELECTRICITY:
            result.electricity += kwh
            result.has_electricity = True
        elif scope == 2:
            result.heat += kwh
        elif carrier in RENEWABLE_FUELS:
            result.fuels_renewable += kwh
            result.has_fuels = True
        else:
            result.fuels_non_renewable += kwh
            result.has_fuels = True
    return result


def rounded(value: Fraction | Decimal | int, places: int = 3) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _mwh(kwh: Fraction) -> Decimal:
    return rounded(kwh / 1000)


def _intensity(total: Fraction, turnover_eur: Fraction) -> Decimal:
    """t CO2e per EUR: tiny numbers, so twelve places (about six significant digits for a small firm)."""
    return rounded(total / turnover_eur, 12)


def compute(inputs: Inputs) -> dict[str, Value]:
    values = {d.key: Value(d) for d in DATAPOINTS}

    def put(key, value, note="", status=FILLED):
        values[key].value, values[key].status, values[key].note = value, status, note

    # Energy (§29)
    found = energy(inputs.lines, inputs.table) if inputs.table is not None else Energy()
    unconverted = ""
    if found.unconverted:
        unconverted = _("Nicht umrechenbar und daher nicht enthalten: %(carriers)s") % {
            "carriers": ", ".join(sorted(set(found.unconverted)))}
    if found.has_electricity or found.has_fuels or found.heat:
        total = found.electricity + found.fuels_renewable + found.fuels_non_renewable + found.heat
        note = _("Strom, Brennstoffe (Heizwert) und Fernwärme.") if found.heat else _("Strom und Brennstoffe (Heizwert).")
        put("TotalEnergyConsumption", _mwh(total), f"{note} {unconverted}".strip())
    if found.has_electricity:
        put("EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember", _mwh(found.electricity))
        share = inputs.renewable_electricity_percent
        if share is not None:
            renewable = found.electricity * Fraction(str(share)) / 100
            note = _("%(share)s %% erneuerbar laut Stromkennzeichnung") % {"share": share}
            put("EnergyConsumptionFromElectricity_RenewableEnergyMember", _mwh(renewable), note)
            put("EnergyConsumptionFromElectricity_NonRenewableEnergyMember", _mwh(found.electricity - renewable), note)
        else:
            for key in ("EnergyConsumptionFromElectricity_RenewableEnergyMember",
                        "EnergyConsumptionFromElectricity_NonRenewableEnergyMember"):
                put(key, None, _("Anteil erneuerbarer Energien fehlt: bitte in den Kennzahlen der Bilanz "
                                 "aus der Stromkennzeichnung eintragen."), MISSING)
    if found.has_fuels:
        put("EnergyConsumptionFromFuels_RenewableEnergyMember", _mwh(found.fuels_renewable))
        put("EnergyConsumptionFromFuels_NonRenewableEnergyMember", _mwh(found.fuels_non_renewable))
        put("EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember",
            _mwh(found.fuels_renewable + found.fuels_non_renewable), unconverted)
    elif inputs.lines:
        for key in ("EnergyConsumptionFromFuels_RenewableEnergyMember",
                    "EnergyConsumptionFromFuels_NonRenewableEnergyMember",
                    "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember"):
            put(key, Decimal("0.000"), _("Keine Brennstoffe erfasst."))

    # Emissions (§30)
    emissions = inputs.emissions
    if emissions is not None:
        exact = emissions.exact()
        s12_location = exact["scope1"] + exact["scope2_location"]
        s12_market = exact["scope1"] + exact["scope2_market"]
        put("GrossScope1GreenhouseGasEmissions", rounded(exact["scope1"]))
        put("GrossLocationBasedScope2GreenhouseGasEmissions", rounded(exact["scope2_location"]))
        put("GrossMarketBasedScope2GreenhouseGasEmissions", rounded(exact["scope2_market"]),
            _("Mit dem Faktor des Lieferanten, wo angegeben; sonst wie standortbasiert."))
        put("TotalGrossLocationBasedScope1AndScope2GHGEmissions", rounded(s12_location))
        put("TotalGrossMarketBasedScope1AndScope2GHGEmissions", rounded(s12_market))
        scope3 = exact["scope3"] > 0
        scope3_keys = ("GrossScope3GreenhouseGasEmissions_CurrentlyStatedMember",
                       "TotalGrossLocationBasedGHGEmissions_CurrentlyStatedMember",
                       "TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember")
        if scope3:
            note = _("Nur die erfassten Kategorien (Dienstreisen, Pendeln).")
            put(scope3_keys[0], rounded(exact["scope3"]), note)
            put(scope3_keys[1], rounded(emissions.total("total_location")))
            put(scope3_keys[2], rounded(emissions.total("total_market")))
        else:
            for key in scope3_keys:
                put(key, None, _("Freiwillig; keine Scope-3-Zeilen erfasst."), NOT_APPLICABLE)
        # Intensity (§31)
        intensity_keys = ("Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased",
                          "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased",
                          "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
                          "TotalMarketBasedGreenhouseGasEmissionsIntensityValue",
                          "klimapakt:Scope1AndScope2IntensityPerMillionEurLocationBased")
        if inputs.turnover_meur:
            meur = Fraction(str(inputs.turnover_meur))
            eur = meur * 1_000_000
            put("Turnover", rounded(eur, 0))
            put(intensity_keys[0], _intensity(s12_location, eur))
            put(intensity_keys[1], _intensity(s12_market, eur))
            put(intensity_keys[4], rounded(s12_location / meur))
            if scope3:
                put(intensity_keys[2], _intensity(emissions.total("total_location"), eur))
                put(intensity_keys[3], _intensity(emissions.total("total_market"), eur))
            else:
                for key in intensity_keys[2:4]:
                    put(key, None, _("Nur mit Scope 3."), NOT_APPLICABLE)
        else:
            missing = _("Umsatz fehlt: bitte in den Kennzahlen der Bilanz eintragen.")
            for key in ("Turnover", *intensity_keys):
                put(key, None, missing, MISSING)
    if not inputs.lines:
        nothing = _("Für dieses Jahr sind noch keine Verbräuche erfasst.")
        for point in DATAPOINTS:
            if point.disclosure in ("B3", "B1") and values[point.key].status == MISSING and not values[point.key].note:
                values[point.key].note = nothing
    _targets(inputs, put)
    for key in ("EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember",
                "EnergyConsumptionFromSelfGeneratedElectricity_NonRenewableEnergyMember",
                "DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"):
        put(key, None, S_FIRM, MISSING)
    return values


def target_summary(target: dict, base_emissions: dict[int, Any]) -> dict:
    """One target with its base-year and target-year emissions in the target's coverage (t CO2e,
    location-based like the pact's target path), when the base year's balance exists."""
    scopes = target["scopes"]
    base = base_emissions.get(target["base_year"])
    base_t = target_t = None
    percent = target.get("reduction_percent")
    if base is not None:
        exact_base = base.total(scopes)  # the pact's coverage rule (ghg.calculation.totals)
        base_t = rounded(exact_base)
        if percent is not None:
            target_t = rounded(exact_base * (1 - Fraction(str(percent)) / 100))
        else:
            end = max(exact_base - Fraction(str(target["reduction_t_co2e"])), Fraction(0))
            target_t = rounded(end)
            if exact_base:
                percent = rounded((exact_base - end) / exact_base * 100, 2)
    return {"base_year": target["base_year"], "target_year": target["target_year"], "scopes": scopes,
            "reduction_percent": percent, "reduction_t_co2e": target.get("reduction_t_co2e"),
            "base_year_t_co2e": base_t, "target_year_t_co2e": target_t}


def _targets(inputs: Inputs, put) -> None:
    put("klimapakt:HasEstablishedGhgReductionTargets", bool(inputs.targets))
    keys = ("GreenhouseGasEmissionReductionTargetBaseYear", "GreenhouseGasEmissionReductionTargetYear",
            "klimapakt:TargetScopes", "klimapakt:TargetReductionPercent", "klimapakt:TargetBaseYearEmissions",
            "klimapakt:TargetYearEmissions")
    if not inputs.targets:
        for key in keys:
            put(key, None, _("Kein Reduktionsziel vereinbart (C3 gilt nur, wenn Ziele bestehen)."), NOT_APPLICABLE)
        return
    first = target_summary(inputs.targets[0], inputs.base_emissions)
    more = len(inputs.targets) - 1
    note = (_("Das nächste von %(n)s Zielen; alle stehen im Blatt „Klimapakt“ und in der JSON-Datei.")
            % {"n": len(inputs.targets)}) if more else ""
    put(keys[0], first["base_year"], note)
    put(keys[1], first["target_year"], note)
    put(keys[2], first["scopes"])
    if first["reduction_percent"] is not None:
        put(keys[3], Decimal(first["reduction_percent"]))
    for key, value in ((keys[4], first["base_year_t_co2e"]), (keys[5], first["target_year_t_co2e"])):
        if value is None:
            put(key, None, _("Für das Basisjahr %(year)s gibt es keine CO₂-Bilanz auf der Plattform.")
                % {"year": first["base_year"]}, MISSING)
        else:
            put(key, value)
