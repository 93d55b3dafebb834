"""Reports benchmark: every organisation with an Ausgangsbericht 2024 (status mixed), half of
them with a Monitoringbericht 2025, about five measures each with savings, and reminders
(large: 2,000 organisations -> ~3,000 reports, ~10,000 measures).

Pages: the partner dashboard, the report inbox (all and overdue), the per-year overview."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

STATUSES = ["accepted", "accepted", "submitted", "returned", "draft"]
CATEGORIES = ["efficiency", "heat", "green_power", "generation", "mobility", "processes", "buildings", "behaviour",
              "other"]
MEASURE_STATUSES = ["planned", "in_progress", "implemented", "implemented", "postponed"]


def _t(rng, low, high) -> Decimal:
    return Decimal(rng.randint(low * 1000, high * 1000)) / 1000


def generate(ctx) -> None:
    from benchmarks.generate import bulk_insert
    from klimapakt.ghg.calculation.totals import Emissions
    from klimapakt.reports.models import Measure, MeasureSaving, Reminder, Report

    rng = ctx.rng
    reports = []
    for i, org_id in enumerate(ctx.org_ids):
        for kind, year, balance_year, opens, due in (
                ("baseline", 2024, 2023, datetime.date(2024, 1, 15), datetime.date(2025, 1, 15)),
                ("monitoring", 2025, 2024, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))):
            if kind == "monitoring" and i % 2:
                continue
            status = STATUSES[rng.randrange(len(STATUSES))]
            figures = {"scope1_t": _t(rng, 5, 800), "scope2_location_t": _t(rng, 2, 400),
                       "scope2_market_t": _t(rng, 0, 300), "scope3_t": _t(rng, 0, 100)} \
                if status in ("accepted", "submitted", "returned") else {}
            if figures:  # the exact values a submission copies from the balance (fractions)
                figures["exact_t"] = Emissions.from_mapping(
                    {k[:-2]: Fraction(v) + Fraction(1, 3000) for k, v in figures.items()}).encode()
            reports.append(Report(organisation_id=org_id, kind=kind, year=year, balance_year=balance_year,
                                  status=status, opens_on=opens, due_on=due, measures_total=5,
                                  measures_implemented=rng.randint(0, 5), expected_savings_t=_t(rng, 0, 50),
                                  realised_savings_t=_t(rng, 0, 20), notes={"general": "Synthetischer Bericht."},
                                  **figures))
    reports = bulk_insert(reports)
    bulk_insert([Reminder(report=r, step=step, sent_on=r.opens_on) for r in reports for step in ("opened", "w8")])
    measures = []
    for org_id in ctx.org_ids:
        for j in range(5):
            status = MEASURE_STATUSES[rng.randrange(len(MEASURE_STATUSES))]
            measures.append(Measure(organisation_id=org_id, title=f"Maßnahme {j + 1}",
                                    category=CATEGORIES[rng.randrange(len(CATEGORIES))], status=status,
                                    justification="Synthetisch." if status == "postponed" else "",
                                    expected_t_co2e=_t(rng, 0, 30), scopes=[1, 2],
                                    realised_t_co2e=_t(rng, 0, 25) if status == "implemented" else None))
    measures = bulk_insert(measures)
    bulk_insert([MeasureSaving(measure=m, carrier="electricity", expected_quantity=10_000,
                               expected_t_co2e=Decimal("3.8")) for m in measures])


def pages(ctx) -> list[dict]:
    org = ctx.org_ids[0]
    return [
        {"name": "reports partner dashboard", "url": f"/mein-bereich/organisation/{org}/berichte/", "user": "member"},
        {"name": "reports inbox", "url": "/geschaeftsstelle/berichte/", "user": "office"},
        {"name": "reports inbox overdue", "url": "/geschaeftsstelle/berichte/?status=overdue", "user": "office"},
        {"name": "reports year overview", "url": "/geschaeftsstelle/berichte/jahresuebersicht/?jahr=2025",
         "user": "office"},
    ]
