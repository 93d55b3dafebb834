"""The peer benchmark (insights.benchmark) and its section on the partner's reports dashboard:
hand-computed quartiles of a fixed group, the fallback chain, the partner's own quarter, groups
below 10 never shown, no other organisation's value on the page, and a query count that does
not grow with the number of partners."""

import datetime
from decimal import Decimal
from fractions import Fraction as F

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klimapakt.core.formatting import number
from klimapakt.ghg.models import Balance
from klimapakt.insights.benchmark import Group, peer_benchmark
from klimapakt.partners.models import Organisation
from klimapakt.reports.models import Report

YEAR = 2025
pytestmark = pytest.mark.django_db


def accepted(org, headline, *, employees=None, turnover=None, year=YEAR, kind="baseline", report_year=None,
             accepted_at=None):
    """An accepted report of `org` for balance year `year` with Scope 1 + 2 = `headline` t (all
    of it Scope 1, Scope 2 market-based and Scope 3 made up so the headline must leave them out)."""
    balance = None
    if employees is not None or turnover is not None:
        balance = Balance.objects.create(organisation=org, year=year, employees=employees, turnover_meur=turnover)
    return Report.objects.create(
        organisation=org, kind=kind, year=report_year or year + 1, balance_year=year, status="accepted",
        opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 12, 31), balance=balance,
        scope1_t=Decimal(headline), scope2_location_t=Decimal(0), scope2_market_t=Decimal(999),
        scope3_t=Decimal(5000), accepted_at=accepted_at or datetime.datetime(year + 1, 6, 1, tzinfo=datetime.UTC))


def peers(n, *, sector="C", employees=20, headline=lambda i: 20 * (i + 1), start=0, **kwargs):
    """n other organisations (names "Peer <i>"), each with an accepted report."""
    out = []
    for i in range(start, start + n):
        org = Organisation.objects.create(name=f"Peer {i}", sector=sector, employees=employees)
        accepted(org, headline(i), **kwargs)
        out.append(org)
    return out


@pytest.fixture
def own(world):
    org = world["org_a"]
    Organisation.objects.filter(pk=org.pk).update(sector="C", employees=20, stage=Organisation.Stage.ACTIVE)
    org.refresh_from_db()
    return org


def test_hand_computed_quartiles_of_the_sector_and_size_group(own):
    # ten others in C with 20 employees: 1, 2, ..., 10 t per employee
    peers(10)
    accepted(own, "130")  # 6.5 t per employee
    benchmark = peer_benchmark(own)
    assert benchmark.year == YEAR and benchmark.has_own
    c = benchmark.get("employees")
    assert c.group == Group("sector_size", sector="C", size="small")
    assert (c.stats.size, c.stats.q1, c.stats.median, c.stats.q3) == (10, F(13, 4), F(11, 2), F(31, 4))
    assert c.own == F(13, 2) and c.band == 3


def test_the_organisation_is_not_part_of_its_own_group(own):
    peers(9)
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.group is None and c.stats is None  # 9 others: too few, although 10 with the organisation itself


def test_headline_is_scope_1_and_2_location_based_and_turnover_comes_from_the_balance(own):
    peers(10, turnover=Decimal("2"))  # 20, 40, ..., 200 t per 2 million EUR
    accepted(own, "90", turnover=Decimal("3"))
    c = peer_benchmark(own).get("turnover")
    assert c.stats.median == F(55)        # (100 + 120) / 2 / 2
    assert c.own == F(30) and c.band == 1


def test_employees_of_the_balance_come_before_the_organisations(own):
    peers(10, employees=500, headline=lambda i: 5000 * (i + 1))  # Organisation: large; balance: 20 -> small
    others = Organisation.objects.filter(name__startswith="Peer")
    for org in others:
        report = org.reports.get()
        report.balance = Balance.objects.create(organisation=org, year=YEAR, employees=20)
        report.save()
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.group == Group("sector_size", sector="C", size="small")
    assert c.stats.q1 == F(5000 * 13, 4 * 20)


@pytest.mark.parametrize("setup, level", [
    # 10 in C, 10 to 49 employees
    (lambda: peers(10), "sector_size"),
    # 9 of them in the same size, 1 larger: the sector alone has 10
    (lambda: (peers(9), peers(1, employees=100, start=9)), "sector"),
    # 5 in C, 5 in G, all small: the size class alone has 10
    (lambda: (peers(5), peers(5, sector="G", start=5)), "size"),
    # 5 in C small, 5 in G large: only all partners together have 10
    (lambda: (peers(5), peers(5, sector="G", employees=300, start=5)), "all"),
])
def test_fallback_chain(own, setup, level):
    setup()
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.group.level == level and c.stats.size == 10


