""""Wie wir rechnen": what the method page shows, computed from the factor data it explains (the
grid mix by year with its status and edition, the refrigerants with the worked blend example,
the travel defaults, gas in m³, the unit conversions), every number in the reader's language.
The reads are in ``selectors`` (``method_factors``, ``factor_editions``); nothing here queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from klimapakt.core.formatting import number, percent, round_half_up

from . import calculation, labels

ELECTRICITY = "electricity"
REFRIGERANT = "refrigerant"
EXAMPLE_BLEND = "R-407C"          # rule 7's worked example
EXAMPLE_BLEND_KG = 10
EXAMPLE_GAS = {"carrier": "natural_gas", "quantity": "10000", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
               "z_number": "0.9543"}
# Rule 8's commuting estimate, with round numbers: employees, working days, home-office share,
# one-way distance (km), share of the mode; the mode is the average car.
EXAMPLE_COMMUTING = {"employees": 20, "days": 220, "home_office": Decimal("0.2"), "distance": 15,
                     "share": Decimal("0.6"), "carrier": "car_pkm"}


def _finite(value: Fraction) -> Decimal | None:
    """The exact decimal of a fraction that has one (1/1000 -> 0.001), else None (1000/3.6)."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None
    return Decimal(value.numerator) / Decimal(value.denominator)


def conversion_text(conversion) -> str:
    """A unit conversion as people read it: "1 MWh = 1.000 kWh", "1 Wh = 0,001 kWh (1 ÷ 1.000)",
    "1 GJ ≈ 277,78 kWh (1.000 ÷ 3,6)", "1 kWh (Brennwert) ≈ 0,9009 kWh (Heizwert) (1 ÷ 1,11)"."""
    source, target = labels.unit_label(conversion.from_unit), labels.unit_label(conversion.to_unit)
    numerator, denominator = Decimal(conversion.numerator), Decimal(conversion.denominator)
    if denominator == 1:
        return f"1 {source} = {number(numerator)} {target}"
    ratio = Fraction(numerator) / Fraction(denominator)
    exact = _finite(ratio)
    if exact is not None:
        shown, sign = number(exact), "="
    else:
        shown, sign = number(ratio, 2 if ratio >= 10 else 4), "≈"
    return f"1 {source} {sign} {shown} {target} ({number(numerator)} ÷ {number(denominator)})"


def edition_label(row) -> str:
    """Where a factor row comes from: its edition's name, else the default set or the office;
    from the second edition of a row on with its number ("…, Ausgabe 2 dieses Werts")."""
    if row is None:
        return ""
    if row.published_in_id:
        name = str(row.published_in.name)
    elif row.is_custom:
        name = _("Eigener Faktor der Geschäftsstelle")
    else:
        name = _("Standardsatz")
    if row.edition > 1:
        return _("%(name)s (Ausgabe %(n)s dieses Werts)") % {"name": name, "n": row.edition}
    return name


@dataclass(frozen=True)
class GridYear:
    year: int
    value: Decimal
    status: str
    edition: str
    selected: bool


def grid_years(rows, year: int) -> list[GridYear]:
    """The grid mix of every year (newest first), the current row of each year, with its status
    and edition; ``selected`` marks the row the chosen balance year uses."""
    current = sorted((r for r in rows if r.carrier == ELECTRICITY and r.is_current and r.year is not None),
                     key=lambda r: r.year, reverse=True)
    used = next((r.year for r in current if r.year <= year), None)
    return [GridYear(year=r.year, value=r.value, status=labels.status_label(r.status), edition=edition_label(r),
                     selected=r.year == used) for r in current]


