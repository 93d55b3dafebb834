"""The two-click map in a real browser (docs/partners.md, "Map"): with a fake tile server
configured, every request the browser makes is recorded; none goes to the tile server before
"Karte laden", tiles follow the click, a reload in the same tab loads the map at once, and a
partner sets its location by clicking on the map in the profile. axe-core before and after."""

import base64
import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILE_HOST = "kacheln.example.test"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def tiles(page, settings):
    settings.MAP_TILE_URL = f"https://{{s}}.{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Testkacheln"
    settings.MAP_CENTER = (51.3338, 6.5623)
    settings.MAP_BOUNDS = (51.2, 6.4, 51.5, 6.8)
    settings.GEOCODER_URL = ""
    seen = []

    def handle(route):
        frame = route.request.frame
        seen.append((frame.page if frame else None, route.request.url))
        if TILE_HOST in route.request.url:
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            route.continue_()

    page.context.route("**/*", handle)
    return seen


def tile_requests(seen, page=None):
    return [url for tab, url in seen if TILE_HOST in url and (page is None or tab == page)]


def test_no_tile_request_before_the_click_and_the_choice_lasts_for_the_tab(page, tiles):
    from klimapakt.partners.models import Organisation

    Organisation.objects.create(name="Kartenpartner Demo GmbH", stage="active", listing_consent=True,
                                partner_since=datetime.date(2024, 1, 1), latitude="51.33", longitude="6.56",
                                show_location=True, street="Ostwall 1", postal_code="47798", city="Krefeld")
    page.goto("/klimapartner/karte/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#map-list").get_by_role("link", name="Kartenpartner Demo GmbH")).to_be_visible()
    consent = page.locator("#kp-partner-map-consent")
    expect(consent).to_be_visible()
    expect(consent).to_contain_text(f"vom Server {TILE_HOST}.")
    expect(consent.get_by_role("link", name="Mehr dazu in der Datenschutzerklärung")).to_be_visible()
    expect(page.locator("#kp-partner-map")).to_be_hidden()
    assert_accessible(page, "map-before-consent")
    assert tiles, "the recorder saw the page's own requests"
    assert tile_requests(tiles) == []

    with page.expect_request(lambda request: TILE_HOST in request.url):
        page.get_by_role("button", name="Karte laden").click()
    expect(page.locator("#kp-partner-map")).to_be_visible()
    expect(consent).to_be_hidden()
    page.wait_for_selector(".leaflet-marker-icon")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© Testkacheln")
    assert tile_requests(tiles)
    assert_accessible(page, "map-after-consent")

    tiles.clear()
    with page.expect_request(lambda request: TILE_HOST in request.url):
        page.reload()
    expect(page.locator("#kp-partner-map")).to_be_visible()
    expect(consent).to_be_hidden()

    # A new tab (a new session for sessionStorage) asks again.
    other = page.context.new_page()
    other.goto("/klimapartner/karte/")
    other.wait_for_load_state("networkidle")
    expect(other.get_by_role("button", name="Karte laden")).to_be_visible()
    assert [url for tab, url in tiles if tab == other], "the recorder saw the new tab's requests"
    assert tile_requests(tiles, other) == []
    other.close()


def test_partner_sets_its_location_by_clicking_on_the_map(page, tiles):
    from klimapakt.partners.models import Membership, Organisation
    from tests.conftest import make_user

    org = Organisation.objects.create(name="Pappel Karte GmbH", stage="active", listing_consent=True,
                                      partner_since=datetime.date(2024, 1, 1), street="Ostwall 1",
                                      postal_code="47798", city="Krefeld")
    Membership.objects.create(organisation=org, user=make_user("paula@pappel.example"), role="admin")
    login(page, "paula@pappel.example")
    page.goto(f"/mein-bereich/organisation/{org.pk}/profil/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#kp-map-picker")).to_be_hidden()
    assert_accessible(page, "profile-map-before-consent")
    assert tile_requests(tiles) == []

    with page.expect_request(lambda request: TILE_HOST in request.url):
        page.get_by_role("button", name="Karte laden").click()
    picker = page.locator("#kp-map-picker")
    expect(picker).to_be_visible()
    picker.click(position={"x": 220, "y": 120})
    expect(page.locator("#kp-map-picker-status")).to_contain_text("Der Punkt ist gesetzt")
    expect(page.locator("#id_latitude")).to_have_value(re.compile(r"^51,\d{5}$"))
    expect(page.locator("#id_longitude")).to_have_value(re.compile(r"^6,\d{5}$"))
    assert_accessible(page, "profile-map-after-consent")
    page.check("#id_show_location")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_text("Ihr Profil wurde gespeichert.")).to_be_visible()
    org.refresh_from_db()
    assert org.show_location
    assert abs(float(org.latitude) - 51.3338) < 0.1 and abs(float(org.longitude) - 6.5623) < 0.2
    # After saving, the picker opens at once (same tab) with the saved point.
    expect(page.locator("#kp-map-picker .leaflet-marker-icon")).to_be_visible()
    assert_accessible(page, "profile-map-saved")
