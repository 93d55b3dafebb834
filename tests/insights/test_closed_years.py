"""Closed balance years (docs/insights.md, "Closed balance years"): once a year's public figures
are published they never change, so a late or corrected report cannot be read off as the
difference between two visits (or two council reports). The office sees every report at once."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from klimapakt.core.models import AuditEntry
from klimapakt.insights.models import ClosedBalanceYear, PublishedBalance
from klimapakt.insights.selectors.progress import pact_progress, public_progress
from klimapakt.insights.selectors.publication import open_years
from klimapakt.insights.services import close_balance_year, close_due_years

from .conftest import add_report, make_partner

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)

TODAY = datetime.date(2026, 12, 4)


def _headline(progress, year):
    item = progress.year(year)
    return None if item is None else item.figures()["total_scope12_location"]


def test_a_year_closes_90_days_after_the_year_its_reports_are_due_in_and_then_never_changes(pact, progress_data):
    """2024's reports are due in 2025: the year closes on 31 March 2026 (not on the last due
    date of its reports: a partner joining later with an old base year would push it out)."""
    assert [(y.year, y.closes_on) for y in open_years(pact)] == [
        (2023, datetime.date(2025, 3, 31)), (2024, datetime.date(2026, 3, 31))]
    still_open = close_due_years(pact, datetime.date(2026, 3, 30))  # the day before 2024 closes
    assert [y.year for y in still_open] == [2024] and still_open == open_years(pact)
    before = pact_progress(pact, public=True, today=TODAY)
    assert _headline(before, 2024) == D("69.000") and before.open_years == []
    assert AuditEntry.objects.filter(action="insights.balance_year.closed").count() == 2

    # The attack: a late partner's accepted report for 2024, then a second visit.
    late = make_partner("Spät GmbH")
    add_report(late, 2024, 7, 2)
    after = pact_progress(pact, public=True, today=TODAY)
    assert _headline(after, 2024) == D("69.000")  # unchanged: nothing to subtract
    assert after.year(2024).organisations == before.year(2024).organisations
    office = pact_progress(pact, public=False, today=TODAY)
    assert office.year(2024).figures()["total_scope12_location"] == D("78.000")  # the office sees it


def test_a_corrected_report_does_not_change_a_closed_year(pact, progress_data):
    from klimapakt.ghg.calculation.totals import Emissions
    from klimapakt.reports.models import Report

    close_due_years(pact, TODAY)
    report = Report.objects.get(organisation=progress_data["F7"], balance_year=2023)
    report.exact_t = Emissions.from_mapping({"scope1": 100, "scope2_location": 5}).encode()
    report.scope1_t = D("100.000")
    report.save()
    assert _headline(pact_progress(pact, public=True, today=TODAY), 2023) == D("55.000")
    assert _headline(pact_progress(pact, public=False, today=TODAY), 2023) == D("145.000")


def test_an_open_year_shows_its_count_and_closing_day_not_its_figures(pact, progress_data):
    org = make_partner("Neu AG")
    report = add_report(org, 2025, 3, 1)
    report.due_on = datetime.date(2026, 11, 30)
    report.save(update_fields=["due_on"])
    progress = pact_progress(pact, public=True, today=TODAY)
    assert progress.year(2025) is None
    assert [(y.year, y.accepted, y.closes_on) for y in progress.open_years] == [(2025, 1, datetime.date(2027, 3, 31))]
    assert pact_progress(pact, public=False, today=TODAY).year(2025).organisations == 1


def test_the_public_figures_outlive_an_organisation_that_left_the_platform(pact, progress_data):
    close_due_years(pact, TODAY)
    before = pact_progress(pact, public=True, today=TODAY)
    progress_data["F7"].delete()
    after = pact_progress(pact, public=True, today=TODAY)
    assert _headline(after, 2023) == _headline(before, 2023) == D("55.000")


def test_the_office_closes_a_year_early_once(pact, progress_data, world, client_for):
    org = make_partner("Neu AG")
    add_report(org, 2025, 3, 1).__class__.objects.filter(balance_year=2025).update(due_on=datetime.date(2026, 11, 30))
    client = client_for(world["users"]["office"])
    page = client.get(reverse("insights_office:dashboard")).content.decode()
    assert 'id="publication"' in page and "2025" in page.split('id="publication"')[1]
    response = client.post(reverse("insights_office:close_year"), {"jahr": "2025"})
    assert response.status_code == 302
    closed = ClosedBalanceYear.objects.get(pact=pact, balance_year=2025)
    assert closed.closed_by == world["users"]["office"]
    assert PublishedBalance.objects.filter(closed_year=closed).count() == 1
    assert AuditEntry.objects.filter(action="insights.balance_year.closed", actor=world["users"]["office"]).exists()
    with pytest.raises(ValidationError):
        close_balance_year(pact=pact, year=2025, actor=world["users"]["office"])
    response = client.post(reverse("insights_office:close_year"), {"jahr": "2025"}, follow=True)
    assert "bereits abgeschlossen" in response.content.decode()
    assert client.post(reverse("insights_office:close_year"), {"jahr": "1999"}, follow=True).status_code == 200


def test_only_the_office_closes_years(pact, progress_data, world, client_for):
    for user in (None, world["users"]["member_a"]):
        response = client_for(user).post(reverse("insights_office:close_year"), {"jahr": "2024"})
        assert response.status_code in (302, 403)
    assert not ClosedBalanceYear.objects.filter(balance_year=2024).exists()


def test_closing_in_a_request_shows_the_year_at_once(pact, progress_data, world, client_for, client,
                                                     django_capture_on_commit_callbacks, settings):
    settings.PROGRESS_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    org = make_partner("Neu AG")
    add_report(org, 2025, 3, 1).__class__.objects.filter(balance_year=2025).update(due_on=datetime.date(2026, 11, 30))
    assert public_progress(pact).year(2025) is None  # cached without 2025
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world["users"]["office"]).post(reverse("insights_office:close_year"), {"jahr": "2025"})
    assert public_progress(pact).year(2025) is not None


def test_the_public_page_names_the_open_year_and_its_day(pact, progress_data, client):
    org = make_partner("Neu AG")
    add_report(org, 2025, 3, 1).__class__.objects.filter(balance_year=2025).update(due_on=datetime.date(2026, 11, 30))
    html = client.get("/fortschritt/").content.decode()
    assert "Bilanzjahr 2025: bisher 1 angenommener Bericht; die Zahlen erscheinen am 31. März 2027." in html
    assert 'id="closed-years-note"' in html
    assert "2025" not in html.split('id="table-emissions"')[1].split("</table>")[0]
    english = client.get("/en/fortschritt/").content.decode()
    assert 'id="open-years"' in english


def test_a_year_that_has_not_ended_cannot_be_closed(pact, progress_data, world):
    from django.utils import timezone

    this_year = timezone.localdate().year
    org = make_partner("Zukunft AG")
    add_report(org, this_year, 3, 1)
    with pytest.raises(ValidationError, match="noch nicht zu Ende"):
        close_balance_year(pact=pact, year=this_year, actor=world["users"]["office"])


def test_the_first_view_after_many_closing_days_reads_the_reports_once(pact, django_assert_max_num_queries):
    """Every year due is closed on the first public view: the accepted reports are read once, not
    once per year, so the queries grow with the years, not with the reports."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def close_years(partners: int) -> int:
        ClosedBalanceYear.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            close_due_years(pact, TODAY)
        return len(queries)

    orgs = [make_partner(f"Firma {i}") for i in range(2)]
    for org in orgs:
        for year in range(2016, 2022):
            add_report(org, year, 3, 1)
    few = close_years(2)
    for i in range(8):
        org = make_partner(f"Weitere {i}")
        for year in range(2016, 2022):
            add_report(org, year, 3, 1)
    assert close_years(10) == few
    assert ClosedBalanceYear.objects.count() == 6


