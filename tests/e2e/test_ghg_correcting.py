"""Issue 12 in a real browser: a firm enters a year again and must choose "Ergänzen oder
ersetzen", corrects one line with "bearbeiten", and sees both outcomes before an import into a
year with data; axe-core on every new page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def firm(pact):
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.partners.models import Membership, Organisation
    from tests.conftest import make_user

    load_default_factor_set()  # transactional tests flush the migration's data
    org = Organisation.objects.create(name="Druckerei Lettern GmbH", postal_code="47798", city="Krefeld")
    user = make_user("lea@lettern.example", first_name="Lea", last_name="Lettern")
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    return org, user


def test_firm_corrects_a_year_instead_of_doubling_it(page, firm, tmp_path):
    org, user = firm
    base = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/"
    login(page, user.email)
    page.goto(f"{base}2024/erfassen/")
    page.get_by_label("Erdgas (kWh laut Gasrechnung)").fill("250.000")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*45,270"))

    # Entering the year again: the page says what is there and asks before it adds anything.
    page.goto(f"{base}2024/erfassen/")
    expect(page.locator("#existing-data")).to_contain_text("Für 2024 ist bereits 1 Zeile erfasst (45,270 t CO₂e).")
    page.get_by_label("Diesel (Liter)").fill("4000")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    choice = "Bitte wählen Sie, ob Sie die bisherigen Angaben ergänzen oder ersetzen möchten."
    expect(page.get_by_text(choice, exact=True)).to_be_visible()  # under the field
    expect(page.locator("#form-error-summary")).to_contain_text(choice)  # and in the summary at the top
    assert_accessible(page, "ghg-entry-choice")
    page.get_by_label(re.compile("^Ergänzen")).check()
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*55,850"))

    # One line corrected in place.
    page.get_by_role("link", name=re.compile("Diesel.* bearbeiten")).click()
    expect(page.get_by_role("heading", name="Zeile bearbeiten")).to_be_visible()
    assert_accessible(page, "ghg-activity-edit")
    page.get_by_label("Menge").fill("1.000")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*47,915"))

    # An import into the year shows both outcomes and needs the choice.
    csv = tmp_path / "daten.csv"
    csv.write_text("Jahr;Energieträger;Menge;Einheit\n2024;diesel;4000;l\n", encoding="utf-8")
    page.goto(f"{base}import/")
    page.set_input_files("input[type=file]", str(csv))
    page.get_by_role("button", name="Datei prüfen").click()
    row = page.locator("#preview-2024")
    expect(row).to_contain_text("47,915")
    expect(row).to_contain_text("10,580")
    expect(row).to_contain_text("58,495")
    assert_accessible(page, "ghg-import-choice")
    page.get_by_label(re.compile("^Ersetzen")).check()
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*10,580"))


def test_office_opens_an_accepted_report_for_a_correction(page, firm):
    import datetime

    from klimapakt.ghg.services import activity_create
    from klimapakt.partners.models import Organisation, Target
    from klimapakt.reports.services import report_accept, report_start, report_submit
    from tests.conftest import make_user

    org, user = firm
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE,
                                                  partner_since=datetime.date(2024, 3, 1))
    org.refresh_from_db()
    Target.objects.create(organisation=org, base_year=2023, target_year=2035, reduction_percent=50, scopes="1+2",
                          signed=True)
    for carrier, quantity, unit in (("natural_gas", "100000", "kWh_hs"), ("electricity", "50000", "kWh")):
        activity_create(organisation=org, year=2023, carrier=carrier, quantity=quantity, unit=unit, actor=user)
    office = make_user("amt@krefeld.example", is_pact_office=True)
    report = report_start(organisation=org, kind="baseline", year=2024, actor=user)
    report_submit(report=report, actor=user)
    report_accept(report=report, actor=office)

    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2023/")
    expect(page.locator("#frozen")).to_contain_text("mit dem Bericht „Ausgangsbericht 2024“ eingereicht")
    assert page.get_by_role("link", name=re.compile("bearbeiten")).count() == 0
    assert_accessible(page, "ghg-balance-frozen")

    page.context.clear_cookies()
    login(page, office.email)
    page.goto(f"/geschaeftsstelle/berichte/{report.pk}/")
    page.get_by_label("Was soll korrigiert werden?").fill("Der Strom war doppelt erfasst.")
    assert_accessible(page, "reports-review-accepted")
    page.get_by_role("button", name="Zur Korrektur öffnen").click()
    expect(page.get_by_text("Der Bericht ist zur Korrektur geöffnet")).to_be_visible()
    expect(page.locator("#review-status")).to_contain_text("Zurückgegeben")
