"""The factor table: emission factors and unit conversions as data (``FactorTable``), and the
shipped default set read from the CSV files. The API, the spreadsheet import and the stored
balances all pass in the same kind of table, loaded from the database or from the CSV files.

Rule 2: the factor of a carrier for balance year Y is the row with the latest ``year`` <= Y,
else the row without a year. Only later years -> an error. A year other than Y -> fallback flag.
Rule 2a: rows of several editions for the same year -> the newest edition (``rank``) wins.
Rule 7: refrigerants are rows of the carrier ``refrigerant`` told apart by ``variant`` (the
refrigerant, e.g. ``R-404A``); a blend's value is the mass-weighted sum of its components'
current values (``composition``), not rounded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .units import CALORIFIC_SUFFIXES, ENERGY_UNITS, UNIT_ALIASES, VOLUME_UNITS, is_plain_energy

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FACTORS_CSV = DATA_DIR / "emission_factors_de.csv"
CONVERSIONS_CSV = DATA_DIR / "unit_conversions.csv"
REFRIGERANTS_CSV = DATA_DIR / "refrigerants_gwp.csv"
SCOPE3_CSV = DATA_DIR / "scope3_defaults_de.csv"
EDITIONS_DIR = DATA_DIR / "editions"

# Carriers whose rows are told apart by a further field of the line (rule 7): the field's name
# in the API, and the names, scope and unit of the carrier as a whole.
VARIANT_CARRIERS: dict[str, dict[str, Any]] = {
    "refrigerant": {"field": "refrigerant", "name_de": "Kältemittel", "name_en": "Refrigerant", "scope": 1,
                    "unit": "kg"},
}
STATUSES = ("final", "preliminary", "estimate")
# Rule 6 is about natural gas bills (Brennwert about 10-12 kWh/m³); LPG is bought by the litre or
# kilogram, and a propane Brennwert (about 28 kWh/m³) would not fit the rule's bounds.
GAS_BY_VOLUME = ("natural_gas",)


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
    variant: str = ""                                   # the refrigerant of a ``refrigerant`` row
    composition: tuple[tuple[str, Decimal], ...] = ()   # a blend: (component, mass %) pairs
    status: str = ""                                    # final / preliminary / estimate (rule 2a data)
    rank: int = 0                                       # edition order: the higher wins (rule 2a)


class CompositionError(ValueError):
    """A composition that cannot be a blend; ``reason``: "format" (not "name:share;..." or not
    100 % in all), "share" (a share not above 0 and at most 100) or "duplicate" (a component twice)."""

    def __init__(self, text: str, reason: str):
        super().__init__(text)
        self.reason = reason


def parse_composition(text: str) -> tuple[tuple[str, Decimal], ...]:
    """``"R-125:44;R-143a:52;R-134a:4"`` -> ((component, mass %), ...); CompositionError (a
    ValueError) when the shares are not numbers, not each above 0 and at most 100, name a
    component twice, or do not add up to 100 %."""
    if not text or not text.strip():
        return ()
    parts = []
    for item in text.split(";"):
        name, _sep, share = item.partition(":")
        if not name.strip() or not share.strip():
            raise CompositionError(text, "format")
        try:
            value = Decimal(share.strip())
        except ArithmeticError:
            raise CompositionError(text, "format") from None
        if not value.is_finite():
            raise CompositionError(text, "format")
        if not 0 < value <= 100:
            raise CompositionError(text, "share")
        parts.append((name.strip(), value))
    if len({_variant_key(name) for name, _share in parts}) != len(parts):
        raise CompositionError(text, "duplicate")
    if sum(share for _n, share in parts) != 100:
        raise CompositionError(text, "format")
    return tuple(parts)


def format_composition(parts: tuple[tuple[str, Decimal], ...]) -> str:
    return ";".join(f"{name}:{share.normalize():f}" for name, share in parts)


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
        self.conversions: tuple[Conversion, ...] = tuple(conversions)
        self._by_carrier: dict[str, list[Factor]] = {}
        self._variants: dict[str, dict[str, list[Factor]]] = {}
        factors = _with_blend_values(list(factors))
        self.factors: tuple[Factor, ...] = tuple(factors)
        for f in self.factors:
            if f.variant:
                self._variants.setdefault(f.carrier, {}).setdefault(f.variant, []).append(f)
            else:
                self._by_carrier.setdefault(f.carrier, []).append(f)
        for rows in (*self._by_carrier.values(), *(r for v in self._variants.values() for r in v.values())):
            rows.sort(key=_row_order)
        self._variant_lookup = {carrier: {_variant_key(v): v for v in variants}
                                for carrier, variants in self._variants.items()}
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
        return [*self._by_carrier, *(c for c in self._variants if c not in self._by_carrier)]

    def has_carrier(self, carrier: str) -> bool:
        return carrier in self._by_carrier or carrier in self._variants

    def carrier_rows(self, carrier: str, variant: str = "") -> list[Factor]:
        if variant:
            return list(self._variants.get(carrier, {}).get(variant, ()))
        return list(self._by_carrier.get(carrier, ()))

    def variant_field(self, carrier: str) -> str | None:
        """The field a line of this carrier must name its variant in (``refrigerant``), or None."""
        if carrier in self._variants:
            return VARIANT_CARRIERS.get(carrier, {}).get("field", "variant")
        return None

    def variants(self, carrier: str) -> list[str]:
        return sorted(self._variants.get(carrier, {}), key=_variant_sort)

    def canonical_variant(self, carrier: str, text: Any) -> str | None:
        """The variant as the table spells it ("r404a", "R 404 A" -> "R-404A"); None if unknown."""
        if not isinstance(text, str):
            return None
        return self._variant_lookup.get(carrier, {}).get(_variant_key(text))

    def carrier_info(self, carrier: str) -> Factor:
        """The newest row of a carrier: its names, scope and unit (for a carrier of variants,
        its general description)."""
        rows = self._by_carrier.get(carrier)
        if rows:
            return rows[-1]
        described = VARIANT_CARRIERS.get(carrier)
        first = next(iter(self._variants[carrier].values()))[-1]
        if described is None:
            return first
        return Factor(id=carrier, carrier=carrier, name_de=described["name_de"], name_en=described["name_en"],
                      scope=described["scope"], unit=first.unit, value=Decimal(0), year=None, source="")

    def factor_for(self, carrier: str, year: int, variant: str = "") -> tuple[Factor, bool]:
        """(factor, fallback) for the balance year; raises KeyError (unknown carrier or variant)
        or LookupError (only later years) - rules 2 and 2a."""
        cached = self._selected.get((carrier, year, variant))
        if cached is not None:
            return cached
        rows = self._variants[carrier][variant] if variant else self._by_carrier[carrier]
        dated = [f for f in rows if f.year is not None and f.year <= year]
        if dated:
            chosen = dated[-1]  # rows are ordered by (year, rank): the newest edition of the latest year
            result = (chosen, chosen.year != year)
        else:
            undated = [f for f in rows if f.year is None]
            if not undated:
                raise LookupError(carrier)
            result = (undated[-1], False)
        self._selected[(carrier, year, variant)] = result
        return result

    def factors_for_year(self, year: int) -> list[tuple[Factor, bool]]:
        """Per carrier (and refrigerant) the factor that applies to ``year`` (those without one left out)."""
        out = []
        keys = [(c, "") for c in self._by_carrier]
        keys += [(c, v) for c in self._variants for v in self.variants(c)]
        for carrier, variant in keys:
            try:
                out.append(self.factor_for(carrier, year, variant))
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

    def gas_by_volume(self, carrier: str, unit: str) -> bool:
        """Rule 6: ``m3`` of a gas whose factor is per calorific energy (no volume path of its
        own) is read with the bill's Brennwert and Zustandszahl, via ``kWh_hs``."""
        if unit != "m3" or carrier not in GAS_BY_VOLUME or not self.has_carrier(carrier):
            return False
        target = self.carrier_info(carrier).unit
        return self.ratio(carrier, "m3", target) is None and self.ratio(carrier, "kWh_hs", target) is not None

    def units_for(self, carrier: str) -> list[str]:
        """Every unit a quantity of ``carrier`` may be given in, in a stable, readable order."""
        target = self.carrier_info(carrier).unit
        order = [*ENERGY_UNITS, *(u + s for s in CALORIFIC_SUFFIXES for u in ENERGY_UNITS), *VOLUME_UNITS]
        rest = sorted(self.units - set(order))
        return [u for u in (*order, *rest)
                if self.ratio(carrier, u, target) is not None or self.gas_by_volume(carrier, u)]


