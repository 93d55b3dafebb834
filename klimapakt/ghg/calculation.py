"""The CO2 balance calculation: plain Python, no Django, exact arithmetic.

The rules are the public contract in ``klimapakt/ghg/data/README.md`` (copied from the
shared reference data). In short:

1. Exact arithmetic throughout (``fractions.Fraction``: 250000 kWh_hs / 1.11 stays exact);
   round only when presenting: t CO2e to 3 decimals, half-up. Totals are summed from the
   unrounded line values, then rounded.
2. The factor of a carrier for balance year Y is the row with the latest ``year`` <= Y, else
   the row without a year. Only later years -> an error. A year other than Y -> fallback flag.
3. Unknown carrier, unknown unit, a unit that cannot reach the factor's unit, a negative or
   non-numeric quantity are rejected naming the line and the field. Plain ``kWh`` for a
   carrier whose factor is per ``kWh_hi`` is ambiguous and rejected (asks for kWh_hs/kWh_hi).
4. Scope 2 twice: location-based with the table's factor, market-based with the supplier's
   factor on the line (kg CO2 per kWh); without one market = location and the line is flagged.

The factor table is data (``FactorTable``): the API, the spreadsheet import and the stored
balances all pass in the same table, loaded from the database or from the shipped CSV files.

Messages are German msgids (marked with ``N_`` for makemessages) with ``%(name)s``
parameters; the Django layer translates them, this module never imports Django.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Rounded
from fractions import Fraction
from pathlib import Path
from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a German msgid for translation without translating it here (makemessages knows
    this name; Django's own is not imported because this module stays free of Django)."""
    return message


N_ = gettext_noop


DATA_DIR = Path(__file__).resolve().parent / "data"
FACTORS_CSV = DATA_DIR / "emission_factors_de.csv"
CONVERSIONS_CSV = DATA_DIR / "unit_conversions.csv"

ENERGY_UNITS = ("Wh", "kWh", "MWh", "GWh", "MJ", "GJ")
CALORIFIC_SUFFIXES = ("_hs", "_hi")
VOLUME_UNITS = ("l", "m3")
SCOPES = (1, 2, 3)
MIN_YEAR, MAX_YEAR = 1990, 2100
# Magnitudes beyond these are typing errors, and would let arbitrary input exhaust memory.
MAX_QUANTITY_EXPONENT = 15          # quantities below 10^16 of any unit
MAX_SIGNIFICANT_DIGITS = 34
MAX_SUPPLIER_FACTOR = Decimal("5")  # kg CO2 per kWh; lignite power is about 1.2
UNIT_ALIASES = {"m³": "m3", "liter": "l", "litre": "l", "ltr": "l", "lt": "l"}

T_PLACES = 3
# Sums of quantities in this context are exact (inputs have at most 34 significant digits and
# exponents in [-68, 15]); the traps make any rounding an error instead of a silent change.
_EXACT = Context(prec=120, traps=[Inexact, Rounded, Overflow, InvalidOperation])


# --------------------------------------------------------------------------------------
# Table


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


def _is_plain_energy(unit: str) -> bool:
    return unit in ENERGY_UNITS


def _is_calorific(unit: str) -> bool:
    return unit[-3:] in CALORIFIC_SUFFIXES and unit[:-3] in ENERGY_UNITS


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
            if c.carrier == "*" and _is_plain_energy(c.from_unit) and _is_plain_energy(c.to_unit):
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


# --------------------------------------------------------------------------------------
# Input, messages, results


@dataclass(slots=True)
class Message:
    """An error or a warning about one input line (``line`` is the 0-based index of the
    activity, None for the request as a whole) and one field."""

    line: int | None
    field: str | None
    code: str
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, translate=None) -> str:
        template = translate(self.template) if translate else self.template
        return template % dict(self.params) if self.params else template

    def __str__(self) -> str:
        return self.message()


