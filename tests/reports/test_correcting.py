"""Correcting an accepted report (issue 12): the balance page says which report froze the year
and how to correct it; the pact office opens the report for a correction with a reason (audited,
the owners are mailed), the balance is unfrozen, the partner corrects a line and submits a new
version, the accepted version's snapshot stays; a new acceptance freezes the balance again."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.core.audit import AuditEntry
from klimapakt.core.models import OutboxMail
from klimapakt.ghg.models import ActivityLine, Balance
from klimapakt.reports import services
from klimapakt.reports.models import Report
from klimapakt.reports.transitions import REPORT_STATUS

from .conftest import SIGNED, add_balance


def _accepted(partner, member, office):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    services.report_submit(report=report, actor=member)
    services.report_accept(report=report, actor=office)
    report.refresh_from_db()
    return report


def _balance_url(partner, year=2023):
    return reverse("ghg:balance_year", args=[partner.pk, year])


def test_the_balance_page_names_the_report_that_froze_it_and_how_to_correct_it(partner, member, office,
                                                                               client_for):
    report = _accepted(partner, member, office)
    page = client_for(member).get(_balance_url(partner)).content.decode()
    assert "mit dem Bericht „Ausgangsbericht 2024“ eingereicht und von der Geschäftsstelle am" in page
    assert "bitten Sie die Geschäftsstelle, den Bericht zur Korrektur zu öffnen" in page
    assert reverse("reports:report", args=[partner.pk, report.pk]) in page
    assert "/bearbeiten/" not in page and "/erfassen/" not in page
    office_page = client_for(office).get(_balance_url(partner)).content.decode()
    assert "„Zur Korrektur öffnen“" in office_page
    assert reverse("reports_office:review", args=[report.pk]) in office_page


def test_office_reopens_an_accepted_report_and_the_partner_submits_a_correction(partner, member, office,
                                                                               client_for):
    report = _accepted(partner, member, office)
    version_1 = report.versions.get()
    snapshot_1 = version_1.snapshot
    balance = Balance.objects.get(organisation=partner, year=2023)
    total_before = balance.total_location_t
    office_client = client_for(office)
    review_url = reverse("reports_office:review", args=[report.pk])
    assert 'id="reopen-form"' in office_client.get(review_url).content.decode()

    response = office_client.post(reverse("reports_office:reopen", args=[report.pk]), {"reason": " "},
                                  follow=True)
    assert "was korrigiert werden soll" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and Balance.objects.get(pk=balance.pk).is_frozen

    reason = "Der Stromverbrauch 2023 war doppelt erfasst."
    office_client.post(reverse("reports_office:reopen", args=[report.pk]), {"reason": reason})
    report.refresh_from_db()
    balance.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.accepted_at is None
    assert not balance.is_frozen
    entry = AuditEntry.objects.get(action="reports.report.reopened")
    assert entry.actor == office and entry.data["reason"] == reason and entry.data["version"] == 1
    unfrozen = AuditEntry.objects.get(action="ghg.balance.unfrozen")
    assert unfrozen.data["reason"] == reason and unfrozen.data["year"] == 2023
    mail = OutboxMail.objects.get(template="reports/email/report_reopened")
    assert mail.to == [member.email] and mail.context["reason"] == reason

    member_client = client_for(member)
    report_page = member_client.get(reverse("reports:report", args=[partner.pk, report.pk])).content.decode()
    assert reason in report_page and "erneut einreichen" in report_page
    power = ActivityLine.objects.get(organisation=partner, year=2023, carrier="electricity")
    response = member_client.post(reverse("ghg:activity_edit", args=[partner.pk, power.pk]),
                                  {"carrier": "electricity", "quantity": "25.000", "unit": "kWh"})
    assert response.status_code == 302
    balance.refresh_from_db()
    assert balance.total_location_t < total_before

    member_client.post(reverse("reports:report_submit", args=[partner.pk, report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.versions.count() == 2
    version_1.refresh_from_db()
    assert version_1.snapshot == snapshot_1  # the accepted version stays as it was
    assert report.versions.get(number=2).snapshot["balance"] != snapshot_1["balance"]
    assert report.total_t_co2e == balance.emissions.rounded_total("total_location")

    office_client.post(reverse("reports_office:accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and Balance.objects.get(pk=balance.pk).is_frozen


def test_only_an_accepted_report_can_be_reopened_and_the_table_says_who(partner, member, office):
    add_balance(partner, 2023)
    report = services.report_start(organisation=partner, kind="baseline", year=SIGNED.year, actor=member)
    with pytest.raises(ValidationError, match="Nur ein angenommener Bericht"):
        services.report_reopen(report=report, actor=office, reason="Fehler")
    services.report_submit(report=report, actor=member)
    with pytest.raises(ValidationError, match="Nur ein angenommener Bericht"):
        services.report_reopen(report=report, actor=office, reason="Fehler")
    assert REPORT_STATUS["reopen"].permission == "reports.review_reports"
    assert REPORT_STATUS.available(Report.Status.ACCEPTED, member, partner) == set()
    assert REPORT_STATUS.available(Report.Status.ACCEPTED, office, partner) == {"reopen"}


def test_reopening_is_refused_while_another_accepted_report_holds_the_balance(partner, member, office):
    report = _accepted(partner, member, office)
    other = Report.objects.create(organisation=partner, kind="monitoring", year=2026, balance_year=2023,
                                  opens_on=report.opens_on, due_on=report.due_on, status=Report.Status.ACCEPTED,
                                  balance=report.balance)
    with pytest.raises(ValidationError, match="Monitoringbericht 2026"):
        services.report_reopen(report=report, actor=office, reason="Fehler")
    assert Balance.objects.get(pk=report.balance_id).is_frozen
    assert other.status == Report.Status.ACCEPTED


def test_unfreezing_recomputes_with_the_current_factors(partner, member, office):
    from klimapakt.ghg.models import EmissionFactor
    from klimapakt.ghg.services import factor_edition_create

    report = _accepted(partner, member, office)
    frozen_total = Balance.objects.get(pk=report.balance_id).total_location_t
    gas = EmissionFactor.objects.get(carrier="natural_gas", is_current=True)
    factor_edition_create(factor=gas, value=gas.value * 2, source="Test", note="", actor=office)
    assert Balance.objects.get(pk=report.balance_id).total_location_t == frozen_total  # frozen: untouched
    services.report_reopen(report=report, actor=office, reason="Neue Gasrechnung")
    balance = Balance.objects.get(pk=report.balance_id)
    assert not balance.is_frozen and balance.total_location_t > frozen_total
    entry = AuditEntry.objects.get(action="ghg.balance.unfrozen")
    assert Decimal(entry.data["total_location_t"]) == frozen_total
    assert Decimal(entry.data["total_location_t_after"]) == balance.total_location_t
