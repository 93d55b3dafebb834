"""Many balances at once (all organisations of a year): exact totals per key from the output of
one SQL GROUP BY, with integer arithmetic over a common denominator."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .engine import Activity, CalculationError, calculate
from .factors import FactorTable
from .totals import SCOPE_KEYS, T_PLACES, Emissions, round_ratio, with_totals

MICRO = 10**6


class KeyTotals:
    """Totals of one key (an organisation) as exact integers over a shared denominator;
    fractions are built only when read. The totals and their rounding follow ``totals``."""

    __slots__ = ("sums", "denominator")

    def __init__(self, denominator: int):
        self.sums = [0, 0, 0, 0]  # scope1, scope2_location, scope2_market, scope3
        self.denominator = denominator

    def numerators(self) -> dict[str, int]:
        return with_totals(dict(zip(SCOPE_KEYS, self.sums, strict=True)))

    def totals(self) -> dict[str, Fraction]:
        return {k: Fraction(v, self.denominator) for k, v in self.numerators().items()}

    def emissions(self) -> Emissions:
        return Emissions.from_mapping(self.totals())

    def rounded(self, places: int = T_PLACES) -> dict[str, Decimal]:
        return {k: round_ratio(v, self.denominator, places) for k, v in self.numerators().items()}


def totals_by_key(table: FactorTable, year: int, rows: Iterable[tuple]) -> tuple[dict[Any, KeyTotals], set]:
    """Totals per key from rows ``(key, carrier, unit, supplier_factor, [refrigerant, category,
    calorific value, z-number,] quantity_micro)`` where
    ``quantity_micro`` is the (summed) quantity in millionths as an int: the output of one SQL
    GROUP BY. Each (carrier, unit, supplier factor) gets its per-unit coefficient from
    ``calculate`` once; the calculation is linear, so sum x coefficient equals the sum of the
    lines. Integer arithmetic over a common denominator keeps it exact and fast.
    Returns (totals per key, keys whose rows the calculation rejects)."""
    rows = rows if isinstance(rows, list) else list(rows)
    coefficients: dict[tuple, tuple[int, Fraction, Fraction] | None] = {}
    for row in rows:
        combo = row[1:-1]
        if combo in coefficients:
            continue
        carrier, unit, supplier, *extra = combo
        try:
            line = calculate(table, year, [Activity(carrier, 1, unit, supplier, *extra)]).lines[0]
        except CalculationError:
            coefficients[combo] = None
            continue
        coefficients[combo] = (line.scope, line.t_location, line.t_market)
    denominator = 1
    for value in coefficients.values():
        if value is not None:
            for f in value[1:]:
                denominator = denominator * f.denominator // math.gcd(denominator, f.denominator)
    scaled = {combo: None if v is None else (v[0], v[1].numerator * (denominator // v[1].denominator),
                                             v[2].numerator * (denominator // v[2].denominator))
              for combo, v in coefficients.items()}
    shared = denominator * MICRO
    out: dict[Any, KeyTotals] = {}
    rejected = set()
    for row in rows:
        key, q = row[0], row[-1]
        coefficient = scaled[row[1:-1]]
        if coefficient is None:
            rejected.add(key)
            continue
        totals = out.get(key)
        if totals is None:
            totals = out[key] = KeyTotals(shared)
        scope, loc, mkt = coefficient
        sums = totals.sums
        if scope == 1:
            sums[0] += q * loc
        elif scope == 2:
            sums[1] += q * loc
            sums[2] += q * mkt
        else:
            sums[3] += q * loc
    for key in rejected:
        out.pop(key, None)
    return out, rejected

