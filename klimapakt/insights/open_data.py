"""Open data of the pact's progress: the public ``Progress`` (``pact_progress(pact, public=True)``)
as the JSON of ``GET /api/v1/pact/progress`` and as one CSV table. Plain functions over the
figures (no queries), so the API, its tests and the open-data page read the same shape.

Amounts are decimal strings in t CO2e with exactly three decimals (``ghg.calculation.totals.
format_t``: each rounded once from its exact sum, half-up). Where fewer organisations than the
privacy threshold reported (or the complementary rule hides a year), ``suppressed`` is true and
every figure of that year, the measures included, is null.

The CSV is machine data like ``/api/v1/partners?format=csv``: comma-separated, decimal point,
UTF-8 without byte-order mark, ``true``/``false``, an empty cell for null; one row per year
(the balance years and the years of partnerships together), see docs/insights.md, "Open data".
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from klimapakt.core.spreadsheet import csv_bytes
from klimapakt.ghg.calculation.totals import format_t

from .figures import Progress

FIGURE_KEYS = ("scope1", "scope2_location", "scope2_market", "scope3", "total_scope12_location",
               "total_location", "total_market")
MEASURE_KEYS = ("measures_total", "measures_implemented", "expected_savings", "realised_savings")
PARTNER_KEYS = ("joined", "left", "active")
CSV_HEADER = ["year", "organisations_reporting", *FIGURE_KEYS, "suppressed", *MEASURE_KEYS,
              *(f"partners_{key}" for key in PARTNER_KEYS)]


def t_co2e(value: Decimal | Fraction | None) -> str | None:
    """t CO2e as the API writes it: ``"45.270"``; None stays None."""
    return None if value is None else format_t(value)


def progress_payload(progress: Progress) -> dict:
    """The answer of GET /api/v1/pact/progress: ``years`` (emissions per balance year),
    ``partners`` (joined, left, active per calendar year), ``measures`` (per balance year)."""
    years, measures = [], []
    for year in progress.years:
        figures = year.figures()
        hidden = year.suppressed or year.emissions is None
        years.append({
            "year": year.year,
            "organisations_reporting": year.organisations,
            **{key: None if hidden else t_co2e(figures[key]) for key in FIGURE_KEYS},
            "suppressed": hidden,
        })
        measures.append({
            "year": year.year,
            "measures_total": None if hidden else year.measures_total,
            "measures_implemented": None if hidden else year.measures_implemented,
            "expected_savings": None if hidden else t_co2e(year.expected_savings),
            "realised_savings": None if hidden else t_co2e(year.realised_savings),
        })
    partners = [{"year": p.year, "joined": p.joined, "left": p.left, "active": p.active}
                for p in progress.partners]
    return {"years": years, "partners": partners, "measures": measures}


def progress_rows(payload: dict):
    """One row per year of ``payload`` (a balance year, a year of partnerships, or both), in
    CSV_HEADER's order; a year without balances has empty emission and measure cells."""
    years = {row["year"]: row for row in payload["years"]}
    measures = {row["year"]: row for row in payload["measures"]}
    partners = {row["year"]: row for row in payload["partners"]}
    for year in sorted(years.keys() | partners.keys()):
        emissions, measured, joined = years.get(year), measures.get(year), partners.get(year)
        row = [year]
        if emissions is None:
            row += [None] * (2 + len(FIGURE_KEYS))
        else:
            row += [emissions["organisations_reporting"], *(emissions[k] for k in FIGURE_KEYS),
                    "true" if emissions["suppressed"] else "false"]
        row += [None] * len(MEASURE_KEYS) if measured is None else [measured[k] for k in MEASURE_KEYS]
        row += [None] * len(PARTNER_KEYS) if joined is None else [joined[k] for k in PARTNER_KEYS]
        yield row


def progress_csv(payload: dict) -> str:
    """The payload as one CSV table (header ``CSV_HEADER``); every cell through the export rule."""
    data = csv_bytes(progress_rows(payload), header=CSV_HEADER, delimiter=",")
    return data.decode("utf-8").lstrip("\ufeff")