def _row_order(f: Factor) -> tuple:
    return (f.year is not None, f.year or 0, f.rank)


def _variant_key(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _variant_sort(code: str) -> tuple:
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


def _with_blend_values(factors: list[Factor]) -> list[Factor]:
    """Rule 7: a blend's value is the mass-weighted sum of its components' values (the newest
    row of each), exactly; a blend whose components are not all known keeps its stored value."""
    if not any(f.composition for f in factors):
        return factors
    newest: dict[tuple[str, str], Factor] = {}
    for f in sorted(factors, key=_row_order):
        if f.variant and not f.composition:
            newest[(f.carrier, f.variant)] = f
    out = []
    for f in factors:
        if f.composition and all((f.carrier, name) in newest for name, _share in f.composition):
            value = sum((share * newest[(f.carrier, name)].value / 100 for name, share in f.composition), Decimal(0))
            f = replace(f, value=value)
        out.append(f)
    return out


# --------------------------------------------------------------------------------------
# Loading the shipped reference data (CSV)


def _read_csv(source: str | Path | io.TextIOBase) -> list[dict[str, str]]:
    if isinstance(source, Path | str) and not (isinstance(source, str) and "\n" in source):
        with open(source, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    if isinstance(source, str):
        source = io.StringIO(source)
    return list(csv.DictReader(source))


def factors_from_csv(source=FACTORS_CSV, *, rank: int = 0, prefix: str = "") -> list[Factor]:
    """Rows of an emission-factor file: the default set, the Scope 3 defaults (``kg_co2e_per_unit``)
    or an edition (with ``status``; ``rank`` orders editions, rule 2a)."""
    rows = []
    for row in _read_csv(source):
        year = int(row["year"]) if row["year"].strip() else None
        value = row.get("kg_co2_per_unit") or row.get("kg_co2e_per_unit")
        status = (row.get("status") or "").strip()
        rows.append(Factor(
            id=prefix + (f"{row['carrier']}:{year}" if year else row["carrier"]),
            carrier=row["carrier"], name_de=row["name_de"], name_en=row["name_en"], scope=int(row["scope"]),
            unit=row["unit"], value=Decimal(value), year=year,
            source=row["source"], note=row.get("note", ""), status=status if status in STATUSES else "", rank=rank,
        ))
    return rows


def refrigerants_from_csv(source=REFRIGERANTS_CSV) -> list[Factor]:
    """Rule 7: one row per refrigerant, kg CO2e per kg leaked = GWP (IPCC AR6, 100 years). A
    blend's value comes from its composition (computed when the table is built)."""
    rows = []
    described = VARIANT_CARRIERS["refrigerant"]
    for row in _read_csv(source):
        composition = parse_composition(row.get("composition", ""))
        gwp = row.get("gwp_ar6", "").strip()
        rows.append(Factor(
            id=f"refrigerant:{row['refrigerant']}", carrier="refrigerant", name_de=row["name"] or row["refrigerant"],
            name_en=row["name"] or row["refrigerant"], scope=described["scope"], unit=described["unit"],
            value=Decimal(gwp) if gwp else Decimal(0), year=None, source=row["source_ar6"], note=row.get("note", ""),
            variant=row["refrigerant"], composition=composition,
        ))
    return rows


def reference_gwp(source=REFRIGERANTS_CSV) -> dict[str, Decimal]:
    """The legal (AR4-based) GWP per refrigerant under EU 2024/573, shown for reference only."""
    return {row["refrigerant"]: Decimal(row["gwp_eu_2024_573"]) for row in _read_csv(source)
            if row.get("gwp_eu_2024_573", "").strip()}


def edition_files() -> list[Path]:
    """The shipped editions that follow the default set, oldest first (by file name)."""
    return sorted(EDITIONS_DIR.glob("*.csv")) if EDITIONS_DIR.is_dir() else []


def shipped_factors() -> list[Factor]:
    """The default set, the Scope 3 defaults, the refrigerants and every shipped edition."""
    factors = [*factors_from_csv(), *factors_from_csv(SCOPE3_CSV), *refrigerants_from_csv()]
    for rank, path in enumerate(edition_files(), start=1):
        factors += factors_from_csv(path, rank=rank, prefix=f"{path.stem}/")
    return factors


def conversions_from_csv(source=CONVERSIONS_CSV) -> list[Conversion]:
    return [Conversion(carrier=row["carrier"], from_unit=row["from_unit"], to_unit=row["to_unit"],
                       numerator=Decimal(row["numerator"]), denominator=Decimal(row["denominator"]),
                       source=row.get("source", ""))
            for row in _read_csv(source)]


_DEFAULT: FactorTable | None = None


def default_table() -> FactorTable:
    """Everything shipped (default set, Scope 3 defaults, refrigerants, editions), straight from
    the CSV files (tests and benchmarks, no database): what a new installation loads."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = FactorTable(shipped_factors(), conversions_from_csv())
    return _DEFAULT


def base_table() -> FactorTable:
    """The first contract's default set alone (``emission_factors_de.csv``), without editions."""
    return FactorTable(factors_from_csv(), conversions_from_csv())