def test_levels_without_a_sector_or_size_are_skipped(own):
    Organisation.objects.filter(pk=own.pk).update(sector="")
    own.refresh_from_db()
    peers(10)
    accepted(own, "100")
    assert peer_benchmark(own).get("employees").group == Group("size", size="small")


def test_fewer_than_ten_in_all_partners_shows_nothing(own, client_for, world):
    others = peers(9)
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.stats is None and c.group is None and c.band is None
    html = client_for(world["users"]["member_a"]).get(reverse("reports:dashboard", args=[own.pk])).content.decode()
    assert 'id="benchmark"' in html and "benchmark-table" not in html and "noch zu wenige" in html
    assert "Peer" not in html and not any(o.name in html for o in others)


@pytest.mark.parametrize("headline, band", [("40", 1), ("65", 1), ("66", 2), ("110", 2), ("111", 3),
                                            ("155", 3), ("156", 4)])
def test_own_quarter(own, headline, band):
    peers(10)  # quartiles 3.25, 5.5, 7.75 t per employee = 65, 110, 155 t for 20 employees
    accepted(own, headline)
    assert peer_benchmark(own).get("employees").band == band


def test_one_value_per_organisation_its_last_accepted_report(own):
    orgs = peers(10)
    # a second accepted report of the same balance year (an Endbilanz, say), accepted later
    accepted(orgs[0], "2000", kind="final", report_year=YEAR + 2,
             accepted_at=datetime.datetime(YEAR + 2, 1, 1, tzinfo=datetime.UTC))
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.stats.size == 10
    assert c.stats.q3 == F(31 + 4, 4)  # 2, ..., 10, 100 t per employee: h = 6.75 between 8 and 9


def test_other_years_and_unaccepted_reports_do_not_count(own):
    peers(10, year=YEAR - 1)
    for i, status in enumerate(["submitted", "draft", "returned"]):
        org = Organisation.objects.create(name=f"Open {i}", sector="C", employees=20)
        accepted(org, "100").__class__.objects.filter(organisation=org).update(status=status)
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.stats is None


def test_no_accepted_report_yet(own, client_for, world):
    peers(10)
    assert peer_benchmark(own) is None
    html = client_for(world["users"]["member_a"]).get(reverse("reports:dashboard", args=[own.pk])).content.decode()
    assert 'id="benchmark-none"' in html


