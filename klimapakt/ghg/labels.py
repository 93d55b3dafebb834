"""How the CO2 balance names things for people: units, carriers, refrigerants, categories, the
status of a factor and the wording of sources, in the reader's language. One place, used by
every page, PDF, XLSX and mail of the balance; the API keeps the keys (``kWh_hs``,
``natural_gas``) and the stored sources stay as shipped (``source_text`` only presents them)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import get_language, gettext, gettext_noop, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from klimapakt.core.formatting import number, round_half_up

from . import calculation

_ENERGY_BASES = {"_hs": _("Brennwert"), "_hi": _("Heizwert")}
_UNITS = {
    "l": _("Liter"),
    "m3": "m³",
    "pkm": _("Personenkilometer"),
    "kg": "kg",
    "t": pgettext_lazy("unit", "t"),
}
STATUS_LABELS = {"final": _("endgültig"), "preliminary": _("vorläufig"), "estimate": _("hochgerechnet")}
CATEGORY_LABELS = {"business_travel": _("Dienstreisen"), "commuting": _("Pendeln")}


def reader_language(language: str | None = None) -> str:
    """The reader's language, "de" or "en": the one given, else the active one."""
    return (language or get_language() or "de")[:2]


def unit_label(unit: str) -> str:
    """``kWh_hs`` -> "kWh (Brennwert)", ``l`` -> "Liter", ``m3`` -> "m³"; other units as they are."""
    if not unit:
        return ""
    suffix = unit[-3:]
    if suffix in _ENERGY_BASES and unit[:-3] in calculation.ENERGY_UNITS:
        return f"{unit[:-3]} ({_ENERGY_BASES[suffix]})"
    return str(_UNITS.get(unit, unit))


def units_text(units) -> str:
    """Units a quantity may be given in, for people and short: "Wh, kWh, MWh, GWh, MJ, GJ
    (Brennwert); Wh, kWh, MWh, GWh, MJ, GJ (Heizwert); m³" instead of twelve "… (Brennwert)"."""
    order: list[str] = []
    groups: dict[str, list[str]] = {}
    for unit in units:
        suffix = unit[-3:] if unit[-3:] in _ENERGY_BASES and unit[:-3] in calculation.ENERGY_UNITS else ""
        key = suffix if suffix or unit in calculation.ENERGY_UNITS else unit
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(unit[:-3] if suffix else unit)
    out = []
    for key in order:
        if key in _ENERGY_BASES:
            out.append(f"{', '.join(groups[key])} ({_ENERGY_BASES[key]})")
        elif key == "":
            out.append(", ".join(groups[key]))
        else:
            out.append(unit_label(key))
    return "; ".join(out)


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, ""))


def status_note(status: str) -> str:
    """The status where a reader must know it: "vorläufig", "hochgerechnet"; nothing for a final
    value (or a value whose source gives no status)."""
    return "" if status == "final" else status_label(status)


def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, ""))


def carrier_label(table: calculation.FactorTable, carrier: str, *, language: str = "de", variant: str = "") -> str:
    """A carrier's name in the reader's language ("Erdgas", "Kältemittel R-404A"), never its key
    unless the table does not know it."""
    if not table.has_carrier(carrier):
        return carrier
    info = table.carrier_info(carrier)
    name = info.name_en if language == "en" and info.name_en else info.name_de
    return f"{name} {variant}" if variant else name


def group_label(carrier: str, name: str, *, language: str | None = None) -> str:
    """The name under which a chart or a table by carrier sums a carrier's lines: the carrier's
    own name for a carrier of variants ("Kältemittel", whichever refrigerant leaked), else the
    line's name."""
    described = calculation.VARIANT_CARRIERS.get(carrier)
    if described is None:
        return name
    return described["name_en"] if reader_language(language) == "en" else described["name_de"]


# --- Quantities and factors ------------------------------------------------------------------


def quantity_text(quantity, unit: str) -> str:
    """"250.000 kWh (Brennwert)", "10.000 m³", "4.000 Liter"."""
    return f"{number(quantity)}\u00a0{unit_label(unit)}"


def gas_volume_text(quantity, calorific_value, z_number) -> str:
    """Rule 6 spelled out: "10.000 m³ × 11,2 kWh/m³ × 0,9543 = 106.881,6 kWh (Brennwert)"."""
    kwh = round_half_up(Decimal(quantity) * Decimal(calorific_value) * Decimal(z_number), 3)
    return "{q} m³ × {hs} kWh/m³ × {z} = {kwh}".format(
        q=number(quantity), hs=number(calorific_value), z=number(z_number), kwh=quantity_text(kwh, "kWh_hs"))


def factor_text(value, unit: str) -> str:
    """A factor as people read it: "0,201 kg je kWh (Heizwert)", "4.728 kg CO₂e je kg" (a
    refrigerant: its GWP; rule 10: CO2e), "0,164 kg CO₂e je Personenkilometer" (rule 8)."""
    template = gettext("%(value)s kg CO₂e je %(unit)s") if unit in CO2E_UNITS else gettext("%(value)s kg je %(unit)s")
    return template % {"value": number(value), "unit": unit_label(unit)}


CO2E_UNITS = ("kg", "t", "pkm")  # refrigerants (rule 7) and travel (rule 8): their factors are CO2e (rule 10)


# --- Sources and notes -----------------------------------------------------------------------
# The shipped data keeps its sources and notes as published (partly English); a German reader
# reads them in German. Each known English phrase has a German msgid, whose English translation
# is the phrase itself. Longer phrases win; text the table does not know passes unchanged.

