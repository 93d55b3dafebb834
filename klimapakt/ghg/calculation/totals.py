"""The total of a balance, in one place for every page, PDF, spreadsheet and API.

The rule (``shared/data/README.md``, rule 1): values are exact; a total is the sum of the exact
values of its scopes, rounded once, half-up, to 3 decimals, and only to be shown. A total is
never a sum of rounded values (three scopes of 0.0004 t make 0.001 t, not 0.000 t).

``Emissions`` holds the exact values of one balance (or the sum of several); it derives every
total (location- and market-based, and what a target covers) and every rounded figure, and is
stored with a balance or a report as exact fractions (``encode``/``decode``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from .units import parse_decimal

T_PLACES = 3
SCOPE_KEYS = ("scope1", "scope2_location", "scope2_market", "scope3")
TOTAL_KEYS = (*SCOPE_KEYS, "total_location", "total_market")
# The scopes a total covers; the short keys are a target's scopes (location-based Scope 2).
COVERS: dict[str, tuple[str, ...]] = {
    "total_location": ("scope1", "scope2_location", "scope3"),
    "total_market": ("scope1", "scope2_market", "scope3"),
    "1": ("scope1",),
    "2": ("scope2_location",),
    "1+2": ("scope1", "scope2_location"),
    "1+2+3": ("scope1", "scope2_location", "scope3"),
}

V = TypeVar("V", int, Fraction)


def round_ratio(numerator: int, denominator: int, places: int = T_PLACES) -> Decimal:
    """``numerator / denominator`` rounded half-up (away from zero) to ``places`` decimals, exactly."""
    whole, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return Decimal(-whole if numerator < 0 else whole).scaleb(-places)


def round_t(value: Fraction | Decimal | int, places: int = T_PLACES) -> Decimal:
    """Round half-up (away from zero) to ``places`` decimals, exactly: the presentation rule."""
    if not isinstance(value, Fraction):
        value = Fraction(value)
    return round_ratio(value.numerator, value.denominator, places)


def format_t(value: Fraction | Decimal | int, places: int = T_PLACES) -> str:
    """The decimal string the API and exports show: ``"45.270"``."""
    return f"{round_t(value, places):.{places}f}"


def with_totals(scopes: Mapping[str, V]) -> dict[str, V]:
    """The four scope values and the two totals summed from them (exact fractions, or integers
    over a common denominator): the only place where scopes are added up."""
    out = {k: scopes[k] for k in SCOPE_KEYS}
    for key in ("total_location", "total_market"):
        out[key] = sum((out[k] for k in COVERS[key][1:]), out[COVERS[key][0]])
    return out


def _fraction(value: Any) -> Fraction:
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, str) and "/" in value:
        return Fraction(value)
    number = parse_decimal(value)
    if number is None:
        raise ValueError(f"not an exact number: {value!r}")
    return Fraction(number)


@dataclass(frozen=True, slots=True)
class Emissions:
    """The exact emissions (t CO2e) of one balance, or the sum of several, per scope."""

    scope1: Fraction = Fraction(0)
    scope2_location: Fraction = Fraction(0)
    scope2_market: Fraction = Fraction(0)
    scope3: Fraction = Fraction(0)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Emissions:
        """From exact values per scope key (Fractions, Decimals, ints, ``"n/d"`` or decimal
        strings; a missing or empty scope is 0). Totals in ``values`` are ignored: they are derived."""
        return cls(**{k: _fraction(values.get(k) or 0) for k in SCOPE_KEYS})

    def exact(self) -> dict[str, Fraction]:
        """Every scope and both totals, exact."""
        return with_totals({k: getattr(self, k) for k in SCOPE_KEYS})

    def total(self, covers: str = "total_location") -> Fraction:
        """The exact total of the scopes a key covers (``total_location``, ``total_market`` or a
        target's ``1``, ``2``, ``1+2``, ``1+2+3``; unknown: Scope 1 + 2)."""
        keys = COVERS.get(covers, COVERS["1+2"])
        return sum((getattr(self, k) for k in keys), Fraction(0))

    def rounded(self, places: int = T_PLACES) -> dict[str, Decimal]:
        """Every scope and both totals as shown: each rounded once from its exact value."""
        return {k: round_t(v, places) for k, v in self.exact().items()}

    def rounded_total(self, covers: str = "total_location", places: int = T_PLACES) -> Decimal:
        return round_t(self.total(covers), places)

    def __add__(self, other: Emissions) -> Emissions:
        if not isinstance(other, Emissions):
            return NotImplemented
        return Emissions(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def encode(self) -> dict[str, str]:
        """The exact values as JSON: ``{"scope1": "1/2500", ...}``."""
        return {k: str(getattr(self, k)) for k in SCOPE_KEYS}

    @classmethod
    def decode(cls, data: Mapping[str, Any] | None) -> Emissions | None:
        """``encode``'s output back; None when nothing (or something unreadable) is stored."""
        if not data or not all(k in data for k in SCOPE_KEYS):
            return None
        try:
            return cls.from_mapping(data)
        except (ValueError, ZeroDivisionError, TypeError):
            return None


def sum_emissions(items: Iterable[Emissions]) -> Emissions:
    """The exact sum of several balances (e.g. every accepted report of a year)."""
    return sum_exact({k: getattr(item, k) for k in SCOPE_KEYS} for item in items)


_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _ratio(value: Any) -> tuple[int, int]:
    """`value` as (numerator, denominator) without building a Fraction where it can."""
    if isinstance(value, str) and "/" in value:
        numerator, _slash, denominator = value.partition("/")
        return int(numerator), int(denominator)
    if isinstance(value, str) and _PLAIN_DECIMAL.fullmatch(value):  # "80.143" as a database gives it
        whole, _point, decimals = value.partition(".")
        return int(whole + decimals), 10 ** len(decimals)
    if isinstance(value, Decimal) and value.is_finite():
        return value.as_integer_ratio()
    if isinstance(value, int):
        return value, 1
    exact = _fraction(value)
    return exact.numerator, exact.denominator


def sum_exact(rows: Iterable[Mapping[str, Any]]) -> Emissions:
    """The exact sum of many stored values per scope (``Emissions.encode`` dicts, or scope
    figures of an older row): numerators are added per denominator as integers and divided
    once at the end, so a year of a thousand reports costs no fraction arithmetic per row."""
    by_denominator: dict[str, dict[int, int]] = {k: {} for k in SCOPE_KEYS}
    for row in rows:
        for key in SCOPE_KEYS:
            value = row.get(key) or 0
            numerator, denominator = _ratio(value)
            bucket = by_denominator[key]
            bucket[denominator] = bucket.get(denominator, 0) + numerator
    return Emissions(**{key: sum((Fraction(n, d) for d, n in bucket.items()), Fraction(0))
                        for key, bucket in by_denominator.items()})


def intensity(total_t: Fraction | Decimal | None, divisor: Any) -> Fraction | None:
    """t CO2e per unit of ``divisor`` (employees, million EUR turnover); None when not given."""
    if total_t is None or divisor is None:
        return None
    number = parse_decimal(divisor)
    if number is None or number <= 0:
        return None
    return Fraction(total_t) / Fraction(number)
