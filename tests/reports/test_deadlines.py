"""One next deadline (partners.deadlines, fed by the reports app through
partners.registry.deadline_sources): it follows the reports through submission, return,
acceptance, pause and resume, and every page names the same one."""

import datetime

import pytest
from django.urls import reverse

from klimapakt.core.models import Pact
from klimapakt.partners import deadlines
from klimapakt.partners import services as partner_services
from klimapakt.partners.models import Organisation
from klimapakt.reports import services
from klimapakt.reports.models import Report

from .conftest import SIGNED, add_balance

D = Organisation.Deadline
pytestmark = pytest.mark.django_db


def stored(org):
    org.refresh_from_db()
    return org.next_deadline, org.next_deadline_kind


def submit(org, member, kind, year, *, progress=True):
    report = services.report_start(organisation=org, kind=kind, year=year, actor=member)
    if progress and kind != Report.Kind.BASELINE:
        target = org.targets.get()
        services.report_update(report=report, actor=member, progress={target.pk: ("on_track", "")})
    services.report_submit(report=report, actor=member)
    return report


def test_the_deadline_follows_the_reports(partner, member, office):
    pact = Pact.objects.current()
    deadlines.deadline_refresh(organisation=partner)
    baseline_due = pact.baseline_report_due(SIGNED)
    assert stored(partner) == (baseline_due, D.BASELINE_REPORT)
    add_balance(partner, 2023)
    baseline = submit(partner, member, Report.Kind.BASELINE, SIGNED.year)
    assert stored(partner) == (datetime.date(2025, 12, 31), D.MONITORING_REPORT)
    services.report_return(report=baseline, actor=office, comments={"balance": "Bitte ergänzen."})
    assert stored(partner) == (baseline_due, D.BASELINE_REPORT)  # back with the partner
    services.report_submit(report=baseline, actor=member)
    services.report_accept(report=baseline, actor=office)
    assert stored(partner) == (datetime.date(2025, 12, 31), D.MONITORING_REPORT)
    add_balance(partner, 2024, gas="90000")
    submit(partner, member, Report.Kind.MONITORING, 2025)
    assert stored(partner) == (datetime.date(2027, 12, 31), D.MONITORING_REPORT)


def test_the_last_deadline_is_the_final_report(partner, member):
    pact = Pact.objects.current()
    for year in [y for y in pact.monitoring_years() if SIGNED.year < y < pact.target_year]:
        Report.objects.create(organisation=partner, kind=Report.Kind.MONITORING, year=year, balance_year=year - 1,
                              status=Report.Status.ACCEPTED, opens_on=datetime.date(year, 1, 1),
                              due_on=datetime.date(year, 12, 31))
    Report.objects.create(organisation=partner, kind=Report.Kind.BASELINE, year=SIGNED.year, balance_year=2023,
                          status=Report.Status.ACCEPTED, opens_on=SIGNED, due_on=pact.baseline_report_due(SIGNED))
    deadlines.deadline_refresh(organisation=partner)
    assert stored(partner) == (datetime.date(pact.target_year, 12, 31), D.FINAL_REPORT)


def test_pausing_and_resuming_after_the_baseline_report_keeps_the_next_report(partner, member, office):
    """The bug: resuming set the stored deadline back to "Ausgangsbericht"."""
    add_balance(partner, 2023)
    submit(partner, member, Report.Kind.BASELINE, SIGNED.year)
    partner_services.partnership_pause(organisation=partner, actor=office, reason="Umbau")
    assert stored(partner) == (None, "")  # a paused partnership owes nothing
    partner_services.partnership_resume(organisation=partner, actor=office)
    assert stored(partner) == (datetime.date(2025, 12, 31), D.MONITORING_REPORT)


def test_every_page_names_the_same_deadline_after_the_baseline_is_accepted(partner, member, office, client_for):
    """The bug: the organisation page said "Ausgangsbericht fällig am …" next to "Angenommen"."""
    add_balance(partner, 2023)
    baseline = submit(partner, member, Report.Kind.BASELINE, SIGNED.year)
    services.report_accept(report=baseline, actor=office)
    portal = client_for(member).get(reverse("portal:organisation", args=[partner.pk])).content.decode()
    staff = client_for(office).get(reverse("backoffice:organisation", args=[partner.pk])).content.decode()
    reports = client_for(member).get(reverse("reports:dashboard", args=[partner.pk])).content.decode()
    for html in (portal, staff):
        assert "Ausgangsbericht fällig" not in html
        assert "Monitoringbericht" in html and "31. Dezember 2025" in html
    assert "31. Dezember 2025" in reports
