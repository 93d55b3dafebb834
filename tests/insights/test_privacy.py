"""The privacy rule of the public figures: the threshold, complementary suppression and the
differencing attacks a visitor could try with the public page (docs/insights.md, "Privacy")."""

from __future__ import annotations

import datetime
import itertools

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