def _partner_with_target(name, base_year, years, *, value=10):
    from klimapakt.partners.models import Target

    org = make_partner(name)
    Target.objects.create(organisation=org, base_year=base_year, target_year=2035, reduction_percent=50, scopes="1+2")
    for i, year in enumerate(years):
        add_report(org, year, value + i, 2, kind="baseline" if i == 0 else "monitoring")
    return org


def test_a_closing_that_moves_one_partner_into_the_cohort_hides_the_cohort(pact):
    """Found by an attack pass: the cohort takes each partner's latest closed year, so a closing
    that brought in one partner changed it by that partner's figures."""
    for i in range(6):
        _partner_with_target(f"A{i}", 2022, [2022, 2023], value=10 + i)
    for i in range(5):  # partners of a single year: the years stay far from the cohort's figures
        add_report(make_partner(f"F{i}"), 2022, 5 + i, 1)
        add_report(make_partner(f"G{i}"), 2023, 5 + i, 1)
    late = make_partner("Spät")  # no target: its base is its first year; in the cohort once 2024 closes
    add_report(late, 2022, 40, 2)
    add_report(late, 2024, 44, 2, kind="monitoring")
    first = pact_progress(pact, public=True, today=datetime.date(2025, 4, 15))  # 2022 and 2023 closed
    assert first.cohort.organisations == 6 and not first.cohort.suppressed
    ClosedBalanceYear.objects.update(closed_at=F("closed_at") - HOUR)  # a year passes
    second = pact_progress(pact, public=True, today=datetime.date(2026, 4, 15))  # 2024 closed too
    assert second.cohort.organisations == 7 and second.cohort.suppressed and second.cohort.base is None
    # as one publication (closed together) the cohort is shown: there is no earlier one to subtract
    ClosedBalanceYear.objects.filter(balance_year=2024).update(closed_at=F("closed_at") - HOUR)
    assert not pact_progress(pact, public=True, today=datetime.date(2026, 4, 15)).cohort.suppressed


