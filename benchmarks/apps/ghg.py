"""CO2 balance benchmark: every organisation with 10 years of about 12 activity lines
(large: 2,000 x 10 x 12 = 240,000 rows; xl: 20,000 organisations, about 2.2 million rows) and
stored balances.

Pages: the balance page and overview of one partner, the calculator API with 20 lines, the
factor list, the public calculator and method pages.
Extra measurements (``measure``):
- all balances of all organisations for one year computed in memory vs. a raw SQL GROUP BY
  over the same activity rows (budget: <= 2x);
- the same year computed and stored in bulk;
- a 10,000-row XLSX import (validate + write + recompute; budget: <= 5 s).
"""

from __future__ import annotations

import io
import time
from decimal import Decimal

YEARS = list(range(2015, 2025))
LINES = [  # (carrier, unit, low, high, supplier factor choices)
    ("natural_gas", "kWh_hs", 20_000, 600_000, None),
    ("natural_gas", "MWh_hs", 10, 400, None),
    ("heating_oil", "l", 500, 20_000, None),
    ("district_heating", "kWh", 5_000, 200_000, [None, Decimal("0.150")]),
    ("electricity", "kWh", 10_000, 400_000, [None, Decimal("0"), Decimal("0.120")]),
    ("electricity", "MWh", 5, 300, [None]),
    ("diesel", "l", 500, 30_000, None),
    ("petrol", "l", 200, 8_000, None),
    ("lpg", "kWh_hs", 1_000, 50_000, None),
    ("wood_pellets", "kWh_hi", 1_000, 80_000, None),
    ("diesel", "m3", 1, 20, None),
    ("electricity", "kWh", 1_000, 50_000, [None]),
]


# The second contract's lines (rules 6-8) in the calculator request: a refrigerant blend, gas by
# the cubic metre, business travel and commuting per pkm.
NEW_LINES = [
    {"carrier": "refrigerant", "refrigerant": "R-404A", "unit": "kg"},
    {"carrier": "natural_gas", "unit": "m3", "calorific_value_kwh_per_m3": "11.2", "z_number": "0.9543"},
    {"carrier": "rail_long_distance", "unit": "pkm", "category": "business_travel"},
    {"carrier": "car_pkm", "unit": "pkm", "category": "commuting"},
]