SOURCE_PHRASES: dict[str, str] = {
    # sources of the default set
    "as cited by": gettext_noop("zitiert nach"),
    "editions 2022-2025": gettext_noop("Ausgaben 2022–2025"),
    "2025 edition (v3.3)": gettext_noop("Ausgabe 2025 (v3.3)"),
    "(values from UBA, 2020 edition)": gettext_noop("(Werte des Umweltbundesamts, Ausgabe 2020)"),
    "(preliminary)": gettext_noop("(vorläufig)"),
    "(estimate)": gettext_noop("(hochgerechnet)"),
    "2021 analysis": gettext_noop("Auswertung 2021"),
    "computed from the composition (mass %) and the AR6 values of the components": gettext_noop(
        "berechnet aus der Zusammensetzung (Massen-%) und den AR6-Werten der Bestandteile"),
    # notes of the fuels, grid and district heating
    "direct CO2 from combustion, per kWh net calorific value (Heizwert)": gettext_noop(
        "direktes CO₂ aus der Verbrennung, je kWh Heizwert"),
    "direct CO2 from combustion, per kWh net calorific value": gettext_noop(
        "direktes CO₂ aus der Verbrennung, je kWh Heizwert"),
    "BAFA value; biogenic CO2 counted as zero": gettext_noop(
        "Wert des BAFA; das biogene CO₂ der Verbrennung ist mit null angesetzt"),
    "per litre at the pump, tank-to-wheel CO2": gettext_noop(
        "je Liter an der Zapfsäule, CO₂ aus der Verbrennung (tank-to-wheel)"),
    "default where the supplier gives no specific value; prefer the supplier's own factor": gettext_noop(
        "Standardwert, wenn der Versorger keinen eigenen Wert nennt; der Faktor des Versorgers hat Vorrang"),
    "location-based; CO2 per kWh of final electricity consumption": gettext_noop(
        "standortbasiert; CO₂ je kWh Stromverbrauch"),
    "location-based; direct CO2 per kWh of electricity consumption": gettext_noop(
        "standortbasiert; direktes CO₂ je kWh Stromverbrauch"),
    "location-based": gettext_noop("standortbasiert"),
    # notes of the Scope 3 defaults
    "per passenger-km, average occupancy 1.4, CO2e incl. energy supply (well-to-wheel)": gettext_noop(
        "je Personenkilometer, im Mittel 1,4 Personen je Pkw, CO₂e einschließlich Energiebereitstellung "
        "(well-to-wheel)"),
    "per passenger-km, CO2e incl. electricity supply": gettext_noop(
        "je Personenkilometer, CO₂e einschließlich Strombereitstellung"),
    "per passenger-km, CO2e incl. energy supply and non-CO2 effects": gettext_noop(
        "je Personenkilometer, CO₂e einschließlich Energiebereitstellung und Nicht-CO₂-Effekten"),
    "per passenger-km, CO2e incl. energy supply": gettext_noop(
        "je Personenkilometer, CO₂e einschließlich Energiebereitstellung"),
    # notes of the refrigerants
    "HFC blend (ASHRAE 34 composition)": gettext_noop("HFKW-Gemisch (Zusammensetzung nach ASHRAE 34)"),
    "HFC, blend component": gettext_noop("HFKW, Bestandteil von Gemischen"),
    "HFC": gettext_noop("HFKW"),
    "Table 7.SM.7": gettext_noop("Tabelle 7.SM.7"),
    "natural refrigerant": gettext_noop("natürliches Kältemittel"),
    # sources of the unit conversions
    "SI prefix": gettext_noop("SI-Vorsatz"),
    "1 kWh = 3.6 MJ": gettext_noop("1 kWh = 3,6 MJ"),
    "1 m³ = 1000 l": gettext_noop("1 m³ = 1.000 l"),
    "ratio of gross to net calorific value (Hs/Hi) for natural gas, as used in DIN V 18599 / GEG; German gas "
    "bills state kWh on gross calorific value (Brennwert)": gettext_noop(
        "Verhältnis von Brennwert zu Heizwert (Hs/Hi) für Erdgas nach DIN V 18599 / GEG; Gasrechnungen nennen "
        "kWh auf Brennwert-Basis"),
    "Hs/Hi ratio for heating oil, DIN V 18599 / GEG": gettext_noop(
        "Verhältnis von Brennwert zu Heizwert (Hs/Hi) für Heizöl, DIN V 18599 / GEG"),
    "Hs/Hi ratio for LPG, DIN V 18599 / GEG": gettext_noop(
        "Verhältnis von Brennwert zu Heizwert (Hs/Hi) für Flüssiggas, DIN V 18599 / GEG"),
    "approximate net calorific value of light heating oil: 42.8 MJ/kg at 0.84 kg/l is about 10 kWh/l (derived)":
        gettext_noop("ungefährer Heizwert von Heizöl EL: 42,8 MJ/kg bei 0,84 kg/l ergeben etwa 10 kWh/l "
                     "(abgeleitet)"),
}
_SOURCE_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(SOURCE_PHRASES, key=len, reverse=True)) + r")(?!\w)")


def source_text(text: str | None, language: str | None = None) -> str:
    """A stored source or note as the reader reads it: the known English phrases of the shipped
    data in German for German readers ("Umweltbundesamt, as cited by Deutsche Umwelthilfe" ->
    "Umweltbundesamt, zitiert nach Deutsche Umwelthilfe"); for English readers the text as
    stored. Text the table does not know (an office's own source) passes unchanged."""
    if not text:
        return ""
    language = reader_language(language)
    if language == "en":
        return text
    with override(language):
        return _SOURCE_PATTERN.sub(lambda match: gettext(SOURCE_PHRASES[match.group(0)]), text)