class CalculationError(Exception):
    """The input was rejected; ``errors`` lists every problem found (not just the first)."""

    def __init__(self, errors: list[Message]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class Activity:
    """One input line as given (raw values are validated by ``calculate``)."""

    carrier: Any
    quantity: Any
    unit: Any
    supplier_factor_kg_per_kwh: Any = None

    @classmethod
    def from_mapping(cls, data: Mapping) -> Activity:
        return cls(carrier=data.get("carrier"), quantity=data.get("quantity"), unit=data.get("unit"),
                   supplier_factor_kg_per_kwh=data.get("supplier_factor_kg_per_kwh"))


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")


def parse_decimal(value: Any) -> Decimal | None:
    """A finite decimal from a number or a string (``"1234.5"``, ``"1234,5"``, ``"1.234,5"``,
    ``"250 000"``); None when it is not one. Floats go through their shortest repr."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
        if len(text) > 60:
            return None
        if "," in text and "." in text:
            # The separator that comes last is the decimal one: 1.234,5 (German) or 1,234.5.
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif "," in text:
            text = text.replace(",", ".")
        if not _NUMBER.fullmatch(text):
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    if not number.is_finite():
        return None
    return number


def _number_problem(number: Decimal) -> str | None:
    if number.is_zero():
        return None
    adjusted = number.adjusted()
    if adjusted > MAX_QUANTITY_EXPONENT:
        return "too_large"
    if adjusted < -MAX_SIGNIFICANT_DIGITS or number.as_tuple().exponent < -2 * MAX_SIGNIFICANT_DIGITS:
        return "too_precise"
    return None


def round_t(value: Fraction | Decimal | int, places: int = T_PLACES) -> Decimal:
    """Round half-up (away from zero) to ``places`` decimals, exactly: the presentation rule."""
    if not isinstance(value, Fraction):
        value = Fraction(value)
    whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    if value.numerator < 0:
        whole = -whole
    return Decimal(whole).scaleb(-places)


def format_t(value: Fraction | Decimal | int, places: int = T_PLACES) -> str:
    """The decimal string the API and exports show: ``"45.270"``."""
    return f"{round_t(value, places):.{places}f}"


@dataclass(slots=True)
class LineResult:
    index: int
    carrier: str
    name_de: str
    name_en: str
    scope: int
    quantity: Decimal
    unit: str
    quantity_in_factor_unit: Fraction
    factor: Factor
    fallback: bool
    supplier_factor_kg_per_kwh: Decimal | None
    market_based_fallback: bool
    t_location: Fraction
    t_market: Fraction

    @property
    def kg_location(self) -> Fraction:
        return self.t_location * 1000

    @property
    def kg_market(self) -> Fraction:
        return self.t_market * 1000


TOTAL_KEYS = ("scope1", "scope2_location", "scope2_market", "scope3", "total_location", "total_market")


@dataclass
class Result:
    year: int
    lines: list[LineResult]
    warnings: list[Message]
    totals: dict[str, Fraction]                       # t CO2e, exact
    by_carrier: dict[str, dict[str, Fraction]]        # carrier -> {"location": t, "market": t}

    def totals_rounded(self) -> dict[str, Decimal]:
        return {k: round_t(v) for k, v in self.totals.items()}


# --------------------------------------------------------------------------------------
# The calculation


def _error(line, field_name, code, template, **params) -> Message:
    return Message(line=line, field=field_name, code=code, template=template, params=params)


def _check_year(year: Any) -> list[Message]:
    if isinstance(year, bool) or not isinstance(year, int):
        parsed = parse_decimal(year) if isinstance(year, str) else None
        if parsed is None or parsed != parsed.to_integral_value():
            return [_error(None, "year", "invalid_year", gettext_noop("Das Jahr muss eine ganze Zahl sein, z. B. 2024."))]
        year = int(parsed)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return [_error(None, "year", "invalid_year",
                       gettext_noop("Das Jahr muss zwischen %(min)s und %(max)s liegen."), min=MIN_YEAR, max=MAX_YEAR)]
    return []


def _to_year(year: Any) -> int:
    return int(parse_decimal(year)) if not isinstance(year, int) else year


def _parse_quantity(index, value, field_name, errors) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(_error(index, field_name, "required", gettext_noop("Bitte geben Sie die Menge an.")))
        return None
    number = parse_decimal(value)
    if number is None:
        errors.append(_error(index, field_name, "not_a_number",
                             gettext_noop("„%(value)s“ ist keine Zahl. Bitte geben Sie die Menge als Zahl an, z. B. 1234,5."),
                             value=str(value)[:40]))
        return None
    if number < 0:
        errors.append(_error(index, field_name, "negative", gettext_noop("Die Menge darf nicht negativ sein.")))
        return None
    problem = _number_problem(number)
    if problem:
        errors.append(_error(index, field_name, problem, gettext_noop("Die Menge „%(value)s“ ist unplausibel groß oder genau."),
                             value=str(value)[:40]))
        return None
    return number


def _parse_supplier_factor(index, value, scope, carrier, table, errors) -> Decimal | None:
    name = "supplier_factor_kg_per_kwh"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = parse_decimal(value)
    if number is None:
        errors.append(_error(index, name, "not_a_number",
                             gettext_noop("„%(value)s“ ist keine Zahl. Bitte geben Sie den Faktor in kg CO2 je kWh an, "
                                "z. B. 0,120."), value=str(value)[:40]))
        return None
    if number < 0:
        errors.append(_error(index, name, "negative", gettext_noop("Der Faktor des Lieferanten darf nicht negativ sein.")))
        return None
    if number > MAX_SUPPLIER_FACTOR:
        errors.append(_error(index, name, "too_large",
                             gettext_noop("Der Faktor des Lieferanten ist in kg CO2 je kWh anzugeben (höchstens %(max)s); "
                                "steht auf der Stromkennzeichnung z. B. 363 g/kWh, geben Sie 0,363 ein."),
                             max=MAX_SUPPLIER_FACTOR))
        return None
    if _number_problem(number):
        errors.append(_error(index, name, "too_precise", gettext_noop("Der Faktor des Lieferanten hat zu viele Stellen.")))
        return None
    if scope is not None and scope != 2:
        errors.append(_error(index, name, "not_scope2",
                             gettext_noop("Ein Faktor des Lieferanten gilt nur für Strom und Wärme aus dem Netz (Scope 2), "
                                "nicht für „%(carrier)s“."), carrier=_display(table, carrier)))
        return None
    return number


def _display(table: FactorTable, carrier: str) -> str:
    """How a message names a carrier: its German name and its key, e.g. "Erdgas (natural_gas)"."""
    return f"{table.carrier_info(carrier).name_de} ({carrier})" if table.has_carrier(carrier) else carrier


def _unit_error(index, carrier, unit, target, table) -> Message:
    allowed = ", ".join(table.units_for(carrier))
    if _is_plain_energy(unit) and _is_calorific(target):
        return _error(index, "unit", "ambiguous_unit",
                      gettext_noop("„%(unit)s“ ist für %(carrier)s nicht eindeutig: Bitte geben Sie %(base)s_hs an "
                         "(Brennwert, wie auf der Rechnung) oder %(base)s_hi (Heizwert)."),
                      unit=unit, carrier=_display(table, carrier), base=unit)
    if unit.endswith("_hs") and target.endswith("_hi"):
        return _error(index, "unit", "no_calorific_conversion",
                      gettext_noop("Für %(carrier)s ist kein Verhältnis von Brennwert zu Heizwert hinterlegt: "
                         "Bitte geben Sie die Menge auf Heizwert-Basis an (z. B. kWh_hi). Möglich: %(allowed)s."),
                      carrier=_display(table, carrier), allowed=allowed)
    return _error(index, "unit", "unit_mismatch",
                  gettext_noop("„%(unit)s“ lässt sich für %(carrier)s nicht in %(target)s umrechnen. Möglich: %(allowed)s."),
                  unit=unit, carrier=_display(table, carrier), target=target, allowed=allowed)


def calculate(table: FactorTable, year: Any, activities: Sequence[Activity | Mapping] | Any) -> Result:
    """Compute the balance of one year. Raises CalculationError listing every rejected field."""
    errors = _check_year(year)
    if not isinstance(activities, list | tuple):
        errors.append(_error(None, "activities", "invalid", gettext_noop("Die Angaben müssen eine Liste von Zeilen sein.")))
        raise CalculationError(errors)
    year_value = _to_year(year) if not errors else None
    lines: list[LineResult] = []
    warnings: list[Message] = []
    groups: dict[tuple, list] = {}
    for index, raw in enumerate(activities):
        if isinstance(raw, Mapping):
            activity = Activity.from_mapping(raw)
        elif isinstance(raw, Activity):
            activity = raw
        else:
            errors.append(_error(index, None, "invalid", gettext_noop("Die Zeile ist kein Objekt mit carrier, quantity und unit.")))
            continue
        line_errors: list[Message] = []
        carrier = activity.carrier.strip() if isinstance(activity.carrier, str) else activity.carrier
        scope = None
        if carrier is None or carrier == "":
            line_errors.append(_error(index, "carrier", "required", gettext_noop("Bitte geben Sie den Energieträger an.")))
        elif not isinstance(carrier, str) or not table.has_carrier(carrier):
            line_errors.append(_error(index, "carrier", "unknown_carrier",
                                      gettext_noop("Unbekannter Energieträger „%(value)s“. Möglich: %(allowed)s."),
                                      value=str(carrier)[:40], allowed=", ".join(table.carriers())))
            carrier = None
        else:
            scope = table.carrier_info(carrier).scope
        quantity = _parse_quantity(index, activity.quantity, "quantity", line_errors)
        unit = None
        if activity.unit is None or (isinstance(activity.unit, str) and not activity.unit.strip()):
            line_errors.append(_error(index, "unit", "required", gettext_noop("Bitte geben Sie die Einheit an.")))
        else:
            unit = table.canonical_unit(activity.unit)
            if unit is None:
                line_errors.append(_error(index, "unit", "unknown_unit",
                                          gettext_noop("Unbekannte Einheit „%(value)s“."), value=str(activity.unit)[:40]))
        supplier = _parse_supplier_factor(index, activity.supplier_factor_kg_per_kwh, scope, carrier, table,
                                          line_errors)
        factor = fallback = ratio = None
        if isinstance(carrier, str) and scope is not None and year_value is not None:
            try:
                factor, fallback = table.factor_for(carrier, year_value)
            except LookupError:
                first = min(f.year for f in table.carrier_rows(carrier) if f.year is not None)
                line_errors.append(_error(index, "carrier", "no_factor_for_year",
                                          gettext_noop("Für %(carrier)s gibt es keinen Faktor für %(year)s: "
                                             "der früheste ist von %(first)s."),
                                          carrier=_display(table, carrier), year=year_value, first=first))
        if isinstance(carrier, str) and scope is not None and unit is not None:
            target = table.carrier_info(carrier).unit if factor is None else factor.unit
            ratio = table.ratio(carrier, unit, target)
            if ratio is None:
                line_errors.append(_unit_error(index, carrier, unit, target, table))
        market_ratio = None
        if supplier is not None and unit is not None and isinstance(carrier, str):
            market_ratio = table.ratio(carrier, unit, "kWh")
            if market_ratio is None:
                line_errors.append(_error(index, "unit", "unit_mismatch",
                                          gettext_noop("„%(unit)s“ lässt sich nicht in kWh umrechnen, für die der Faktor des "
                                             "Lieferanten gilt."), unit=unit))
        if line_errors:
            errors.extend(line_errors)
            continue
        if errors:
            continue  # keep collecting errors; no result will be returned
        ratio, t_per_unit = table.coefficient(factor, unit)
        exact_quantity = Fraction(quantity)
        t_location = exact_quantity * t_per_unit
        if scope == 2 and supplier is not None:
            market_per_unit = market_ratio * Fraction(supplier) / 1000
            t_market = exact_quantity * market_per_unit
            market_fallback = False
        else:
            market_per_unit = t_per_unit
            t_market = t_location
            market_fallback = scope == 2
        key = (carrier, factor.id, unit, supplier)
        group = groups.get(key)
        if group is None:
            groups[key] = [quantity, scope, carrier, t_per_unit, market_per_unit]
        else:
            group[0] = _EXACT.add(group[0], quantity)
        if fallback:
            warnings.append(_error(index, "carrier", "factor_fallback",
                                   gettext_noop("Für %(carrier)s gibt es für %(year)s noch keinen Faktor; verwendet wird der "
                                      "Faktor für %(factor_year)s."),
                                   carrier=_display(table, carrier), year=year_value, factor_year=factor.year))
        if market_fallback:
            warnings.append(_error(index, "supplier_factor_kg_per_kwh", "market_based_fallback",
                                   gettext_noop("Ohne Faktor des Lieferanten ist der marktbasierte Wert für %(carrier)s "
                                      "gleich dem standortbasierten."), carrier=_display(table, carrier)))
        info = table.carrier_info(carrier)
        lines.append(LineResult(
            index=index, carrier=carrier, name_de=factor.name_de or info.name_de, name_en=factor.name_en or info.name_en,
            scope=scope, quantity=quantity, unit=unit, quantity_in_factor_unit=exact_quantity * ratio, factor=factor,
            fallback=fallback, supplier_factor_kg_per_kwh=supplier, market_based_fallback=market_fallback,
            t_location=t_location, t_market=t_market,
        ))
    if errors:
        raise CalculationError(errors)
    totals, by_carrier = _totals_from_groups(groups)
    return Result(year=year_value, lines=lines, warnings=warnings, totals=totals, by_carrier=by_carrier)


def _totals_from_groups(groups: dict[tuple, list]):
    """Totals from quantities summed per (scope, carrier, coefficients): the calculation is
    linear, so this equals the sum of the unrounded lines (the property tests check it), with
    one multiplication per group instead of one addition of fractions per line."""
    sums = {k: Fraction(0) for k in TOTAL_KEYS}
    by_carrier: dict[str, dict[str, Fraction]] = {}
    for quantity, scope, carrier, loc, mkt in groups.values():
        q = Fraction(quantity)
        t_loc, t_mkt = q * loc, (q * mkt if mkt is not loc else None)
        t_mkt = t_loc if t_mkt is None else t_mkt
        if scope == 1:
            sums["scope1"] += t_loc
        elif scope == 2:
            sums["scope2_location"] += t_loc
            sums["scope2_market"] += t_mkt
        else:
            sums["scope3"] += t_loc
        entry = by_carrier.setdefault(carrier, {"location": Fraction(0), "market": Fraction(0)})
        entry["location"] += t_loc
        entry["market"] += t_mkt
    sums["total_location"] = sums["scope1"] + sums["scope2_location"] + sums["scope3"]
    sums["total_market"] = sums["scope1"] + sums["scope2_market"] + sums["scope3"]
    return sums, by_carrier


def totals_of(lines: Iterable[LineResult]) -> dict[str, Fraction]:
    sums = {k: Fraction(0) for k in TOTAL_KEYS}
    for line in lines:
        if line.scope == 1:
            sums["scope1"] += line.t_location
        elif line.scope == 2:
            sums["scope2_location"] += line.t_location
            sums["scope2_market"] += line.t_market
        else:
            sums["scope3"] += line.t_location
    sums["total_location"] = sums["scope1"] + sums["scope2_location"] + sums["scope3"]
    sums["total_market"] = sums["scope1"] + sums["scope2_market"] + sums["scope3"]
    return sums


def by_carrier_of(lines: Iterable[LineResult]) -> dict[str, dict[str, Fraction]]:
    out: dict[str, dict[str, Fraction]] = {}
    for line in lines:
        entry = out.setdefault(line.carrier, {"location": Fraction(0), "market": Fraction(0)})
        entry["location"] += line.t_location
        entry["market"] += line.t_market
    return out


def intensity(total_t: Fraction | Decimal | None, divisor: Any) -> Fraction | None:
    """t CO2e per unit of ``divisor`` (employees, million EUR turnover); None when not given."""
    if total_t is None or divisor is None:
        return None
    number = parse_decimal(divisor)
    if number is None or number <= 0:
        return None
    return Fraction(total_t) / Fraction(number)


# --------------------------------------------------------------------------------------
# Many balances at once (all organisations of a year)

MICRO = 10**6


class KeyTotals:
    """Totals of one key (an organisation) as exact integers over a shared denominator;
    fractions are built only when read."""

    __slots__ = ("sums", "denominator")

    def __init__(self, denominator: int):
        self.sums = [0, 0, 0, 0]  # scope1, scope2_location, scope2_market, scope3
        self.denominator = denominator

    def numerators(self) -> dict[str, int]:
        s1, s2l, s2m, s3 = self.sums
        return {"scope1": s1, "scope2_location": s2l, "scope2_market": s2m, "scope3": s3,
                "total_location": s1 + s2l + s3, "total_market": s1 + s2m + s3}

    def totals(self) -> dict[str, Fraction]:
        return {k: Fraction(v, self.denominator) for k, v in self.numerators().items()}

    def rounded(self, places: int = T_PLACES) -> dict[str, Decimal]:
        out = {}
        half = self.denominator  # compare 2*remainder >= denominator: half-up without fractions
        scale = 10**places
        for k, v in self.numerators().items():
            whole, rest = divmod(abs(v) * scale, self.denominator)
            if 2 * rest >= half:
                whole += 1
            out[k] = Decimal(-whole if v < 0 else whole).scaleb(-places)
        return out


def totals_by_key(table: FactorTable, year: int, rows: Iterable[tuple]) -> tuple[dict[Any, KeyTotals], set]:
    """Totals per key from rows ``(key, carrier, unit, supplier_factor, quantity_micro)`` where
    ``quantity_micro`` is the (summed) quantity in millionths as an int: the output of one SQL
    GROUP BY. Each (carrier, unit, supplier factor) gets its per-unit coefficient from
    ``calculate`` once; the calculation is linear, so sum x coefficient equals the sum of the
    lines. Integer arithmetic over a common denominator keeps it exact and fast.
    Returns (totals per key, keys whose rows the calculation rejects)."""
    rows = rows if isinstance(rows, list) else list(rows)
    coefficients: dict[tuple, tuple[int, Fraction, Fraction] | None] = {}
    for _key, carrier, unit, supplier, _q in rows:
        combo = (carrier, unit, supplier)
        if combo in coefficients:
            continue
        try:
            line = calculate(table, year, [Activity(carrier, 1, unit, supplier)]).lines[0]
        except CalculationError:
            coefficients[combo] = None
            continue
        coefficients[combo] = (line.scope, line.t_location, line.t_market)
    denominator = 1
    for value in coefficients.values():
        if value is not None:
            for f in value[1:]:
                denominator = denominator * f.denominator // _gcd(denominator, f.denominator)
    scaled = {combo: None if v is None else (v[0], v[1].numerator * (denominator // v[1].denominator),
                                             v[2].numerator * (denominator // v[2].denominator))
              for combo, v in coefficients.items()}
    shared = denominator * MICRO
    out: dict[Any, KeyTotals] = {}
    rejected = set()
    for key, carrier, unit, supplier, q in rows:
        coefficient = scaled[(carrier, unit, supplier)]
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


def _gcd(a: int, b: int) -> int:
    import math

    return math.gcd(a, b)