def test_a_figure_of_a_closed_year_hidden_once_stays_hidden(pact):
    """B's latest is 2023 while A1..A6 have 2024: the year 2024 is the cohort's latest minus B and
    is hidden. When 2025 closes the cohort no longer contains 2024, but showing 2024 then would
    let the earlier cohort minus it give B's 2023."""
    for i in range(6):
        _partner_with_target(f"A{i}", 2023, [2023, 2024, 2025], value=10 + i)
    _partner_with_target("B", 2022, [2022, 2023], value=30)
    first = pact_progress(pact, public=True, today=datetime.date(2026, 4, 15))  # 2022–2024 closed
    assert first.year(2024).suppressed and not first.cohort.suppressed
    assert ["year", 2024] in ClosedBalanceYear.objects.get(balance_year=2024).withheld
    ClosedBalanceYear.objects.update(closed_at=F("closed_at") - HOUR)  # a year passes
    second = pact_progress(pact, public=True, today=datetime.date(2027, 4, 15))  # 2025 closed
    assert second.year(2024).suppressed  # without the record it would be shown now
    ClosedBalanceYear.objects.filter(balance_year=2024).update(withheld=[])
    assert not pact_progress(pact, public=True, today=datetime.date(2027, 4, 15)).year(2024).suppressed


def test_the_public_path_keeps_the_targets_and_plans_of_its_closings(pact):
    """Found by an attack pass: deleting an organisation (its targets with it) or changing one
    target changed the public path between two visits by that partner's figures. The public
    cohort and path use each partner's target and planned savings as of its latest closing."""
    from klimapakt.partners.models import Target
    from klimapakt.reports.models import Measure

    orgs = [_partner_with_target(f"T{i}", 2023, [2023, 2024], value=10 + i) for i in range(6)]
    Measure.objects.create(organisation=orgs[1], title="Wärmepumpe", category="heat", status="planned",
                           expected_t_co2e=2)
    for i in range(5):  # partners without a target keep the years apart from the path
        add_report(make_partner(f"P{i}"), 2023, 5 + i, 1)
        add_report(make_partner(f"Q{i}"), 2024, 5 + i, 1)
    before = pact_progress(pact, public=True, today=TODAY).path
    assert not before.suppressed and before.goal is not None
    Target.objects.filter(organisation=orgs[0]).update(reduction_percent=80)
    Measure.objects.filter(organisation=orgs[1]).update(expected_t_co2e=9)
    orgs[2].delete()
    after = pact_progress(pact, public=True, today=TODAY).path
    assert (after.base, after.latest, after.goal, after.on_path, after.planned_savings) == (
        before.base, before.latest, before.goal, before.on_path, before.planned_savings)
    office = pact_progress(pact, public=False, today=TODAY).path
    assert office.goal != before.goal and office.organisations == 5
