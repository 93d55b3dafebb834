"""Issue 12 in a real browser: the single-line form shows only the fields that apply to the chosen
carrier (a small script; the server checks everything without it), a refrigerant line and the
guided form's travel step with an error and then the commuting estimate; axe-core on each."""

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
    org = Organisation.objects.create(name="Kühlhaus Nord GmbH", postal_code="47798", city="Krefeld", employees=20)
    user = make_user("kai@kuehlhaus.example", first_name="Kai", last_name="Kalt")
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    return org, user


def test_single_line_form_shows_the_fields_of_the_chosen_carrier(page, firm):
    org, user = firm
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/zeile/neu/")
    refrigerant, gas = page.locator("#group-refrigerant"), page.locator("#group-gas")
    supplier, category = page.locator("#group-supplier"), page.locator("#group-category")
    for group in (refrigerant, gas, supplier, category):
        expect(group).to_be_hidden()
    assert_accessible(page, "ghg-activity-form")
    page.get_by_label("Energieträger").select_option("natural_gas")
    expect(page.get_by_label("Einheit")).to_have_value("kWh_hs")  # the unit of the bill
    expect(gas).to_be_hidden()
    page.get_by_label("Einheit").select_option("m3")
    expect(gas).to_be_visible()
    page.get_by_label("Energieträger").select_option("rail_long_distance")
    expect(page.get_by_label("Einheit")).to_have_value("pkm")
    expect(category).to_be_visible()
    expect(gas).to_be_hidden()
    page.get_by_label("Energieträger").select_option("refrigerant")
    expect(refrigerant).to_be_visible()
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#id_refrigerant-error")).to_contain_text("Kältemittel nachgefüllt")
    expect(refrigerant).to_be_visible()  # a group with an error is never hidden
    assert_accessible(page, "ghg-activity-form-error")
    page.locator("#id_refrigerant").select_option("R-404A")
    page.get_by_label("Menge").fill("2,5")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*11,820"))


def test_guided_travel_step_with_an_error_then_the_commuting_estimate(page, firm):
    org, user = firm
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/erfassen/")
    page.locator("#id_commute_employees").fill("20")
    page.locator("#id_commute_home_office").fill("20")
    page.locator("#id_commute_distance").fill("15")
    page.locator("#id_commute_share_car").fill("60")
    page.locator("#id_commute_share_bike").fill("30")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    expect(page.locator("#form-error-summary")).to_contain_text("ergeben zusammen 90")
    assert_accessible(page, "ghg-entry-travel-error")
    page.locator("#id_commute_share_bike").fill("40")
    page.get_by_role("button", name="Speichern und Bilanz berechnen").click()
    page.wait_for_url(re.compile(r"/co2-bilanz/2024/$"))
    expect(page.get_by_role("status").get_by_text(re.compile(r"Pendeln geschätzt: 20 Beschäftigte × 220 Tage"))
           ).to_be_visible()  # the message after saving; the line's evidence holds it too
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*10,391"))
    assert_accessible(page, "ghg-balance-commuting")
