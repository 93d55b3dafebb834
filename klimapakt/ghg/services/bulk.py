"""Every organisation at once: balances of a year computed and stored in bulk (after a factor
change, and for an import), with one prepared statement for many rows."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import calculation
from ..models import ActivityLine, Balance, BalanceLine, FactorSet
from ..selectors import factor_table
from .balances import LINE_RECORD_FIELDS, _balance_values, line_record


@transaction.atomic
def balances_store_year(*, year: int, table=None, organisation_ids=None) -> int:
    """Compute and store the balances of every organisation (or the given ones) for one year
    in bulk: one read of the activity rows, the calculation per organisation, bulk writes.
    Frozen balances are left alone. Returns the number of balances written."""
    from collections import defaultdict

    table = table or factor_table()
    factor_set = FactorSet.objects.current()
    frozen = set(Balance.objects.filter(year=year, is_frozen=True).values_list("organisation_id", flat=True))
    rows = ActivityLine.objects.filter(year=year).order_by("organisation_id", "pk")
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    by_org: dict[int, list] = defaultdict(list)
    for row in rows.values_list("pk", "organisation_id", "carrier", "quantity", "unit", "supplier_factor",
                                "site", "refrigerant", "category", "calorific_value_kwh_per_m3",
                                "z_number").iterator(chunk_size=5000):
        if row[1] not in frozen:
            by_org[row[1]].append(row)
    from klimapakt.partners.models import Organisation

    employees = dict(Organisation.objects.filter(pk__in=list(by_org)).values_list("pk", "employees"))
    existing = {b.organisation_id: b for b in Balance.objects.filter(year=year, organisation_id__in=list(by_org))}
    now = timezone.now()
    results = {}
    balances = []
    for org_id, lines in by_org.items():
        try:
            result = calculation.calculate(table, year, [
                calculation.Activity(carrier, quantity, unit, supplier, *extra)
                for _pk, _org, carrier, quantity, unit, supplier, _site, *extra in lines])
        except calculation.CalculationError:
            continue
        balance = existing.get(org_id) or Balance(organisation_id=org_id, year=year, employees=employees.get(org_id))
        balance.factor_set = factor_set
        balance.factor_set_version = factor_set.version if factor_set else 0
        balance.computed_at = now
        _balance_values(result, balance)
        balances.append(balance)
        results[org_id] = (lines, result)
    fields = ["factor_set", "factor_set_version", "computed_at", "scope1_t", "scope2_location_t", "scope2_market_t",
              "scope3_t", "total_location_t", "total_market_t", "exact_t", "intensity_employee_t",
              "intensity_meur_t", "warnings"]
    # An upsert keeps the primary keys of existing balances (reports refer to them).
    Balance.objects.bulk_create(balances, batch_size=500, update_conflicts=True,
                                unique_fields=["organisation", "year"], update_fields=fields)
    ids = dict(Balance.objects.filter(year=year, organisation_id__in=list(results)).values_list("organisation_id",
                                                                                                "pk"))
    BalanceLine.objects.filter(balance_id__in=list(ids.values())).delete()
    new_lines = []
    for org_id, (lines, result) in results.items():
        balance_id = ids[org_id]
        for i, (row, line) in enumerate(zip(lines, result.lines, strict=True)):
            new_lines.append((
                balance_id, i, row[0], line.carrier, line.name_de, line.scope, line.quantity, line.unit, row[6],
                *line_record(line)))
    fast_insert(BalanceLine, ["balance", "position", "activity", "carrier", "carrier_name", "scope", "quantity",
                              "unit", "site", *LINE_RECORD_FIELDS], new_lines)
    return len(results)


def fast_insert(model, field_names: list[str], rows: list[tuple], *, batch_size: int = 2000) -> None:
    """Insert many rows with one prepared statement (bulk_create spends most of its time
    building model instances and SQL for 10,000 rows). Values are adapted per column type."""
    from django.db import connection, models

    fields = [model._meta.get_field(name) for name in field_names]
    sqlite = connection.vendor == "sqlite"
    adapters = []
    for f in fields:
        if isinstance(f, models.DecimalField):
            adapters.append((lambda v: None if v is None else format(v, "f")) if sqlite else None)
        elif isinstance(f, models.DateTimeField):
            adapters.append(lambda v, ops=connection.ops: ops.adapt_datetimefield_value(v))
        elif isinstance(f, models.JSONField):
            adapters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            adapters.append(None)
    if any(adapters):
        rows = [tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start:start + batch_size])
