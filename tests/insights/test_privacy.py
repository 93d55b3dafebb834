"""The privacy rule of the public figures: the threshold, complementary suppression and the
differencing attacks a visitor could try with the public page (docs/insights.md, "Privacy")."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal as D
from fractions import Fraction

import pytest

from klimapakt.insights.disclosure import Plan
from klimapakt.insights.selectors.progress import pact_progress

TODAY = datetime.date(2026, 12, 4)


# --- The rule on its own ---------------------------------------------------------------------


def test_threshold_hides_small_groups_but_not_empty_ones():
    plan = Plan(threshold=5)
    plan.add("small", {1: 2023, 2: 2023})
    plan.add("big", {o: 2023 for o in range(10, 20)})
    plan.add("empty", {})
    assert plan.hidden() == {"small"}


def test_complementary_suppression_hides_a_second_part():
    plan = Plan(threshold=5)
    plan.add("total", {o: 2023 for o in range(1, 21)})
    plan.add("C", {o: 2023 for o in range(1, 3)})  # 2 organisations: hidden
    plan.add("F", {o: 2023 for o in range(3, 9)})  # 6: the smallest other part, hidden as its complement
    plan.add("G", {o: 2023 for o in range(9, 21)})  # 12
    plan.partition("total", ["C", "F", "G"])
    assert plan.hidden() == {"C", "F"}


def test_complement_hides_the_total_when_no_other_part_is_left():
    plan = Plan(threshold=5)
    plan.add("total", {o: 2023 for o in range(1, 7)})
    plan.add("C", {1: 2023, 2: 2023})  # hidden
    plan.add("empty", {})
    plan.add("rest", {o: 2023 for o in range(3, 7)})  # 4: hidden too by the threshold
    plan.partition("total", ["C", "empty", "rest"])
    assert plan.hidden() == {"C", "rest"}  # two hidden parts: the total can stay


def test_two_hidden_parts_that_together_are_too_few_are_joined_by_a_third():
    """Total 455 of 12 organisations; F and H have one each. Shown C, G and the total would give
    F + H = 455 - C - G, and F's organisation, knowing its own figure, would have H's."""
    plan = Plan(threshold=5)
    plan.add("C", {o: 2023 for o in range(1, 6)})     # 5
    plan.add("G", {o: 2023 for o in range(6, 12)})    # 6
    plan.add("F", {12: 2023})
    plan.add("H", {13: 2023})
    plan.add("total", {o: 2023 for o in range(1, 14)})
    plan.partition("total", ["C", "G", "F", "H"])
    hidden = plan.hidden()
    assert {"F", "H", "C"} <= hidden and "total" not in hidden  # F + H + C: 7 organisations together


def test_a_total_that_prefers_to_go_gives_way_before_its_parts():
    plan = Plan(threshold=5)
    plan.add("headline", {o: 2023 for o in range(1, 9)})
    plan.add("scope3", {1: 2023}, quantity="scope3")
    plan.add("with scope 3", {o: 2023 for o in range(1, 9)}, quantity="total_location")
    plan.partition("with scope 3", ["headline", "scope3"], hide_total_first=True)
    assert plan.hidden() == {"scope3", "with scope 3"}


def test_other_quantities_over_a_subset_are_no_difference():
    """The year's Scope 3 (of 7 organisations) against its headline (of 8) reveals nobody."""
    plan = Plan(threshold=5)
    plan.add("headline", {o: 2023 for o in range(1, 9)})
    plan.add("scope3", {o: 2023 for o in range(1, 8)}, quantity="scope3")
    assert plan.hidden() == set()


def test_differencing_a_subset_hides_the_smaller_aggregate():
    plan = Plan(threshold=5)
    plan.add("year", {o: 2024 for o in range(1, 11)})
    plan.add("cohort", {o: 2024 for o in range(1, 10)})  # the year minus one organisation
    plan.add("far", {o: 2024 for o in range(1, 6)})  # minus five: safe
    assert plan.hidden() == {"cohort"}


