"""Which carriers and units a measure's saving may be given in, and how a unit reads.

The measure form offers every carrier of the factor table that needs nothing but a quantity and
a unit: refrigerants need the refrigerant, natural gas in m³ needs calorific values, so those
are left out (a saving there goes into the own tonnes). Plain functions of the factor table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from klimapakt.ghg import calculation

# Carriers and (carrier, unit) pairs whose calculation needs more than quantity and unit.
EXCLUDED_CARRIERS = frozenset({"refrigerant"})
EXCLUDED_UNITS = frozenset({("natural_gas", "m3")})
# Of the energy units only these are offered: Wh, GWh, MJ and GJ would only lengthen the list.
ENERGY_BASES = ("kWh", "MWh")

# TODO(labels): use klimapakt.ghg.labels.unit_label
_UNIT_LABELS = {
    "l": _("Liter"),
    "m3": "m³",
    "pkm": _("Personenkilometer"),
    "kg": "kg",
    "t": "t",
}
_CALORIFIC_LABELS = {"_hs": _("%(unit)s (Brennwert)"), "_hi": _("%(unit)s (Heizwert)")}


def unit_label(unit: str) -> str:
    """How a unit reads in the active language: kWh_hs -> "kWh (Brennwert)", l -> "Liter"."""
    if unit in _UNIT_LABELS:
        return str(_UNIT_LABELS[unit])
    suffix = unit[-3:]
    if suffix in _CALORIFIC_LABELS and unit[:-3] in calculation.ENERGY_UNITS:
        return str(_CALORIFIC_LABELS[suffix]) % {"unit": unit[:-3]}
    return unit


def _offered(unit: str) -> bool:
    base = unit[:-3] if unit[-3:] in calculation.CALORIFIC_SUFFIXES else unit
    return base not in calculation.ENERGY_UNITS or base in ENERGY_BASES


def saving_units(table: calculation.FactorTable) -> dict[str, list[str]]:
    """Per offered carrier the units a saving may be given in, in the table's order (the first
    one is the usual one: kWh for electricity, kWh_hs for natural gas, litres for diesel)."""
    out = {}
    for carrier in table.carriers():
        if carrier in EXCLUDED_CARRIERS:
            continue
        units = [u for u in table.units_for(carrier) if _offered(u) and (carrier, u) not in EXCLUDED_UNITS]
        if units:
            out[carrier] = units
    return out


def carrier_name(table: calculation.FactorTable, carrier: str, language: str = "de") -> str:
    """A carrier's name for a person: German, English on English pages; the key if unknown."""
    if not table.has_carrier(carrier):
        return carrier
    info = table.carrier_info(carrier)
    return info.name_en if language == "en" and info.name_en else info.name_de


def form_choices(table: calculation.FactorTable, language: str = "de"
                 ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, str]]:
    """(carriers, units, usual unit per carrier) for the measure form: the offered carriers by
    name, every unit one of them may be given in (kWh and MWh first, then Brennwert, Heizwert,
    volumes, the rest), and per carrier its usual unit (a catalogue template prefills it)."""
    offered = saving_units(table)
    carriers = [(c, carrier_name(table, c, language)) for c in offered]
    order = [*ENERGY_BASES, *(b + s for s in calculation.CALORIFIC_SUFFIXES for b in ENERGY_BASES),
             *calculation.VOLUME_UNITS]
    found = {u for units in offered.values() for u in units}
    units = sorted(found, key=lambda u: (order.index(u), "") if u in order else (len(order), u))
    return carriers, [(u, unit_label(u)) for u in units], {c: units[0] for c, units in offered.items()}
