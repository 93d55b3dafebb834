"""GET /api/v1/pact/progress reads the real ``pact_progress(pact, public=True)`` in a constant
number of queries however many organisations report, and shows their sums."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

URL = "/api/v1/pact/progress"


def grow(n: int, start: int = 0):
    """n more active partners, each with accepted reports for the balance years 2023 and 2024
    (10 t Scope 1, 5 t Scope 2 location-based, 4 t market-based) and two measures."""
    from klimapakt.partners.models import Organisation
    from klimapakt.reports.models import Measure, Report

    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"Org {start + i}", stage="active", partner_since=datetime.date(2023, 1 + i % 12, 1),
                     postal_code="47798", city="Krefeld") for i in range(n)])
    Report.objects.bulk_create([
        Report(organisation=o, kind=kind, year=year + 1, balance_year=year, status="accepted",
               opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 12, 31),
               scope1_t=Decimal(10), scope2_location_t=Decimal(5), scope2_market_t=Decimal(4), scope3_t=Decimal(0))
        for o in orgs for kind, year in (("baseline", 2023), ("monitoring", 2024))])
    Measure.objects.bulk_create([
        Measure(organisation=o, title=f"M {i}", category="efficiency", status=status,
                expected_t_co2e=Decimal(1)) for i, o in enumerate(orgs) for status in ("planned", "implemented")])


def count(client) -> int:
    client.get(URL)  # warm per-process caches (the pact)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_progress_api_queries_do_not_grow_with_the_organisations(client, pact):
    grow(6)
    small = count(client)
    grow(40, start=100)
    large = count(client)
    assert small == large, (small, large)


def test_progress_api_shows_the_sums_of_the_accepted_reports(client, pact):
    grow(6)
    years = {y["year"]: y for y in client.get(URL).json()["years"]}
    assert years[2024]["organisations_reporting"] == 6 and years[2024]["suppressed"] is False
    assert years[2024]["scope1"] == "60.000" and years[2024]["total_scope12_location"] == "90.000"
    assert years[2024]["total_market"] == "84.000"
