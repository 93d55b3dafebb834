"""One rule for the total of a balance (shared/data/README.md, rule 1): exact values summed,
rounded once. Three scopes of about 0.0004 t each are 0.001 t in total - on the balance page,
in its spreadsheet, in the submitted report and its snapshot, in the office's year overview
and its spreadsheet, in the public API - never the 0.000 t that the sum of rounded scopes gives."""

import datetime
import importlib
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from klimapakt.ghg.calculation import Emissions, KeyTotals, round_t, sum_emissions, with_totals

SMALL = Decimal("0.001")
ZERO = Decimal("0.000")


def test_emissions_sum_exact_values_and_round_once():
    emissions = Emissions(scope1=Fraction(4, 10000), scope2_location=Fraction(4, 10000),
                          scope2_market=Fraction(4, 10000), scope3=Fraction(4, 10000))
    rounded = emissions.rounded()
    assert [rounded[k] for k in ("scope1", "scope2_location", "scope2_market", "scope3")] == [ZERO] * 4
    assert rounded["total_location"] == rounded["total_market"] == SMALL
    assert emissions.rounded_total("1+2") == SMALL and emissions.rounded_total("1") == ZERO
    assert Emissions.decode(emissions.encode()) == emissions
    assert Emissions.decode({}) is None and Emissions.decode({"scope1": "x"}) is None
    assert sum_emissions([emissions, emissions]).rounded_total() == Decimal("0.002")


def test_bulk_totals_follow_the_same_rule():
    totals = KeyTotals(10000)
    totals.sums = [4, 4, 4, 4]
    assert totals.rounded() == totals.emissions().rounded()
    assert totals.rounded()["total_location"] == SMALL
    assert with_totals({"scope1": 1, "scope2_location": 2, "scope2_market": 3, "scope3": 4})["total_market"] == 8


@pytest.fixture
def small_partner(world):
    """An active partner with a target whose 2023 balance has about 0.0004 t in each scope."""
    from klimapakt.ghg.models import FactorSet
    from klimapakt.ghg.services import activity_create, factor_create
    from klimapakt.partners.models import Organisation, Target

    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE,
                                                  partner_since=datetime.date(2024, 3, 1), listing_consent=True)
    org.refresh_from_db()
    Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=50,
                          scopes="1+2+3", signed=True)
    office = world["users"]["office"]
    factor_create(factor_set=FactorSet.objects.current(), carrier="rail_travel", name_de="Bahnreisen", scope=3,
                  unit="pkm", value=Decimal("0.04"), source="Test", actor=office)
    member = world["users"]["member_a"]
    for carrier, quantity, unit in (("diesel", "0.15", "l"),          # 0.00039675 t
                                    ("electricity", "1", "kWh"),     # 0.000386 t (2023)
                                    ("rail_travel", "10", "pkm")):   # 0.0004 t
        activity_create(organisation=org, year=2023, carrier=carrier, quantity=quantity, unit=unit, actor=member)
    return org


