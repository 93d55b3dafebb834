"""Reads of the CO2 balance: the factor table from the database, balances, activity lines.
Built for a constant number of queries."""

from __future__ import annotations

import threading
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from . import calculation
from .models import ActivityLine, Balance, BalanceLine, EmissionFactor, FactorSet, UnitConversion

_TABLES: dict[tuple, calculation.FactorTable] = {}
_LOCK = threading.Lock()


def current_factor_set() -> FactorSet | None:
    return FactorSet.objects.current()


def factor_table(factor_set: FactorSet | None = None) -> calculation.FactorTable:
    """The current factors of the (default) set as a calculation table. One query when the
    set's version is cached in this process; the version changes with every factor change."""
    if factor_set is None:
        row = (FactorSet.objects.filter(is_default=True).order_by("pk")
               .values_list("pk", "version", "updated_at").first())
    else:
        row = (factor_set.pk, factor_set.version, factor_set.updated_at)
    if row is None:
        return calculation.FactorTable([], [])
    table = _TABLES.get(row)
    if table is not None:
        return table
    factors = [
        calculation.Factor(id=f.pk, carrier=f.carrier, name_de=f.name_de, name_en=f.name_en or f.name_de,
                           scope=f.scope, unit=f.unit, value=f.value, year=f.year, source=f.source, note=f.note)
        for f in EmissionFactor.objects.filter(factor_set_id=row[0], is_current=True).order_by("pk")
    ]
    conversions = [
        calculation.Conversion(carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                               numerator=c.numerator, denominator=c.denominator, source=c.source)
        for c in UnitConversion.objects.filter(factor_set_id=row[0]).order_by("pk")
    ]
    table = calculation.FactorTable(factors, conversions)
    with _LOCK:
        if len(_TABLES) > 32:
            _TABLES.clear()
        _TABLES[row] = table
    return table


def carrier_choices(table: calculation.FactorTable, *, language: str = "de") -> list[tuple[str, str]]:
    out = []
    for carrier in table.carriers():
        info = table.carrier_info(carrier)
        out.append((carrier, info.name_en if language == "en" and info.name_en else info.name_de))
    return out


def factors_by_year(factor_set: FactorSet) -> list[EmissionFactor]:
    """All factors of a set with their editions (for "Wie wir rechnen" and the back office)."""
    return list(EmissionFactor.objects.filter(factor_set=factor_set).select_related("replaces")
                .order_by("scope", "carrier", "year", "edition"))


def activity_lines(*, organisation, year: int):
    return ActivityLine.objects.filter(organisation=organisation, year=year).order_by("pk")


def balance_for(*, organisation, year: int) -> Balance | None:
    return (Balance.objects.filter(organisation=organisation, year=year)
            .prefetch_related(Prefetch("lines", queryset=BalanceLine.objects.select_related("activity")
                                       .order_by("position")))
            .first())


def balances_of(organisation) -> list[Balance]:
    return list(Balance.objects.filter(organisation=organisation).order_by("year"))


def years_with_data(organisation) -> list[int]:
    years = set(ActivityLine.objects.filter(organisation=organisation).values_list("year", flat=True).distinct())
    years |= set(Balance.objects.filter(organisation=organisation).values_list("year", flat=True))
    return sorted(years, reverse=True)


def balances_for_year(*, year: int, table: calculation.FactorTable | None = None) -> dict[int, calculation.Result]:
    """Every organisation's balance for one year, computed from the activity rows in one query.
    Lines of the same carrier, unit and supplier factor are added up first (exact decimals):
    the calculation is linear, so this gives exactly the per-line result (see the property test)."""
    table = table or factor_table()
    grouped: dict[int, dict[tuple, Decimal]] = defaultdict(dict)
    rows = ActivityLine.objects.filter(year=year).values_list("organisation_id", "carrier", "unit", "supplier_factor",
                                                              "quantity")
    for org_id, carrier, unit, supplier, quantity in rows.iterator(chunk_size=5000):
        bucket = grouped[org_id]
        key = (carrier, unit, supplier)
        bucket[key] = bucket.get(key, 0) + quantity
    results = {}
    for org_id, bucket in grouped.items():
        activities = [calculation.Activity(carrier, quantity, unit, supplier)
                      for (carrier, unit, supplier), quantity in bucket.items()]
        try:
            results[org_id] = calculation.calculate(table, year, activities)
        except calculation.CalculationError:
            continue  # stored lines were valid when entered; a removed factor leaves the org out
    return results