def applying(table: calculation.FactorTable, rows, year: int, *, language: str = "de") -> list[dict]:
    """Per carrier (and refrigerant) the factor for ``year``: worded for people, with status,
    edition and the units a quantity may be given in."""
    by_id = {r.pk: r for r in rows}
    units = {}
    out = []
    for factor, fallback in table.factors_for_year(year):
        if factor.carrier not in units:
            units[factor.carrier] = labels.units_text(table.units_for(factor.carrier))
        if factor.variant:
            name = labels.carrier_label(table, factor.carrier, language=language, variant=factor.variant)
        else:
            name = factor.name_en if language == "en" and factor.name_en else factor.name_de
        out.append({
            "factor": factor, "fallback": fallback, "name": name,
            "factor_text": labels.factor_text(factor.value, factor.unit),
            "status": labels.status_label(factor.status),
            "edition": edition_label(by_id.get(factor.id)),
            "units": units[factor.carrier],
            "source": labels.source_text(factor.source), "note": labels.source_text(factor.note),
        })
    return out


def refrigerants(table: calculation.FactorTable, rows, year: int, *, language: str = "de") -> list[dict]:
    """Rule 7: every refrigerant with the GWP we use (AR6; a blend's from its composition) and
    the legal EU 2024/573 value for reference. The chemical names are German in the data: shown
    to German readers only."""
    legal = {r.variant: r.gwp_eu_2024_573 for r in rows if r.carrier == REFRIGERANT and r.is_current}
    out = []
    for variant in table.variants(REFRIGERANT):
        factor, _fallback = table.factor_for(REFRIGERANT, year, variant)
        out.append({
            "variant": variant, "name": factor.name_de if factor.name_de != variant and language == "de" else "",
            "composition": ", ".join(f"{name} {percent(share, None)}" for name, share in factor.composition),
            "gwp": factor.value, "legal": legal.get(variant), "note": labels.source_text(factor.note),
        })
    return out


def blend_example(table: calculation.FactorTable, year: int, variant: str = EXAMPLE_BLEND) -> dict | None:
    """"0,23 × 771 + 0,25 × 3.740 + 0,52 × 1.530 = 1.907,93", and what 10 kg of it are."""
    if variant not in table.variants(REFRIGERANT):
        return None
    blend, _fallback = table.factor_for(REFRIGERANT, year, variant)
    if not blend.composition:
        return None
    terms = []
    for name, share in blend.composition:
        component, _fallback = table.factor_for(REFRIGERANT, year, name)
        terms.append(f"{number(share / 100)} × {number(component.value)}")
    result = calculation.calculate(table, year, [{"carrier": REFRIGERANT, "refrigerant": variant,
                                                  "quantity": EXAMPLE_BLEND_KG, "unit": "kg"}])
    t = result.lines[0].t_location
    return {"variant": variant, "formula": f"{' + '.join(terms)} = {number(blend.value)}", "gwp": number(blend.value),
            "kg": number(EXAMPLE_BLEND_KG), "t_exact": number(t), "t": number(t, 3)}


def gas_example(table: calculation.FactorTable, year: int) -> dict | None:
    """Rule 6 with the bill's numbers: m³ × Brennwert × Zustandszahl = kWh (Brennwert), then as
    kWh (Brennwert): ÷ Hs/Hi = kWh (Heizwert), × the factor."""
    try:
        result = calculation.calculate(table, year, [EXAMPLE_GAS])
    except calculation.CalculationError:
        return None
    line = result.lines[0]
    return {
        "volume": labels.gas_volume_text(line.quantity, line.calorific_value_kwh_per_m3, line.z_number),
        "ratio": hs_hi(table, line.carrier),
        "kwh_hi": labels.quantity_text(round_half_up(line.quantity_in_factor_unit, 2), line.factor.unit),
        "factor": labels.factor_text(line.factor.value, line.factor.unit),
        "t": number(line.t_location, 3),
    }


