"""The city's view: the public progress page (cached, as visitors get it), the office's dashboard
(uncached, with and without a filter) over the partners, reports and measures the other modules
generate (large: 2,000 organisations, ~1,200 accepted reports with exact values).

Extra measurements (``measure``): the progress figures computed uncached (public, with the
privacy rule, and the office's) against a raw SQL GROUP BY over the same accepted reports
(goal: <= 2x)."""

from __future__ import annotations

import statistics
import time


def generate(ctx) -> None:
    """Nothing of its own: it reads what partners, reports, events and support generated."""


def pages(ctx) -> list[dict]:
    return [
        {"name": "insights progress page", "url": "/fortschritt/", "user": None},
        {"name": "GET /api/v1/pact/progress", "url": "/api/v1/pact/progress", "user": None},
        {"name": "GET /api/v1/pact/progress csv", "url": "/api/v1/pact/progress?format=csv", "user": None},
        {"name": "insights office dashboard", "url": "/geschaeftsstelle/fortschritt/", "user": "office"},
        {"name": "insights office dashboard filtered",
         "url": "/geschaeftsstelle/fortschritt/?art=company&groesse=small", "user": "office"},
    ]


def _ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def measure(ctx) -> dict:
    from django.db import connection

    from klimapakt.insights.figures import Filters
    from klimapakt.insights.selectors import progress, rows
    from klimapakt.insights.selectors.progress import pact_progress
    from klimapakt.reports.models import Report

    def group_by():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.balance_year, COUNT(*), SUM(r.scope1_t), SUM(r.scope2_location_t), "
                "SUM(r.scope2_market_t), SUM(r.scope3_t) FROM reports_report r "
                "JOIN partners_organisation o ON o.id = r.organisation_id "
                "WHERE r.status = 'accepted' AND o.partner_since IS NOT NULL GROUP BY r.balance_year")
            return cursor.fetchall()

    def emission_aggregates():
        """What the GROUP BY computes, as the figures do it: every accepted report's exact values
        read, then summed per balance year and per year and WZ section (exact, rounded once)."""
        by_year = rows.by_balance_year(rows.accepted_rows(Filters()))
        return progress.emission_years(by_year), progress.sector_cells(by_year, None)

    accepted = Report.objects.filter(status=Report.Status.ACCEPTED).count()
    sql_ms = _ms(group_by)
    emissions_ms = _ms(emission_aggregates)
    office_ms = _ms(lambda: pact_progress(ctx.pact, public=False))
    public_ms = _ms(lambda: pact_progress(ctx.pact, public=True))
    return {
        "insights_accepted_reports": accepted,
        "insights_sql_group_by_ms": sql_ms,
        "insights_emission_aggregates_ms": emissions_ms,
        "insights_emission_aggregates_vs_group_by": round(emissions_ms / sql_ms, 1) if sql_ms else None,
        "insights_progress_office_uncached_ms": office_ms,
        "insights_progress_public_uncached_ms": public_ms,
        "insights_progress_vs_group_by": round(office_ms / sql_ms, 1) if sql_ms else None,
    }