def test_dashboard_shows_the_benchmark_in_german_without_any_other_organisations_value(own, client_for, world):
    values = [3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377]
    others = peers(len(values), headline=lambda i: values[i] * 20, turnover=Decimal("4"))
    accepted(own, "400", turnover=Decimal("8"))  # 20 t per employee, 50 t per million EUR
    for user in ("member_a", "office"):
        response = client_for(world["users"][user]).get(reverse("reports:dashboard", args=[own.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ihre Emissionsintensität im Vergleich" in html
        # n = 11: Q1 between 8 and 13, the median the mean of 21 and 55 (not 34), Q3 between 89 and 144
        assert "10,50" in html and "38,00" in html and "116,50" in html
        assert "Mit 20,00 t CO₂e je beschäftigter Person liegt Ihre Emissionsintensität im zweiten Viertel" in html
        assert "Klimapartner aus dem Wirtschaftszweig „C – Verarbeitendes Gewerbe“ mit 10 bis 49 Beschäftigten" in html
        assert "t CO₂e je Million Euro Umsatz" in html and "Mit 50,00 t CO₂e je Million Euro Umsatz liegt Ihre Emissionsintensität im ersten Viertel" in html
        for org, value in zip(others, values, strict=True):
            assert org.name not in html
            for shown in (F(value), F(value * 20, 4)):  # per employee, per million EUR
                assert f">{number(shown, 2)}<" not in html and f" {number(shown, 2)} " not in html
        assert "<svg" in html and 'aria-labelledby="chart-benchmark-employees-title' in html


def test_the_block_is_not_there_for_a_member_of_another_organisation(own, client_for, world):
    peers(10)
    accepted(own, "100")
    response = client_for(world["users"]["member_b"]).get(reverse("reports:dashboard", args=[own.pk]))
    assert response.status_code == 403


def test_without_a_turnover_the_page_explains_how_to_get_that_comparison(own, client_for, world):
    peers(10, turnover=Decimal("1"))
    accepted(own, "100")
    html = client_for(world["users"]["member_a"]).get(reverse("reports:dashboard", args=[own.pk])).content.decode()
    assert "Wenn Sie in Ihrer Bilanz den Umsatz angeben" in html and 'id="benchmark-turnover"' not in html
    assert 'id="benchmark-employees"' in html


def _queries(org):
    with CaptureQueriesContext(connection) as ctx:
        peer_benchmark(org)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_number_of_partners(own):
    accepted(own, "100", employees=20, turnover=Decimal("1"))
    peers(12, turnover=Decimal("1"))
    small = _queries(own)
    peers(60, start=100, sector="G", employees=300, turnover=Decimal("1"))
    large = _queries(own)
    assert small == large == 2  # the year, the reports (cache miss: kept until a report changes)
    assert _queries(own) == 1  # cached: the year only
    assert peer_benchmark(own, YEAR) is not None and _queries_with_year(own) == 0


def _queries_with_year(org):
    with CaptureQueriesContext(connection) as ctx:
        peer_benchmark(org, YEAR)
    return len(ctx.captured_queries)


def test_the_dashboard_keeps_its_query_count_as_partners_grow(own, client_for, world):
    from django.core.cache import cache

    accepted(own, "100", turnover=Decimal("1"))
    client = client_for(world["users"]["member_a"])
    url = reverse("reports:dashboard", args=[own.pk])

    def count():
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and "benchmark-table" in response.content.decode()
        return len(ctx.captured_queries)

    peers(12, turnover=Decimal("1"))
    small = count()
    peers(60, start=100, turnover=Decimal("2"))
    assert count() == small


def test_a_dashboard_block_with_a_permission_is_left_out_for_people_without_it(own, rf, world):
    from klimapakt.reports.registry import DashboardBlock, blocks_for_dashboard, dashboard_blocks

    request = rf.get("/")
    request.user = world["users"]["member_a"]
    assert [b["key"] for b in blocks_for_dashboard(request, own)] == ["peer_benchmark"]
    block = DashboardBlock("office_only", "x.html", lambda request, organisation: {}, permission="reports.review_reports")
    dashboard_blocks.add(block)
    try:
        assert [b["key"] for b in blocks_for_dashboard(request, own)] == ["peer_benchmark"]
        request.user = world["users"]["office"]
        assert [b["key"] for b in blocks_for_dashboard(request, own)] == ["peer_benchmark", "office_only"]
    finally:
        dashboard_blocks._items.remove(block)


@pytest.mark.parametrize("stored", [
    {"scope1": "1/7", "scope2_location": "1234/1000", "scope2_market": "5", "scope3": "99/2"},
    {"scope1": Decimal("12.345"), "scope2_location": Decimal("0.001"), "scope2_market": None, "scope3": None},
    {"scope1": "3", "scope2_location": None, "scope2_market": "1/3", "scope3": "0"},
])
def test_headline_is_what_emissions_total_says(stored):
    from klimapakt.ghg.calculation.totals import Emissions
    from klimapakt.insights.benchmark import headline

    assert headline(stored) == Emissions.from_mapping(stored).total("1+2")


def test_without_employees_the_group_is_shown_without_an_own_value(own, client_for, world):
    Organisation.objects.filter(pk=own.pk).update(employees=None)
    own.refresh_from_db()
    peers(10)
    accepted(own, "100")
    c = peer_benchmark(own).get("employees")
    assert c.own is None and c.band is None and c.group == Group("sector", sector="C")  # no size class: sector alone
    html = client_for(world["users"]["member_a"]).get(reverse("reports:dashboard", args=[own.pk])).content.decode()
    assert "fehlt die Zahl Ihrer Beschäftigten" in html and 'id="benchmark-employees"' in html
    assert "liegt Ihre Emissionsintensität" not in html


def test_an_explicit_year_without_an_own_balance(own):
    from klimapakt.insights.benchmark_block import benchmark_context

    peers(10)
    benchmark = peer_benchmark(own, YEAR)
    assert not benchmark.has_own and benchmark.get("employees").stats.size == 10
    context = benchmark_context(benchmark)
    assert context["statements"] == [] and [r["metric"] for r in context["rows"]] == ["employees"]
    assert "keine angenommene Bilanz" in context["notes"][0]
