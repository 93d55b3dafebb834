"""Issue 5 in a real browser: a small firm enters its first CO2 balance through the guided
form and through the XLSX template; the public calculator and "Wie wir rechnen"; axe-core
on every page."""

import datetime
import io
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
    org = Organisation.objects.create(name="Tischlerei Holzwurm GmbH", postal_code="47798", city="Krefeld",
                                      employees=6)
    user = make_user("tina@holzwurm.example", first_name="Tina", last_name="Holz")
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    return org, user


def test_small_firm_enters_its_first_balance_with_the_guided_form(page, firm):
    org, user = firm
    year = datetime.date.today().year - 1
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/")
    page.get_by_role("link", name=re.compile("CO₂-Bilanz: Verbräuche erfassen")).click()
    assert_accessible(page, "ghg-overview-empty")
    page.get_by_role("link", name=f"Verbräuche {year} mit dem Formular erfassen").click()
    expect(page.get_by_text("Gasrechnungen nennen die Menge in kWh auf Brennwert-Basis")).to_be_visible()
    assert_accessible(page, "ghg-entry-form")
    # A mistake first: the green contract without the supplier's factor.
    page.get_by_label("Erdgas (kWh laut Gasrechnung)").fill("250.000")
    page.get_by_label("Strom (kWh)").fill("80.000")
    page.get_by_label("Wir haben einen Ökostrom-Vertrag").check()
    page.get_by_label("Diesel (Liter)").fill("4000")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    expect(page.locator("#form-error-summary")).to_be_visible()
    assert_accessible(page, "ghg-entry-form-error")
    page.get_by_label("Faktor Ihres Stromversorgers (kg CO₂ je kWh)").fill("0")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    page.wait_for_url(re.compile(rf"/co2-bilanz/{year}/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*84,890"))
    expect(page.locator("#figure-total_market")).to_have_text(re.compile(r"^\s*55,850"))
    assert page.locator("svg[role=img]").count() == 2
    expect(page.locator("#totals")).to_be_visible()
    expect(page.locator("#by-carrier")).to_be_visible()
    assert_accessible(page, "ghg-balance-year")
    page.get_by_role("link", name="CO₂-Bilanz: alle Jahre").click()
    expect(page.locator("#balances").get_by_text(str(year))).to_be_visible()
    assert_accessible(page, "ghg-overview")


def test_small_firm_imports_the_xlsx_template(page, firm, tmp_path):
    from openpyxl import load_workbook

    org, user = firm
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/import/")
    assert_accessible(page, "ghg-import")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    template = tmp_path / "vorlage.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2, max_row=4):
        row[0].value = 2024
    sheet.append([2024, "Heizöl EL", 1000, "kWh", None, None, None])  # a mistake: plain kWh for heating oil
    bad = tmp_path / "fehler.xlsx"
    workbook.save(bad)
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator("#import-errors").get_by_text("kWh_hs")).to_be_visible()
    assert page.locator("#import-errors tbody tr").count() == 1
    assert page.locator("#import-errors td").first.inner_text() == "5"
    assert_accessible(page, "ghg-import-errors")
    sheet.delete_rows(5)
    good = tmp_path / "gut.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    good.write_bytes(buffer.getvalue())
    page.goto(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator("#import-preview").get_by_text("84,890")).to_be_visible()
    assert_accessible(page, "ghg-import-preview")
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*84,890"))


def test_visitor_uses_the_public_calculator(page, pact):
    from klimapakt.ghg.defaults import load_default_factor_set

    load_default_factor_set()
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="CO₂-Rechner").click()
    assert_accessible(page, "ghg-calculator")
    page.get_by_label("Jahr").select_option("2024")
    page.get_by_label("Erdgas (kWh laut Gasrechnung)").fill("250000")
    page.get_by_label("Strom (kWh)").fill("80000")
    page.get_by_label("Diesel (Liter)").fill("4000")
    page.get_by_role("button", name="Bilanz berechnen").click()
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*84,890"))
    expect(page.get_by_role("link", name="So werden Sie Klimapartner")).to_be_visible()
    assert_accessible(page, "ghg-calculator-result")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Als PDF herunterladen").click()
    assert download_info.value.suggested_filename == "co2-bilanz-2024.pdf"


def test_method_page_is_accessible(page, pact):
    from klimapakt.ghg.defaults import load_default_factor_set
    from klimapakt.ghg.models import EmissionFactor

    load_default_factor_set()
    page.goto("/wie-wir-rechnen/?jahr=1990")
    assert page.locator("#factors-all tbody tr").count() == EmissionFactor.objects.count()
    expect(page.locator("#grid-years tbody tr")).to_have_count(35)
    expect(page.locator("#blend-example")).to_contain_text("0,23 × 771 + 0,25 × 3.740 + 0,52 × 1.530 = 1.907,93")
    assert_accessible(page, "ghg-method")
    page.goto("/en/wie-wir-rechnen/?jahr=2025")
    expect(page.locator("#grid-fallback")).to_contain_text("that of 2024 (estimated)")
    assert_accessible(page, "ghg-method-en")
