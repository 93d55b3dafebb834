"""The CO2 balance calculation: plain Python, no Django, exact arithmetic.

The rules are the public contract in ``klimapakt/ghg/data/README.md`` (copied from the
shared reference data). In short:

1. Exact arithmetic throughout (``fractions.Fraction``: 250000 kWh_hs / 1.11 stays exact);
   round only when presenting: t CO2e to 3 decimals, half-up. Totals are summed from the
   unrounded values, then rounded (``totals``: the one place that does it).
2. The factor of a carrier for balance year Y is the row with the latest ``year`` <= Y, else
   the row without a year. Only later years -> an error. A year other than Y -> fallback flag.
3. Unknown carrier, unknown unit, a unit that cannot reach the factor's unit, a negative or
   non-numeric quantity are rejected naming the line and the field. Plain ``kWh`` for a
   carrier whose factor is per ``kWh_hi`` is ambiguous and rejected (asks for kWh_hs/kWh_hi).
4. Scope 2 twice: location-based with the table's factor, market-based with the supplier's
   factor on the line (kg CO2 per kWh); without one market = location and the line is flagged.

Modules: ``units`` (units, limits, parsing numbers), ``factors`` (the factor table and the
shipped CSV set), ``engine`` (``calculate``), ``totals`` (the total of a balance and the
rounding rule), ``bulk`` (totals of many balances from one SQL GROUP BY). The names below are
the public interface: ``from klimapakt.ghg.calculation import calculate``.
"""

from .bulk import MICRO, KeyTotals, totals_by_key
from .engine import CATEGORIES, Activity, CalculationError, LineResult, Message, Named, Result, calculate
from .factors import (
    CONVERSIONS_CSV,
    DATA_DIR,
    EDITIONS_DIR,
    FACTORS_CSV,
    REFRIGERANTS_CSV,
    SCOPE3_CSV,
    STATUSES,
    VARIANT_CARRIERS,
    CompositionError,
    Conversion,
    Factor,
    FactorTable,
    base_table,
    conversions_from_csv,
    default_table,
    edition_files,
    factors_from_csv,
    format_composition,
    parse_composition,
    reference_gwp,
    refrigerants_from_csv,
    shipped_factors,
)
from .totals import (
    COVERS,
    SCOPE_KEYS,
    T_PLACES,
    TOTAL_KEYS,
    Emissions,
    format_t,
    intensity,
    round_ratio,
    round_t,
    sum_emissions,
    sum_exact,
    with_totals,
)
from .units import (
    CALORIFIC_SUFFIXES,
    ENERGY_UNITS,
    MAX_QUANTITY_EXPONENT,
    MAX_SIGNIFICANT_DIGITS,
    MAX_SUPPLIER_FACTOR,
    MAX_YEAR,
    MIN_YEAR,
    SCOPES,
    UNIT_ALIASES,
    VOLUME_UNITS,
    gettext_noop,
    parse_decimal,
)

__all__ = [
    "CATEGORIES", "EDITIONS_DIR", "REFRIGERANTS_CSV", "SCOPE3_CSV", "STATUSES", "VARIANT_CARRIERS", "Named",
    "CompositionError", "base_table", "edition_files", "format_composition", "parse_composition", "reference_gwp",
    "refrigerants_from_csv", "shipped_factors",
    "CALORIFIC_SUFFIXES", "CONVERSIONS_CSV", "COVERS", "DATA_DIR", "ENERGY_UNITS", "FACTORS_CSV",
    "MAX_QUANTITY_EXPONENT", "MAX_SIGNIFICANT_DIGITS", "MAX_SUPPLIER_FACTOR", "MAX_YEAR", "MICRO", "MIN_YEAR",
    "SCOPES", "SCOPE_KEYS", "TOTAL_KEYS", "T_PLACES", "UNIT_ALIASES", "VOLUME_UNITS",
    "Activity", "CalculationError", "Conversion", "Emissions", "Factor", "FactorTable", "KeyTotals", "LineResult",
    "Message", "Result", "calculate", "conversions_from_csv", "default_table", "factors_from_csv", "format_t",
    "gettext_noop", "intensity", "parse_decimal", "round_ratio", "round_t", "sum_emissions", "sum_exact", "totals_by_key",
    "with_totals",
]
