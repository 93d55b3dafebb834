"""Which carriers and units a measure's saving may be given in, and how a unit reads.

The measure form offers every carrier of the factor table that needs nothing but a quantity and
a unit: refrigerants need the refrigerant, natural gas in m³ needs calorific values, so those
are left out (a saving there goes into the own tonnes). Plain functions of the factor table."""

from __future__ import annotations

from klimapakt.ghg import calculation
from klimapakt.ghg.labels import carrier_label, unit_label

# Carriers and (carrier, unit) pairs whose calculation needs more than quantity and unit.
EXCLUDED_CARRIERS = frozenset({"refrigerant"})
EXCLUDED_UNITS = frozenset({("natural_gas", "m3")})
# Of the energy units only these are offered: Wh, GWh, MJ and GJ would only lengthen the list.
ENERGY_BASES = ("kWh", "MWh")

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


def form_choices(table: calculation.FactorTable, language: str = "de"
                 ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, str]]:
    """(carriers, units, usual unit per carrier) for the measure form: the offered carriers by
    name, every unit one of them may be given in (kWh and MWh first, then Brennwert, Heizwert,
    volumes, the rest), and per carrier its usual unit (a catalogue template prefills it)."""
    offered = saving_units(table)
    carriers = [(c, carrier_label(table, c, language=language)) for c in offered]
    order = [*ENERGY_BASES, *(b + s for s in calculation.CALORIFIC_SUFFIXES for b in ENERGY_BASES),
             *calculation.VOLUME_UNITS]
    found = {u for units in offered.values() for u in units}
    units = sorted(found, key=lambda u: (order.index(u), "") if u in order else (len(order), u))
    return carriers, [(u, unit_label(u)) for u in units], {c: units[0] for c, units in offered.items()}
