"""Issue 6 in a real browser: a partner plans a measure, writes and submits its Ausgangsbericht;
the pact office returns it with a comment; the partner fixes and resubmits; the office accepts.
Two years later the Monitoringbericht starts prefilled from it. axe-core on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(pact):
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.partners.models import Membership, Organisation, Target
    from tests.conftest import make_user
    from tests.reports.conftest import add_balance

    load_default_factor_set()  # transactional tests flush the migration's data
    today = datetime.date.today()
    org = Organisation.objects.create(name="Druckerei Farbenfroh GmbH", postal_code="47798", city="Krefeld",
                                      stage=Organisation.Stage.ACTIVE, partner_since=today - datetime.timedelta(30),
                                      listing_consent=True)
    user = make_user("fritz@farbenfroh.example", first_name="Fritz", last_name="Farbe")
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    office = make_user("office@krefeld.example", is_pact_office=True)
    base = today.year - 1
    Target.objects.create(organisation=org, base_year=base, target_year=2035, reduction_percent=50, scopes="1+2",
                          signed=True)
    add_balance(org, base, gas="120000", power="60000")
    return org, user, office, base


def switch(page, email):
    page.context.clear_cookies()
    login(page, email)


def test_baseline_return_resubmit_accept_then_prefilled_monitoring(page, journey):
    org, user, office, base = journey
    year = org.partner_since.year
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/")
    page.get_by_role("link", name="Berichte, Maßnahmen und Fortschritt").click()
    expect(page.locator("#progress-statement")).to_contain_text(f"Ihre Bilanz des Basisjahres {base}")
    assert_accessible(page, "reports-dashboard-start")

    # A measure first
    page.get_by_role("link", name="Maßnahmen", exact=True).click()
    page.get_by_role("link", name="Maßnahme anlegen").click()
    assert_accessible(page, "reports-measure-form")
    page.get_by_label("Titel", exact=True).fill("LED-Beleuchtung in der Halle")
    page.get_by_label("Kategorie").select_option("efficiency")
    page.get_by_label("Energieträger 1").select_option("electricity")
    page.get_by_label("Einheit 1").select_option("kWh")
    page.get_by_label("Erwartete Einsparung 1 (Menge pro Jahr)").fill("15.000")
    page.get_by_role("button", name="Maßnahme speichern").click()
    expect(page.locator("#measures").get_by_role("link", name="LED-Beleuchtung in der Halle", exact=True)).to_be_visible()
    assert_accessible(page, "reports-measures")

    # The Ausgangsbericht
    page.get_by_role("link", name="Berichte und Fortschritt").click()
    page.get_by_role("button", name=f"Ausgangsbericht {year} beginnen").click()
    page.wait_for_url(re.compile(r"/berichte/\d+/$"))
    assert_accessible(page, "reports-baseline-draft")
    page.get_by_label("Erläuterung: CO₂-Bilanz").fill("Verbräuche laut Jahresrechnungen.")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.get_by_role("button", name="Bericht einreichen").click()
    expect(page.locator("#report-status")).to_have_text(re.compile(r"^\s*Eingereicht"))
    assert_accessible(page, "reports-baseline-submitted")

    # The pact office returns it
    switch(page, office.email)
    page.goto("/geschaeftsstelle/berichte/?status=submitted")
    assert_accessible(page, "reports-office-inbox")
    page.get_by_role("link", name=org.name).click()
    expect(page.locator("#review-balance")).to_be_visible()
    assert_accessible(page, "reports-office-review")
    page.get_by_label("Anmerkung: CO₂-Bilanz").fill("Bitte nennen Sie auch den Dieselverbrauch der Lieferwagen.")
    page.get_by_role("button", name="Mit Anmerkungen zurückgeben").click()
    expect(page.locator("#review-status")).to_have_text(re.compile(r"^\s*Status: Zurückgegeben"))

    # The partner fixes and resubmits
    switch(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/berichte/")
    page.locator("#current-report").get_by_role("link").click()
    expect(page.locator("#review-comments")).to_contain_text("Dieselverbrauch der Lieferwagen")
    assert_accessible(page, "reports-baseline-returned")
    page.get_by_label("Erläuterung: CO₂-Bilanz").fill("Verbräuche laut Rechnungen; die Lieferwagen fahren elektrisch.")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.get_by_role("button", name="Bericht erneut einreichen").click()
    expect(page.locator("#versions").get_by_text("Fassung 2")).to_be_visible()

    # The office accepts
    switch(page, office.email)
    page.goto("/geschaeftsstelle/berichte/?status=submitted")
    page.get_by_role("link", name=org.name).click()
    page.get_by_role("button", name="Bericht annehmen").click()
    expect(page.locator("#review-status")).to_have_text(re.compile(r"^\s*Status: Angenommen"))
    assert page.locator("#review-versions li").count() == 2
    page.goto(f"/geschaeftsstelle/berichte/jahresuebersicht/?jahr={year}")
    expect(page.locator("#overview-counts").get_by_text("1", exact=True).first).to_be_visible()
    assert_accessible(page, "reports-office-overview")
    page.goto("/geschaeftsstelle/berichte/massnahmenkatalog/")
    assert_accessible(page, "reports-office-catalogue")

    # Two years later: the Monitoringbericht, prefilled from the accepted baseline
    from klimapakt.reports.models import Report
    from klimapakt.reports.services import report_start
    from tests.reports.conftest import add_balance

    monitoring_year = next(y for y in range(year + 1, year + 4) if (y - 2025) % 2 == 0)
    add_balance(org, monitoring_year - 1, gas="100000", power="50000")
    monitoring = report_start(organisation=org, kind=Report.Kind.MONITORING, year=monitoring_year)
    switch(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/berichte/{monitoring.pk}/")
    assert page.locator("#prefilled-from").inner_text() == f"Ausgangsbericht {year}"
    assert page.get_by_label("Erläuterung: CO₂-Bilanz").input_value().startswith("Verbräuche laut Rechnungen")
    assert_accessible(page, "reports-monitoring-prefilled")
    page.get_by_label(f"Stand des Ziels {base} → 2035").select_option("on_track")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.get_by_role("button", name="Bericht einreichen").click()
    expect(page.locator("#report-status")).to_have_text(re.compile(r"^\s*Eingereicht"))
    page.goto(f"/mein-bereich/organisation/{org.pk}/berichte/")
    expect(page.locator("#path-table")).to_be_visible()
    expect(page.locator("#gap-table")).to_be_visible()
    assert "Zielpfad" in page.locator("#progress-statement").inner_text()
    assert_accessible(page, "reports-dashboard-progress")

    # Publishing the figures: the public page shows the accepted report with its chart
    page.get_by_label("Unsere berichteten Zahlen dürfen veröffentlicht werden").check()
    page.get_by_role("button", name="Einwilligung speichern").click()
    page.goto(f"/klimapartner/{org.pk}/")
    expect(page.locator("#public-reports").get_by_text(f"Ausgangsbericht {year}")).to_be_visible()
    assert_accessible(page, "reports-public-partner")