def test_equal_members_of_a_hidden_and_a_shown_aggregate_are_both_hidden():
    plan = Plan(threshold=5)
    plan.add("total", {o: 2024 for o in range(1, 11)})
    plan.add("A", {o: 2024 for o in range(1, 4)})
    plan.add("B", {o: 2024 for o in range(4, 11)})
    plan.partition("total", ["A", "B"])
    plan.add("same as B", {o: 2024 for o in range(4, 11)})
    assert plan.hidden() == {"A", "B", "same as B"}


def test_other_years_are_other_members():
    plan = Plan(threshold=5)
    plan.add("2023", {o: 2023 for o in range(1, 11)})
    plan.add("2024", {o: 2024 for o in range(1, 10)})
    assert plan.hidden() == set()


# --- The attacks on the public figures of the fixed data set ----------------------------------


def _members(progress_data, names, year):
    return frozenset((progress_data[n].pk, year) for n in names)


ALPHAS = [f"A{i}" for i in range(1, 7)]
SHOWN_WITH_MEMBERS = {
    # what a visitor knows about who stands behind each public figure (organisation counts are shown)
    ("year", 2023): ALPHAS + ["F7", "L9"],
    ("year", 2024): ALPHAS + ["F7", "J8"],
    ("sector", 2023, "C"): ALPHAS + ["L9"],
    ("sector", 2023, "F"): ["F7"],
    ("sector", 2024, "C"): ALPHAS + ["J8"],
    ("sector", 2024, "F"): ["F7"],
}


def _visible(public):
    shown = {}
    for y in public.years:
        shown[("year", y.year)] = not y.suppressed
    for c in public.sectors:
        shown[("sector", c.year, c.key)] = not c.suppressed
    return shown


@pytest.mark.django_db
def test_small_sector_and_its_complement_are_hidden_year_total_shown(pact, progress_data):
    public = pact_progress(pact, public=True, today=TODAY)
    assert [(y.year, y.suppressed) for y in public.years] == [(2023, False), (2024, False)]
    assert public.years[0].figures()["total_scope12_location"] is not None
    cells = {(c.year, c.key): c for c in public.sectors}
    # F has one organisation; C would then be the year's total minus F: both hidden
    assert all(c.suppressed and c.headline is None for c in cells.values())


@pytest.mark.django_db
def test_total_minus_other_groups_never_reveals_a_hidden_group(pact, progress_data):
    public = pact_progress(pact, public=True, today=TODAY)
    for y in public.years:
        if y.suppressed:
            continue
        hidden = [c for c in public.sectors_of(y.year) if c.suppressed]
        assert len(hidden) != 1, f"{y.year}: the total minus the shown sectors gives the hidden one"
        shown_sum = sum(c.headline for c in public.sectors_of(y.year) if not c.suppressed)
        if hidden:
            assert shown_sum != y.emissions.total("1+2") or len(hidden) >= 2


@pytest.mark.django_db
def test_no_two_shown_figures_differ_by_a_few_organisations(pact, progress_data):
    """Differencing: a shown figure over a set of organisation-years that is a shown figure's set
    minus one to four organisations would give those few by subtraction (for example a year's
    total minus the cohort's latest balances of that year, or one year against the next)."""
    public = pact_progress(pact, public=True, today=TODAY)
    shown = {key: _members(progress_data, names, key[1]) for key, names in SHOWN_WITH_MEMBERS.items()
             if _visible(public).get(key)}
    cohort = public.cohort
    if not cohort.suppressed and cohort.organisations:
        shown[("cohort", "base")] = _members(progress_data, ALPHAS + ["F7"], 2023)
        shown[("cohort", "latest")] = _members(progress_data, ALPHAS + ["F7"], 2024)
    for point in public.path.points:
        if point.reported is not None:
            shown[("path", point.year)] = _members(progress_data, ALPHAS, point.year)
    for (ka, a), (kb, b) in itertools.permutations(shown.items(), 2):
        if a < b:
            assert len(b - a) >= public.threshold, f"{kb} minus {ka} reveals {len(b - a)} organisation(s)"
    # in this data set the cohort and the path would each isolate the leaver / F7 and J8
    assert cohort.suppressed and public.path.suppressed