def commuting_example(table: calculation.FactorTable, year: int, *, language: str = "de") -> dict | None:
    """Rule 8: employees × working days × (1 − home-office share) × one-way distance × 2 × mode share."""
    e = EXAMPLE_COMMUTING
    if not table.has_carrier(e["carrier"]):
        return None
    pkm = e["employees"] * e["days"] * (1 - e["home_office"]) * e["distance"] * 2 * e["share"]
    try:
        result = calculation.calculate(table, year, [{"carrier": e["carrier"], "quantity": pkm, "unit": "pkm",
                                                      "category": "commuting"}])
    except calculation.CalculationError:
        return None
    line = result.lines[0]
    return {"employees": number(e["employees"]), "days": number(e["days"]), "home_office": number(e["home_office"]),
            "distance": number(e["distance"]), "share": number(e["share"]), "pkm": number(pkm),
            "mode": line.name_en if language == "en" else line.name_de,
            "factor": labels.factor_text(line.factor.value, line.factor.unit), "t": number(line.t_location, 3)}


def travel_defaults(table: calculation.FactorTable, year: int, *, language: str = "de") -> list[dict]:
    """Rule 8: the Scope 3 factors per passenger-km."""
    out = []
    for factor, _fallback in table.factors_for_year(year):
        if factor.scope == 3 and factor.unit == "pkm":
            out.append({"factor": factor, "name": factor.name_en if language == "en" else factor.name_de,
                        "factor_text": labels.factor_text(factor.value, factor.unit),
                        "note": labels.source_text(factor.note), "source": labels.source_text(factor.source)})
    return out


def hs_hi(table: calculation.FactorTable, carrier: str = "natural_gas") -> str:
    """The Hs/Hi ratio of a carrier as a number ("1,11"), or "" without one."""
    if not table.has_carrier(carrier):
        return ""
    ratio = table.ratio(carrier, "kWh_hi", "kWh_hs")
    if ratio is None:
        return ""
    exact = _finite(ratio)
    return number(exact) if exact is not None else number(ratio, 4)


def context(*, factor_set, rows, editions, table: calculation.FactorTable, year: int, years: list[int],
            language: str) -> dict:
    """Everything the method page shows for the balance year ``year``."""
    grid = grid_years(rows, year)
    used = next((g for g in grid if g.selected), None)
    return {
        "factor_set": factor_set, "year": year, "years": years, "editions": editions,
        "applying": applying(table, rows, year, language=language),
        "grid": grid, "grid_used": used, "grid_fallback": used is not None and used.year != year,
        "refrigerants": refrigerants(table, rows, year, language=language), "blend": blend_example(table, year),
        "gas": gas_example(table, year), "commuting": commuting_example(table, year, language=language),
        "travel": travel_defaults(table, year, language=language), "hs_hi": hs_hi(table),
        "factors": [{"row": r, "name": _row_name(r), "factor_text": labels.factor_text(r.value, r.unit),
                     "status": labels.status_label(r.status), "edition": edition_label(r),
                     "source": labels.source_text(r.source)} for r in _reading_order(table, rows)],
        "conversions": [{"carrier": "" if c.carrier == "*" else labels.carrier_label(table, c.carrier,
                                                                                      language=language),
                         "text": conversion_text(c), "source": labels.source_text(c.source)}
                        for c in (factor_set.conversions.all() if factor_set else [])],
    }


def _row_name(row) -> str:
    """A factor row's name; a refrigerant's with the carrier's: "Kältemittel R-404A"."""
    if not row.variant:
        return str(row.name)
    described = calculation.VARIANT_CARRIERS.get(row.carrier)
    if described is None:
        return f"{row.name} {row.variant}" if row.variant not in str(row.name) else str(row.name)
    return labels.group_label(row.carrier, "") + " " + row.variant


def _reading_order(table: calculation.FactorTable, rows) -> list:
    """Factor rows by scope, then carriers in the order of the shipped data (gas, oil, ... rather
    than by key), refrigerants by number, years, editions."""
    position = {carrier: i for i, carrier in enumerate(table.carriers())}
    variants = {v: i for i, v in enumerate(table.variants(REFRIGERANT))}
    return sorted(rows, key=lambda r: (r.scope, position.get(r.carrier, len(position)), r.carrier,
                                       variants.get(r.variant, len(variants)), r.variant, r.year or 0, r.edition))
