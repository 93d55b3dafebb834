"""The partner dashboard, the report inbox and the per-year overview keep a constant number
of SQL queries as reports, measures, balances and reminders grow."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.ghg.models import Balance
from klimapakt.partners.models import Organisation
from klimapakt.reports.models import Measure, MeasureSaving, Reminder, Report


def grow(partner, n: int, start: int = 0):
    """n more organisations with accepted reports, reminders and measures; partner gets n more
    measures (with savings), balances and reports."""
    orgs = Organisation.objects.bulk_create([Organisation(name=f"Org {start + i}", stage="active",
                                                          partner_since=datetime.date(2024, 1, 1))
                                             for i in range(n)])
    reports = Report.objects.bulk_create([
        Report(organisation=o, kind="baseline", year=2024, balance_year=2023, status=s,
               opens_on=datetime.date(2024, 1, 1), due_on=datetime.date(2025, 1, 1), scope1_t=Decimal(10),
               scope2_location_t=Decimal(5), scope2_market_t=Decimal(4), scope3_t=Decimal(0))
        for i, o in enumerate(orgs) for s in [["accepted", "submitted", "draft", "returned"][i % 4]]])
    Reminder.objects.bulk_create([Reminder(report=r, step=step) for r in reports for step in ("opened", "w8")])
    measures = Measure.objects.bulk_create([
        Measure(organisation=o, title=f"M {i}", category="efficiency", status=["planned", "implemented"][i % 2],
                expected_t_co2e=Decimal(1)) for i, o in enumerate([*orgs, *[partner] * n])])
    MeasureSaving.objects.bulk_create([MeasureSaving(measure=m, carrier="electricity", expected_quantity=100,
                                                     expected_t_co2e=Decimal("0.036"))
                                       for m in measures])
    Balance.objects.bulk_create([Balance(organisation=partner, year=1900 + start + i, scope1_t=5) for i in range(n)])
    Report.objects.bulk_create([Report(organisation=partner, kind="monitoring", year=2000 + start + i,
                                       balance_year=1999 + start + i, opens_on=datetime.date(2020, 1, 1),
                                       due_on=datetime.date(2020, 12, 31)) for i in range(n)])


def count(client, url):
    client.get(url)  # warm per-process caches
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_keep_a_constant_number_of_queries(partner, member, office, client_for):
    from .conftest import add_balance

    add_balance(partner, 2023)
    pages = [(client_for(member), reverse("reports:dashboard", args=[partner.pk])),
             (client_for(member), reverse("reports:measures", args=[partner.pk])),
             (client_for(office), reverse("reports_office:inbox")),
             (client_for(office), reverse("reports_office:inbox") + "?status=overdue"),
             (client_for(office), reverse("reports_office:overview") + "?jahr=2024")]
    grow(partner, 3)
    small = [count(c, u) for c, u in pages]
    grow(partner, 30, start=10)
    large = [count(c, u) for c, u in pages]
    assert small == large, list(zip([u for _c, u in pages], small, large, strict=True))