@pytest.mark.django_db
def test_hidden_figures_are_absent_from_page_and_api_values(pact, progress_data, client):
    response = client.get("/fortschritt/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "zu wenige Angaben" in html
    # the leaver's and F7's own figures appear nowhere: F7's 2023 headline is 15, J8's 30
    assert "15,000" not in html and "30,000" not in html
    assert "55,000" in html and "69,000" in html  # the year totals


@pytest.mark.django_db
def test_each_figure_counts_its_own_contributors(pact, progress_data, client):
    """2023 has eight organisations, but only A1 reported Scope 3 (0,5 t): the public Scope 3 of
    2023 would be A1's own figure, and so would both totals that contain it minus the headline.
    The one implemented measure (F7's, 2 t realised, 3 t expected) is its own figure too."""
    public = pact_progress(pact, public=True, today=TODAY)
    y23 = public.year(2023)
    assert not y23.suppressed
    figures = y23.figures()
    assert figures["scope3"] is None and figures["total_location"] is None and figures["total_market"] is None
    assert figures["total_scope12_location"] == D("55.000") and figures["scope2_market"] == D("6.000")
    rows = {r.key: r for r in public.measures.rows}
    assert rows["generation"].expected is None and rows["generation"].realised is None
    # generation's expected savings alone hidden would be the total minus heat: heat goes too;
    # the realised total would be F7's 2 t: hidden
    assert rows["heat"].expected is None and public.measures.realised is None
    assert public.measures.expected == 9  # 6 × 1 t + 3 t, over seven organisations
    office = pact_progress(pact, public=False, today=TODAY)
    assert office.year(2023).figures()["scope3"] == D("0.500") and office.measures.realised == 2

    payload = client.get("/api/v1/pact/progress").json()
    api23 = next(y for y in payload["years"] if y["year"] == 2023)
    assert api23["suppressed"] is False and api23["scope3"] is None and api23["total_location"] is None
    assert api23["total_scope12_location"] == "55.000"
    html = client.get("/fortschritt/").content.decode()
    assert "0,500" not in html


@pytest.mark.django_db
def test_a_path_with_scope_3_targets_needs_enough_partners_reporting_scope_3(pact, settings):
    """The path sums each partner in its target's scopes: the path's reported 2023 minus the
    year's headline would be the Scope 3 of the only partner whose target covers it."""
    from klimapakt.partners.models import Target

    from .conftest import add_report, make_partner

    for i in range(10):
        org = make_partner(f"Firma {i}", sector="C" if i < 5 else "G")
        Target.objects.create(organisation=org, base_year=2023, target_year=2030, reduction_percent=30,
                              scopes="1+2+3" if i == 0 else "1+2")
        add_report(org, 2023, 10, 1, scope3=7 if i == 0 else 0)
        add_report(org, 2024, 9, 1, scope3=6 if i == 0 else 0, kind="monitoring")
    public = pact_progress(pact, public=True, today=TODAY)
    assert public.path.suppressed and public.path.points == []
    assert not public.cohort.suppressed  # the cohort compares headlines: nothing of Scope 3
    office = pact_progress(pact, public=False, today=TODAY)
    assert office.path.latest - office.year(2024).emissions.total("1+2") == 6


@pytest.mark.django_db
def test_a_larger_pact_shows_cohort_path_and_sectors(pact, settings):
    from fractions import Fraction

    from klimapakt.partners.models import Target

    from .conftest import add_report, make_partner

    for i in range(10):
        org = make_partner(f"Firma {i}", sector="C" if i < 5 else "G")
        Target.objects.create(organisation=org, base_year=2023, target_year=2030, reduction_percent=30, scopes="1+2")
        add_report(org, 2023, 10, Fraction(1, 3))
        add_report(org, 2024, 9, Fraction(1, 3), kind="monitoring")
    public = pact_progress(pact, public=True, today=TODAY)
    assert not public.cohort.suppressed and public.cohort.change_percent is not None
    assert not public.path.suppressed
    assert all(not c.suppressed for c in public.sectors)
    settings.PUBLIC_MIN_ORGANISATIONS = 6  # now each sector (5) is too small; the totals (10) still shown
    public = pact_progress(pact, public=True, today=TODAY)
    assert all(c.suppressed for c in public.sectors) and not any(y.suppressed for y in public.years)


# --- Found by an attack pass (the target path, partners who publish their own figures) ----------


def _path_partners(specs, *, year_values=None):
    """specs: (name, reduction percent, target year, scopes); each reports 2023 and 2024."""
    from klimapakt.partners.models import Target

    from .conftest import add_report, make_partner

    orgs = []
    for i, (name, percent, target_year, scopes) in enumerate(specs):
        org = make_partner(name)
        Target.objects.create(organisation=org, base_year=2023, target_year=target_year, reduction_percent=percent,
                              scopes=scopes)
        add_report(org, 2023, 10 + 7 * i, 2 + i)
        add_report(org, 2024, 9 + 7 * i, 2 + i, kind="monitoring")
        orgs.append(org)
    return orgs


@pytest.mark.django_db
def test_no_future_point_of_the_path_between_now_and_the_pacts_year(pact):
    """Target years 2030..2034: two future points a year apart would differ by one partner's path."""
    _path_partners([(f"K{i}", 50, 2030 + i, "1+2") for i in range(5)] + [("K5", 50, 2034, "1+2")])
    public = pact_progress(pact, public=True, today=TODAY)
    assert [p.year for p in public.path.points if p.reported is None] == [2035]
    office = pact_progress(pact, public=False, today=TODAY)
    assert [p.year for p in office.path.points if p.reported is None] == list(range(2025, 2036))


@pytest.mark.django_db
def test_partners_who_publish_their_figures_protect_nobody(pact):
    """Five partners in a year, four of which publish their own balances: the year's total minus
    their four would be the fifth's."""
    from klimapakt.reports.models import PublicationConsent

    orgs = _path_partners([(f"C{i}", 50, 2035, "1+2") for i in range(5)])
    public = pact_progress(pact, public=True, today=TODAY)
    assert not public.year(2023).suppressed
    for org in orgs[:4]:
        PublicationConsent.objects.create(organisation=org, publish_figures=True)
    from klimapakt.insights.models import ClosedBalanceYear

    ClosedBalanceYear.objects.all().delete()  # a fresh publication of the same figures
    public = pact_progress(pact, public=True, today=TODAY)
    assert public.year(2023).suppressed and public.year(2024).suppressed
    PublicationConsent.objects.filter(organisation=orgs[4]).delete()
    PublicationConsent.objects.create(organisation=orgs[4], publish_figures=True)
    ClosedBalanceYear.objects.all().delete()
    assert not pact_progress(pact, public=True, today=TODAY).year(2023).suppressed  # all public anyway


@pytest.mark.django_db
def test_a_target_in_other_scopes_than_the_headline_needs_company(pact):
    """A target over Scope 1 only: the path's 2023 minus the year's headline is its Scope 2."""
    _path_partners([("S1", 50, 2035, "1")] + [(f"S{i}", 50, 2035, "1+2") for i in range(2, 7)])
    public = pact_progress(pact, public=True, today=TODAY)
    assert public.path.suppressed
    office = pact_progress(pact, public=False, today=TODAY)
    assert office.path.base != office.year(2023).emissions.total("1+2")


@pytest.mark.django_db
def test_one_partners_planned_savings_are_not_shown_alone(pact):
    from klimapakt.reports.models import Measure

    orgs = _path_partners([(f"P{i}", 50, 2035, "1+2") for i in range(6)])
    Measure.objects.create(organisation=orgs[0], title="Wärmepumpe", category="heat", status="planned",
                           expected_t_co2e="7.25")
    public = pact_progress(pact, public=True, today=TODAY)
    assert not public.path.suppressed and public.path.planned_savings is None
    assert public.path.gap_after_measures is None and public.path.gap is not None
    assert pact_progress(pact, public=False, today=TODAY).path.planned_savings == Fraction("7.25")


@pytest.mark.django_db
def test_a_partner_alone_with_its_kind_of_target_hides_the_weighted_figures(pact):
    """Four at -50 %, one at -80 % (percentages are public): goal and base together solve for the
    one. The base and the latest stay; the goal, the points on the paths and the statement go."""
    _path_partners([(f"G{i}", 50, 2035, "1+2") for i in range(5)] + [("G5", 80, 2035, "1+2")])
    public = pact_progress(pact, public=True, today=TODAY)
    path = public.path
    assert not path.suppressed and path.base is not None and path.latest is not None
    assert path.goal is None and path.on_path is None and all(p.target is None for p in path.points)
    from klimapakt.insights.figures import statement

    assert statement(public) == ""
