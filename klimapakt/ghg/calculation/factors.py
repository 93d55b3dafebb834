"""The factor table: emission factors and unit conversions as data (``FactorTable``), and the
shipped default set read from the CSV files. The API, the spreadsheet import and the stored
balances all pass in the same kind of table, loaded from the database or from the CSV files.

Rule 2: the factor of a carrier for balance year Y is the row with the latest ``year`` <= Y,
else the row without a year. Only later years -> an error. A year other than Y -> fallback flag.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .units import CALORIFIC_SUFFIXES, ENERGY_UNITS, UNIT_ALIASES, VOLUME_UNITS, is_plain_energy

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FACTORS_CSV = DATA_DIR / "emission_factors_de.csv"
CONVERSIONS_CSV = DATA_DIR / "unit_conversions.csv"


@dataclass(frozen=True)
class Factor:
    """One emission factor: kg CO2e per ``unit`` of ``carrier``, valid for ``year`` (None: all years)."""

    id: Any
    carrier: str
    name_de: str
    name_en: str
    scope: int
    unit: str
    value: Decimal
    year: int | None
    source: str
    note: str = ""


@dataclass(frozen=True)
class Conversion:
    """``quantity in from_unit * numerator / denominator = quantity in to_unit``; carrier ``*``: every carrier."""

    carrier: str
    from_unit: str
    to_unit: str
    numerator: Decimal
    denominator: Decimal
    source: str = ""

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.numerator) / Fraction(self.denominator)


class FactorTable:
    """The emission factors and unit conversions one calculation uses. Immutable once built;
    conversion paths are computed once per (carrier, from, to) and cached."""

    def __init__(self, factors: Iterable[Factor], conversions: Iterable[Conversion]):
        self.factors: tuple[Factor, ...] = tuple(factors)
        self.conversions: tuple[Conversion, ...] = tuple(conversions)
        self._by_carrier: dict[str, list[Factor]] = {}
        for f in self.factors:
            self._by_carrier.setdefault(f.carrier, []).append(f)
        for rows in self._by_carrier.values():
            rows.sort(key=lambda f: (f.year is not None, f.year or 0))
        units = {u + s for u in ENERGY_UNITS for s in ("", *CALORIFIC_SUFFIXES)} | set(VOLUME_UNITS)
        self._edges: dict[str, dict[str, dict[str, Fraction]]] = {}
        for c in self.conversions:
            units |= {c.from_unit, c.to_unit}
            pairs = [(c.from_unit, c.to_unit)]
            if c.carrier == "*" and is_plain_energy(c.from_unit) and is_plain_energy(c.to_unit):
                # An SI prefix row holds on every calorific basis too: MWh_hs -> kWh_hs.
                pairs += [(c.from_unit + s, c.to_unit + s) for s in CALORIFIC_SUFFIXES]
            edges = self._edges.setdefault(c.carrier, {})
            ratio = c.ratio
            for a, b in pairs:
                edges.setdefault(a, {})[b] = ratio
                edges.setdefault(b, {}).setdefault(a, 1 / ratio)
        units |= {f.unit for f in self.factors}
        self.units: frozenset[str] = frozenset(units)
        self._unit_lookup = {u.lower(): u for u in sorted(self.units)}
        self._paths: dict[tuple[str, str, str], Fraction | None] = {}
        self._coefficients: dict[tuple, tuple] = {}
        self._selected: dict[tuple, tuple] = {}

    # -- carriers and factors ----------------------------------------------------------
    def carriers(self) -> list[str]:
        return list(self._by_carrier)

    def has_carrier(self, carrier: str) -> bool:
        return carrier in self._by_carrier

    def carrier_rows(self, carrier: str) -> list[Factor]:
        return list(self._by_carrier.get(carrier, ()))

    def carrier_info(self, carrier: str) -> Factor:
        """The newest row of a carrier: its names, scope and unit."""
        return self._by_carrier[carrier][-1]

    def factor_for(self, carrier: str, year: int) -> tuple[Factor, bool]:
        """(factor, fallback) for the balance year; raises KeyError (unknown carrier) or
        LookupError (only later years) - rule 2."""
        cached = self._selected.get((carrier, year))
        if cached is not None:
            return cached
        rows = self._by_carrier[carrier]
        dated = [f for f in rows if f.year is not None and f.year <= year]
        if dated:
            chosen = dated[-1]
            result = (chosen, chosen.year != year)
        else:
            undated = [f for f in rows if f.year is None]
            if not undated:
                raise LookupError(carrier)
            result = (undated[-1], False)
        self._selected[(carrier, year)] = result
        return result

    def factors_for_year(self, year: int) -> list[tuple[Factor, bool]]:
        """Per carrier the factor that applies to ``year`` (carriers without one left out)."""
        out = []
        for carrier in self._by_carrier:
            try:
                out.append(self.factor_for(carrier, year))
            except LookupError:
                continue
        return out

    # -- units -------------------------------------------------------------------------
    def canonical_unit(self, text: str) -> str | None:
        if not isinstance(text, str):
            return None
        key = text.strip().replace("³", "3")
        key = UNIT_ALIASES.get(key.lower(), key)
        return self._unit_lookup.get(key.lower())

    def ratio(self, carrier: str, from_unit: str, to_unit: str) -> Fraction | None:
        """The exact factor turning a quantity in ``from_unit`` into ``to_unit`` for ``carrier``
        (None when no path exists). Breadth-first over the carrier's and the general rows."""
        key = (carrier, from_unit, to_unit)
        if key in self._paths:
            return self._paths[key]
        result = None
        if from_unit == to_unit:
            result = Fraction(1)
        else:
            general = self._edges.get("*", {})
            own = self._edges.get(carrier, {}) if carrier != "*" else {}
            seen = {from_unit: Fraction(1)}
            frontier = [from_unit]
            while frontier and result is None:
                following = []
                for unit in frontier:
                    for edges in (own, general):
                        for nxt, r in edges.get(unit, {}).items():
                            if nxt in seen:
                                continue
                            seen[nxt] = seen[unit] * r
                            if nxt == to_unit:
                                result = seen[nxt]
                                break
                            following.append(nxt)
                        if result is not None:
                            break
                    if result is not None:
                        break
                frontier = following
        self._paths[key] = result
        return result

    def coefficient(self, factor: Factor, unit: str) -> tuple[Fraction, Fraction]:
        """(quantity in factor unit per unit, t CO2e per unit) for a factor and an input unit
        whose path exists; cached, so a line costs one multiplication."""
        key = (factor.id, factor.carrier, unit)
        cached = self._coefficients.get(key)
        if cached is None:
            ratio = self.ratio(factor.carrier, unit, factor.unit)
            cached = (ratio, ratio * Fraction(factor.value) / 1000)
            self._coefficients[key] = cached
        return cached

    def units_for(self, carrier: str) -> list[str]:
        """Every unit a quantity of ``carrier`` may be given in, in a stable, readable order."""
        target = self.carrier_info(carrier).unit
        order = [*ENERGY_UNITS, *(u + s for s in CALORIFIC_SUFFIXES for u in ENERGY_UNITS), *VOLUME_UNITS]
        rest = sorted(self.units - set(order))
        return [u for u in (*order, *rest) if self.ratio(carrier, u, target) is not None]