def test_every_place_shows_the_same_total(small_partner, world, client, client_for,
                                          django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    from klimapakt.ghg.models import Balance
    from klimapakt.ghg.selectors import balances_for_year
    from klimapakt.reports import selectors as report_selectors
    from klimapakt.reports import services as report_services

    org, member, office = small_partner, world["users"]["member_a"], world["users"]["office"]
    balance = Balance.objects.get(organisation=org, year=2023)
    assert (balance.scope1_t, balance.scope2_location_t, balance.scope3_t) == (ZERO, ZERO, ZERO)
    figures = {"balance": balance.total_location_t, "balance.totals": balance.totals()["total_location"],
               "target scopes": report_selectors.emissions_for(balance, "1+2+3"),
               "bulk": balances_for_year(year=2023)[org.pk].rounded()["total_location"]}

    page = client_for(member).get(reverse("ghg:balance_year", args=[org.pk, 2023])).content.decode()
    figure = page.split('id="figure-total_location">')[1].split("<")[0].strip()
    figures["balance page"] = Decimal(figure.replace(",", "."))
    book = load_workbook(io.BytesIO(client_for(member).get(reverse("ghg:balance_xlsx", args=[org.pk, 2023])).content))
    sheet = book.worksheets[0]
    figures["balance xlsx"] = next(row[1] for row in sheet.iter_rows(values_only=True)
                                   if row[0] == "Gesamt (standortbasiert)")

    report = report_services.report_start(organisation=org, kind="baseline", year=2024, actor=member)
    version = report_services.report_submit(report=report, actor=member)
    report_services.report_accept(report=report, actor=office)
    report.refresh_from_db()
    assert (report.scope1_t, report.scope2_location_t, report.scope3_t) == (ZERO, ZERO, ZERO)
    figures["report"] = report.total_t_co2e
    figures["snapshot"] = Decimal(version.snapshot["balance"]["total_location"])
    from klimapakt.reports.documents import report_pdf_context

    figures["report pdf path"] = report_pdf_context(report, version.snapshot)["check"].base_t
    figures["year overview"] = report_selectors.year_overview(2024)["sums"]["total"]
    year_book = load_workbook(io.BytesIO(client_for(office).get(reverse("reports_office:overview_xlsx",
                                                                        args=[2024])).content))
    overview_rows = list(year_book.worksheets[0].iter_rows(values_only=True))
    figures["year xlsx"] = next(r[1] for r in overview_rows if str(r[0]).startswith("Gesamt"))
    detail = list(year_book.worksheets[1].iter_rows(values_only=True))
    figures["year xlsx row"] = detail[1][9]

    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(reverse("reports:consent", args=[org.pk]), {"publish_figures": "on"})
    item = next(p for p in json.loads(client.get("/api/v1/partners").content) if p["id"] == org.pk)
    figures["public api"] = Decimal(item["reports"][0]["total_t_co2e"])

    assert {k: round_t(Decimal(str(v))) for k, v in figures.items()} == {k: SMALL for k in figures}


def test_backfill_recomputes_exact_values_of_stored_balances_and_reports(small_partner, world):
    from django.apps import apps

    from klimapakt.ghg.models import Balance
    from klimapakt.reports import services as report_services
    from klimapakt.reports.models import Report

    member = world["users"]["member_a"]
    report = report_services.report_start(organisation=small_partner, kind="baseline", year=2024, actor=member)
    report_services.report_submit(report=report, actor=member)
    balance = Balance.objects.get(organisation=small_partner, year=2023)
    exact = balance.exact_t
    Balance.objects.filter(pk=balance.pk).update(exact_t={})
    Report.objects.filter(pk=report.pk).update(exact_t=None)
    assert Report.objects.get(pk=report.pk).total_t_co2e == ZERO  # rounded figures only: the old sum

    importlib.import_module("klimapakt.ghg.migrations.0005_backfill_balance_exact_t").backfill(apps, None)
    importlib.import_module("klimapakt.reports.migrations.0004_backfill_report_exact_t").backfill(apps, None)
    balance.refresh_from_db()
    assert balance.exact_t == exact
    assert Report.objects.get(pk=report.pk).total_t_co2e == SMALL


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[st.fractions(min_value=0, max_value=10**6, max_denominator=10**9)] * 4), max_size=30))
def test_summing_stored_values_is_exact(rows):
    from fractions import Fraction

    from klimapakt.ghg.calculation import SCOPE_KEYS, Emissions, sum_exact

    stored = [Emissions(*row).encode() for row in rows]
    total = sum_exact(stored)
    for index, key in enumerate(SCOPE_KEYS):
        assert getattr(total, key) == sum((row[index] for row in rows), Fraction(0))


def test_year_overview_adds_older_reports_figures_and_newer_reports_exact_values(small_partner, world):
    """A year mixes reports submitted before exact values were kept (their 3-decimal figures,
    summed in SQL) and after (exact values): the sum is the same as adding every exact value."""
    from klimapakt.partners.models import Organisation
    from klimapakt.reports import selectors as report_selectors
    from klimapakt.reports import services as report_services
    from klimapakt.reports.models import Report

    member, office = world["users"]["member_a"], world["users"]["office"]
    report = report_services.report_start(organisation=small_partner, kind="baseline", year=2024, actor=member)
    report_services.report_submit(report=report, actor=member)
    report_services.report_accept(report=report, actor=office)
    other = Organisation.objects.create(name="Älter GmbH", kind=small_partner.kind, stage="active")
    Report.objects.create(organisation=other, kind="baseline", year=2024, balance_year=2023, status="accepted",
                          opens_on=report.opens_on, due_on=report.due_on, scope1_t=Decimal("1.234"),
                          scope2_location_t=Decimal("0.500"), scope2_market_t=Decimal("0.400"),
                          scope3_t=Decimal("0.100"), exact_t=None)
    sums = report_selectors.year_overview(2024)["sums"]
    # 0.0004 t per scope (rounds to 0.001 only as a total) + the older report's figures
    assert sums["total"] == Decimal("1.835")  # 1.834 + about 0.0012 of the exact report
    assert sums["scope1"] == Decimal("1.234")