def _calculate_body(n: int = 20) -> dict:
    activities = []
    for i in range(n):
        if i % 5 == 4:  # every fifth line is one of the new kinds
            line = dict(NEW_LINES[(i // 5) % len(NEW_LINES)], quantity=str(10 + 997 * i))
            activities.append(line)
            continue
        carrier, unit, low, high, suppliers = LINES[i % len(LINES)]
        line = {"carrier": carrier, "quantity": str(low + (high - low) * (i + 1) // (n + 1)), "unit": unit}
        if suppliers and suppliers[-1] is not None:
            line["supplier_factor_kg_per_kwh"] = str(suppliers[-1])
        activities.append(line)
    return {"year": 2024, "activities": activities}


def generate(ctx) -> None:
    from django.db import connection

    from benchmarks.generate import bulk_insert, copy_rows
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.ghg.models import ActivityLine
    from klimapakt.ghg.services import balances_store_year

    load_default_factor_set()
    rng = ctx.rng
    if connection.vendor == "postgresql":   # plain tuples through COPY: 2 million rows at the xl scale
        copy_rows(ActivityLine, ["organisation", "year", "carrier", "quantity", "unit", "supplier_factor", "source"],
                  ((org_id, year, carrier, Decimal(rng.randint(low, high)), unit,
                    rng.choice(suppliers) if suppliers else None, ActivityLine.Source.IMPORT)
                   for org_id in ctx.org_ids for year in YEARS
                   for carrier, unit, low, high, suppliers in LINES if rng.random() >= 0.1))
    else:
        rows = []
        for org_id in ctx.org_ids:
            for year in YEARS:
                for carrier, unit, low, high, suppliers in LINES:
                    if rng.random() < 0.1:
                        continue  # about 12 lines a year, not exactly
                    rows.append(ActivityLine(organisation_id=org_id, year=year, carrier=carrier,
                                             quantity=Decimal(rng.randint(low, high)), unit=unit,
                                             supplier_factor=rng.choice(suppliers) if suppliers else None,
                                             source=ActivityLine.Source.IMPORT))
            if len(rows) > 20_000:
                bulk_insert(rows)
                rows = []
        bulk_insert(rows)
    started = time.perf_counter()
    if ctx.scale == "xl":
        # Stored balances are derived data; at xl the bench stores the years its pages and
        # measurements read for everybody (2023, 2024; measure() stores 2024 again, timed) and
        # every year for the first 100 organisations (the member's balance overview).
        for year in YEARS:
            balances_store_year(year=year, organisation_ids=None if year >= 2023 else ctx.org_ids[:100])
    else:
        for year in YEARS:
            balances_store_year(year=year)
    ctx.extra["ghg_store_all_years_s"] = round(time.perf_counter() - started, 2)


def pages(ctx) -> list[dict]:
    org = ctx.org_ids[0]
    return [
        {"name": "ghg balance page", "url": f"/mein-bereich/organisation/{org}/co2-bilanz/2024/", "user": "member"},
        {"name": "ghg balance overview", "url": f"/mein-bereich/organisation/{org}/co2-bilanz/", "user": "member"},
        {"name": "ghg calculate API (20 lines)", "url": "/api/v1/calculate", "method": "POST", "user": None,
         "data": _calculate_body(20), "json": True},
        {"name": "ghg emission factors API", "url": "/api/v1/emission-factors?year=2024", "user": None},
        {"name": "ghg calculator page", "url": "/co2-rechner/", "user": None},
        {"name": "ghg method page", "url": "/wie-wir-rechnen/", "user": None},
    ]


def _median_ms(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return round(times[len(times) // 2], 1)


def xlsx_rows(n: int, year: int = 2023) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Verbrauch")
    sheet.append(["Jahr", "Energieträger", "Menge", "Einheit", "Standort", "Faktor des Lieferanten (kg CO2 je kWh)",
                  "Nachweis"])
    for i in range(n):
        carrier, unit, low, high, _suppliers = LINES[i % len(LINES)]
        sheet.append([year, carrier, low + i % 1000, unit, f"Zähler {i}", None, "Rechnung"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(ctx) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from klimapakt.ghg.models import ActivityLine, ImportJob
    from klimapakt.ghg.selectors import balances_for_year, factor_table
    from klimapakt.ghg.services import balances_store_year, import_execute, import_upload
    from klimapakt.partners.models import Organisation

    year = 2024
    table = factor_table()
    rows = ActivityLine.objects.filter(year=year).count()

    def group_by():
        with connection.cursor() as cursor:
            cursor.execute("SELECT organisation_id, carrier, unit, supplier_factor, SUM(quantity) "
                           "FROM ghg_activityline WHERE year = %s GROUP BY organisation_id, carrier, unit, "
                           "supplier_factor", [year])
            return cursor.fetchall()

    balances_for_year(year=year, table=table)  # warm: coefficients, caches
    sql_times, compute_times = [], []
    for _ in range(9):  # interleaved, so both see the same machine load
        sql_times.append(_median_ms(group_by, repeat=1))
        compute_times.append(_median_ms(lambda: balances_for_year(year=year, table=table), repeat=1))
    sql_ms, compute_ms = sorted(sql_times)[4], sorted(compute_times)[4]
    store_ms = _median_ms(lambda: balances_store_year(year=year, table=table), repeat=3)
    organisation = Organisation.objects.get(pk=ctx.org_ids[0])
    content = xlsx_rows(10_000)
    started = time.perf_counter()
    job = import_upload(organisation=organisation, actor=ctx.users["member"],
                        upload=SimpleUploadedFile("bench.xlsx", content))
    validated = time.perf_counter()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    import_execute(job_id=job.pk, actor_id=ctx.users["member"].pk)
    finished = time.perf_counter()
    job.refresh_from_db()
    return {
        "ghg_rows_one_year": rows,
        "ghg_sql_group_by_one_year_ms": sql_ms,
        "ghg_all_balances_one_year_ms": compute_ms,
        "ghg_all_balances_vs_group_by": round(compute_ms / sql_ms, 2) if sql_ms else None,
        "ghg_store_all_balances_one_year_ms": store_ms,
        "ghg_xlsx_import_10000_rows_s": round(finished - started, 2),
        "ghg_xlsx_import_validate_s": round(validated - started, 2),
        "ghg_xlsx_import_status": job.status,
        "ghg_store_all_years_s": ctx.extra.get("ghg_store_all_years_s"),
    }