# --------------------------------------------------------------------------------------
# Loading the shipped reference data (CSV)


def _read_csv(source: str | Path | io.TextIOBase) -> list[dict[str, str]]:
    if isinstance(source, Path | str) and not (isinstance(source, str) and "\n" in source):
        with open(source, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    if isinstance(source, str):
        source = io.StringIO(source)
    return list(csv.DictReader(source))


def factors_from_csv(source=FACTORS_CSV) -> list[Factor]:
    rows = []
    for row in _read_csv(source):
        year = int(row["year"]) if row["year"].strip() else None
        rows.append(Factor(
            id=f"{row['carrier']}:{year}" if year else row["carrier"],
            carrier=row["carrier"], name_de=row["name_de"], name_en=row["name_en"], scope=int(row["scope"]),
            unit=row["unit"], value=Decimal(row["kg_co2_per_unit"]), year=year,
            source=row["source"], note=row.get("note", ""),
        ))
    return rows


def conversions_from_csv(source=CONVERSIONS_CSV) -> list[Conversion]:
    return [Conversion(carrier=row["carrier"], from_unit=row["from_unit"], to_unit=row["to_unit"],
                       numerator=Decimal(row["numerator"]), denominator=Decimal(row["denominator"]),
                       source=row.get("source", ""))
            for row in _read_csv(source)]


_DEFAULT: FactorTable | None = None


def default_table() -> FactorTable:
    """The shipped default set, straight from the CSV files (tests, no database)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FactorTable(factors_from_csv(), conversions_from_csv())
    return _DEFAULT

