"""The calculation of one balance: validates every input line (rule 3: every rejected field is
named, not just the first), picks each line's factor (rules 2, 4) and sums the exact values.

Exact arithmetic throughout (``fractions.Fraction``: 250000 kWh_hs / 1.11 stays exact); rounding
is left to the presentation (``totals.round_t``). Scope 2 twice: location-based with the table's
factor, market-based with the supplier's factor on the line (kg CO2 per kWh); without one
market = location and the line is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Rounded
from fractions import Fraction
from typing import Any

from .factors import Factor, FactorTable
from .totals import SCOPE_KEYS, Emissions, with_totals
from .units import (
    MAX_SUPPLIER_FACTOR,
    MAX_YEAR,
    MIN_YEAR,
    gettext_noop,
    is_calorific,
    is_plain_energy,
    number_problem,
    parse_decimal,
)

# Sums of quantities in this context are exact (inputs have at most 34 significant digits and
# exponents in [-68, 15]); the traps make any rounding an error instead of a silent change.
_EXACT = Context(prec=120, traps=[Inexact, Rounded, Overflow, InvalidOperation])


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

    def message(self, translate=None, language: str | None = None) -> str:
        """The message, translated with ``translate``; in English, names are given in English."""
        template = translate(self.template) if translate else self.template
        if not self.params:
            return template
        params = dict(self.params)
        if language and language[:2] == "en":
            params = {k: getattr(v, "en", v) for k, v in params.items()}
        return template % params

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
    refrigerant: Any = None                  # rule 7: which refrigerant leaked (carrier "refrigerant")
    category: Any = None                     # rule 8: business_travel / commuting (Scope 3 only)
    calorific_value_kwh_per_m3: Any = None   # rule 6: the bill's Brennwert (Hs) for gas in m3
    z_number: Any = None                     # rule 6: the bill's Zustandszahl for gas in m3

    @classmethod
    def from_mapping(cls, data: Mapping) -> Activity:
        return cls(carrier=data.get("carrier"), quantity=data.get("quantity"), unit=data.get("unit"),
                   supplier_factor_kg_per_kwh=data.get("supplier_factor_kg_per_kwh"),
                   refrigerant=data.get("refrigerant"), category=data.get("category"),
                   calorific_value_kwh_per_m3=data.get("calorific_value_kwh_per_m3"),
                   z_number=data.get("z_number"))


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
    refrigerant: str = ""
    category: str = ""
    calorific_value_kwh_per_m3: Decimal | None = None
    z_number: Decimal | None = None

    @property
    def kg_location(self) -> Fraction:
        return self.t_location * 1000

    @property
    def kg_market(self) -> Fraction:
        return self.t_market * 1000


@dataclass
class Result:
    year: int
    lines: list[LineResult]
    warnings: list[Message]
    totals: dict[str, Fraction]                       # t CO2e, exact
    by_carrier: dict[str, dict[str, Fraction]]        # carrier -> {"location": t, "market": t}
    by_category: dict[str, Fraction] = field(default_factory=dict)  # Scope 3 category -> t, exact

    def totals_rounded(self) -> dict[str, Decimal]:
        return self.emissions.rounded()

    @property
    def emissions(self) -> Emissions:
        """The exact scope values: every total and rounded figure of the balance comes from here."""
        return Emissions.from_mapping(self.totals)


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
    problem = number_problem(number)
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
                             gettext_noop("„%(value)s“ ist keine Zahl. Bitte geben Sie den Faktor in kg CO₂ je kWh an, "
                                "z. B. 0,120."), value=str(value)[:40]))
        return None
    if number < 0:
        errors.append(_error(index, name, "negative", gettext_noop("Der Faktor des Lieferanten darf nicht negativ sein.")))
        return None
    if number > MAX_SUPPLIER_FACTOR:
        errors.append(_error(index, name, "too_large",
                             gettext_noop("Der Faktor des Lieferanten ist in kg CO₂ je kWh anzugeben (höchstens %(max)s); "
                                "steht auf der Stromkennzeichnung z. B. 363 g/kWh, geben Sie 0,363 ein."),
                             max=MAX_SUPPLIER_FACTOR))
        return None
    if number_problem(number):
        errors.append(_error(index, name, "too_precise", gettext_noop("Der Faktor des Lieferanten hat zu viele Stellen.")))
        return None
    if scope is not None and scope != 2:
        errors.append(_error(index, name, "not_scope2",
                             gettext_noop("Ein Faktor des Lieferanten gilt nur für Strom und Wärme aus dem Netz (Scope 2), "
                                "nicht für „%(carrier)s“."), carrier=_display(table, carrier)))
        return None
    return number


class Named(str):
    """A carrier's or refrigerant's name in a message: German as a string, with the English name
    beside it, so the message reads right in either language and names no internal key."""

    en: str

    def __new__(cls, de: str, en: str | None = None):
        obj = super().__new__(cls, de)
        obj.en = en or de
        return obj


def _display(table: FactorTable, carrier: str, variant: str = "") -> str:
    """How a message names a carrier: its German name ("Erdgas", "Kältemittel R-404A")."""
    if not table.has_carrier(carrier):
        return carrier
    info = table.carrier_info(carrier)
    if variant:
        return Named(f"{info.name_de} {variant}", f"{info.name_en} {variant}")
    return Named(info.name_de, info.name_en)


def _unit_error(index, carrier, unit, target, table) -> Message:
    allowed = ", ".join(table.units_for(carrier))
    if is_plain_energy(unit) and is_calorific(target):
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


CATEGORIES = ("business_travel", "commuting")     # rule 8: a Scope 3 line may say which
MAX_CALORIFIC_VALUE = Decimal(20)                 # kWh per m3: natural gas has about 10-12
MAX_Z_NUMBER = Decimal(2)                         # the Zustandszahl is about 0.9-1.0
CALORIFIC_FIELD, Z_FIELD = "calorific_value_kwh_per_m3", "z_number"


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_variant(index, activity, carrier, table, errors) -> str:
    """Rule 7: a ``refrigerant`` line names its refrigerant; other lines name none."""
    field_name = table.variant_field(carrier) if isinstance(carrier, str) and table.has_carrier(carrier) else None
    given = activity.refrigerant
    if field_name is None:
        if not _blank(given):
            errors.append(_error(index, "refrigerant", "not_a_refrigerant_line",
                                 gettext_noop("Ein Kältemittel gehört nur zu einer Zeile mit dem Energieträger "
                                              "„refrigerant“ (Kältemittel).")))
        return ""
    if _blank(given):
        errors.append(_error(index, field_name, "required",
                             gettext_noop("Bitte geben Sie an, welches Kältemittel nachgefüllt wurde, z. B. R-404A.")))
        return ""
    variant = table.canonical_variant(carrier, given)
    if variant is None:
        errors.append(_error(index, field_name, "unknown_refrigerant",
                             gettext_noop("Unbekanntes Kältemittel „%(value)s“. Möglich: %(allowed)s."),
                             value=str(given)[:40], allowed=", ".join(table.variants(carrier))))
        return ""
    return variant


def _parse_category(index, value, scope, errors) -> str:
    if _blank(value):
        return ""
    if not isinstance(value, str) or value.strip() not in CATEGORIES:
        errors.append(_error(index, "category", "unknown_category",
                             gettext_noop("Unbekannte Kategorie „%(value)s“. Möglich: %(allowed)s."),
                             value=str(value)[:40], allowed=", ".join(CATEGORIES)))
        return ""
    if scope is not None and scope != 3:
        errors.append(_error(index, "category", "not_scope3",
                             gettext_noop("Eine Kategorie (Dienstreisen, Pendeln) gibt es nur für Scope-3-Zeilen.")))
        return ""
    return value.strip()


def _parse_positive(index, value, field_name, maximum, errors, *, missing) -> Decimal | None:
    if _blank(value):
        errors.append(_error(index, field_name, "required", missing))
        return None
    number = parse_decimal(value)
    if number is None:
        errors.append(_error(index, field_name, "not_a_number",
                             gettext_noop("„%(value)s“ ist keine Zahl."), value=str(value)[:40]))
        return None
    if number <= 0 or number > maximum or number_problem(number):
        errors.append(_error(index, field_name, "out_of_range",
                             gettext_noop("„%(value)s“ ist unplausibel: erwartet wird ein Wert über 0 und höchstens "
                                          "%(max)s."), value=str(value)[:40], max=maximum))
        return None
    return number


def _parse_gas_volume(index, activity, carrier, unit, table, errors) -> tuple[Decimal | None, Decimal | None]:
    """Rule 6: gas in m3 needs the bill's Brennwert and Zustandszahl; other lines give neither."""
    by_volume = isinstance(carrier, str) and unit is not None and table.gas_by_volume(carrier, unit)
    given = [name for name, value in ((CALORIFIC_FIELD, activity.calorific_value_kwh_per_m3),
                                      (Z_FIELD, activity.z_number)) if not _blank(value)]
    if not by_volume:
        for name in given:
            errors.append(_error(index, name, "not_gas_by_volume",
                                 gettext_noop("Brennwert und Zustandszahl gelten nur für Gas in m³.")))
        return None, None
    hs = _parse_positive(index, activity.calorific_value_kwh_per_m3, CALORIFIC_FIELD, MAX_CALORIFIC_VALUE, errors,
                         missing=gettext_noop("Für Gas in m³ brauchen wir den Brennwert laut Rechnung "
                                              "(kWh je m³, z. B. 11,2)."))
    z = _parse_positive(index, activity.z_number, Z_FIELD, MAX_Z_NUMBER, errors,
                        missing=gettext_noop("Für Gas in m³ brauchen wir die Zustandszahl laut Rechnung "
                                             "(z. B. 0,9543)."))
    return hs, z


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
        variant = _parse_variant(index, activity, carrier, table, line_errors)
        category = _parse_category(index, activity.category, scope, line_errors)
        quantity = _parse_quantity(index, activity.quantity, "quantity", line_errors)
        unit = None
        if _blank(activity.unit):
            line_errors.append(_error(index, "unit", "required", gettext_noop("Bitte geben Sie die Einheit an.")))
        else:
            unit = table.canonical_unit(activity.unit)
            if unit is None:
                line_errors.append(_error(index, "unit", "unknown_unit",
                                          gettext_noop("Unbekannte Einheit „%(value)s“."), value=str(activity.unit)[:40]))
        supplier = _parse_supplier_factor(index, activity.supplier_factor_kg_per_kwh, scope, carrier, table,
                                          line_errors)
        hs, z = _parse_gas_volume(index, activity, carrier, unit, table, line_errors)
        by_volume = hs is not None and z is not None
        factor = fallback = ratio = None
        known = isinstance(carrier, str) and scope is not None and (variant or not table.variant_field(carrier))
        if known and year_value is not None:
            try:
                factor, fallback = table.factor_for(carrier, year_value, variant)
            except LookupError:
                first = min(f.year for f in table.carrier_rows(carrier, variant) if f.year is not None)
                line_errors.append(_error(index, "carrier", "no_factor_for_year",
                                          gettext_noop("Für %(carrier)s gibt es keinen Faktor für %(year)s: "
                                             "der früheste ist von %(first)s."),
                                          carrier=_display(table, carrier, variant), year=year_value, first=first))
        if known and unit is not None:
            target = table.carrier_info(carrier).unit if factor is None else factor.unit
            if table.gas_by_volume(carrier, unit):
                ratio = table.ratio(carrier, "kWh_hs", target)
            else:
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
        if by_volume:
            # Rule 6: kWh_hs = m3 x Brennwert x Zustandszahl, then as kWh_hs.
            volume = Fraction(hs) * Fraction(z)
            ratio, t_per_kwh_hs = table.coefficient(factor, "kWh_hs")
            ratio, t_per_unit = ratio * volume, t_per_kwh_hs * volume
        else:
            ratio, t_per_unit = table.coefficient(factor, unit)
        exact_quantity = Fraction(quantity)
        t_location = exact_quantity * t_per_unit
        if scope == 2 and supplier is not None:
            # Rule 5: the market-based value comes from the supplier's factor alone.
            market_per_unit = market_ratio * Fraction(supplier) / 1000
            t_market = exact_quantity * market_per_unit
            market_fallback = False
        else:
            market_per_unit = t_per_unit
            t_market = t_location
            market_fallback = scope == 2
        key = (carrier, factor.id, unit, supplier, hs, z, category)
        group = groups.get(key)
        if group is None:
            groups[key] = [quantity, scope, carrier, t_per_unit, market_per_unit, category]
        else:
            group[0] = _EXACT.add(group[0], quantity)
        if fallback:
            warnings.append(_error(index, "carrier", "factor_fallback",
                                   gettext_noop("Für %(carrier)s gibt es für %(year)s noch keinen Faktor; verwendet wird der "
                                      "Faktor für %(factor_year)s."),
                                   carrier=_display(table, carrier, variant), year=year_value,
                                   factor_year=factor.year))
        if market_fallback:
            warnings.append(_error(index, "supplier_factor_kg_per_kwh", "market_based_fallback",
                                   gettext_noop("Ohne Faktor des Lieferanten ist der marktbasierte Wert für %(carrier)s "
                                      "gleich dem standortbasierten."), carrier=_display(table, carrier)))
        info = table.carrier_info(carrier)
        if variant:
            name_de, name_en = f"{info.name_de} {variant}", f"{info.name_en} {variant}"
        else:
            name_de, name_en = factor.name_de or info.name_de, factor.name_en or info.name_en
        lines.append(LineResult(
            index=index, carrier=carrier, name_de=name_de, name_en=name_en,
            scope=scope, quantity=quantity, unit=unit, quantity_in_factor_unit=exact_quantity * ratio, factor=factor,
            fallback=fallback, supplier_factor_kg_per_kwh=supplier, market_based_fallback=market_fallback,
            t_location=t_location, t_market=t_market, refrigerant=variant, category=category,
            calorific_value_kwh_per_m3=hs, z_number=z,
        ))
    if errors:
        raise CalculationError(errors)
    totals, by_carrier, by_category = _totals_from_groups(groups)
    return Result(year=year_value, lines=lines, warnings=warnings, totals=totals, by_carrier=by_carrier,
                  by_category=by_category)


def _totals_from_groups(groups: dict[tuple, list]):
    """Totals from quantities summed per (scope, carrier, coefficients): the calculation is
    linear, so this equals the sum of the unrounded lines (the property tests check it), with
    one multiplication per group instead of one addition of fractions per line."""
    sums = {k: Fraction(0) for k in SCOPE_KEYS}
    by_carrier: dict[str, dict[str, Fraction]] = {}
    by_category: dict[str, Fraction] = {}
    for quantity, scope, carrier, loc, mkt, category in groups.values():
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
            if category:
                by_category[category] = by_category.get(category, Fraction(0)) + t_loc
        entry = by_carrier.setdefault(carrier, {"location": Fraction(0), "market": Fraction(0)})
        entry["location"] += t_loc
        entry["market"] += t_mkt
    return with_totals(sums), by_carrier, by_category
