"""Tables on a 390 px phone screen: a wide table scrolls sideways inside a focusable, named
container with the visible hint "Tabelle seitlich scrollen"; on a wide screen no hint. Header
cells have room and every row (the first column too) has its line. axe: 0 serious/critical."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(_browser, live_server, pact):
    from klimapakt.ghg.defaults import load_default_factor_set

    load_default_factor_set()
    context = _browser.new_context(base_url=live_server.url, bypass_csp=True, locale="de-DE",
                                   viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _calculate(page):
    page.goto("/co2-rechner/")
    page.get_by_label("Jahr").select_option("2024")
    page.get_by_label("Erdgas (kWh laut Gasrechnung)").fill("250000")
    page.get_by_label("Strom (kWh)").fill("80000")
    page.get_by_label("Diesel (Liter)").fill("4000")
    page.get_by_role("button", name="Bilanz berechnen").click()
    expect(page.locator("#figure-total_location")).to_have_text(re.compile(r"^\s*84,890"))


def test_wide_table_scrolls_in_a_focusable_region_with_a_hint(phone):
    _calculate(phone)
    wrap = phone.locator(".kp-table-wrap").filter(has=phone.locator("#lines"))
    sizes = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert sizes[0] > sizes[1], sizes  # wider than the screen: it scrolls
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # the page does not
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("aria-label", re.compile(r"^Tabelle seitlich scrollen: Zeilen mit Faktor"))
    hint = wrap.locator("xpath=preceding-sibling::*[1]")
    expect(hint).to_have_class("kp-scroll-hint")
    expect(hint).to_have_text("Tabelle seitlich scrollen")
    expect(hint).to_be_visible()
    # the keyboard scrolls it
    wrap.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("w => w.scrollLeft > 0", arg=wrap.element_handle())
    assert_accessible(phone, "tables-390-calculator")


def test_header_cells_have_room_and_row_headers_a_line(page, pact):
    from klimapakt.ghg.defaults import load_default_factor_set

    load_default_factor_set()
    _calculate(page)
    header = page.locator("#lines thead th").nth(3)
    padding = header.evaluate("c => [getComputedStyle(c).paddingLeft, getComputedStyle(c).paddingRight]")
    assert all(float(p.rstrip("px")) >= 8 for p in padding), padding
    row_header = page.locator("#lines tbody th").first
    assert row_header.evaluate("c => getComputedStyle(c).boxShadow") not in ("", "none")
    # wide screen: the table fits, no hint and no extra tab stop
    wrap = page.locator(".kp-table-wrap").filter(has=page.locator("#totals"))
    assert wrap.get_attribute("tabindex") is None
    expect(page.locator(".kp-scroll-hint:visible")).to_have_count(0)


def test_map_marker_images_load(page, pact):
    """The marker images exist where the map script points Leaflet (no 404 next to the page)."""
    from klimapakt.partners.models import Organisation

    Organisation.objects.create(name="Karten GmbH", postal_code="47798", city="Krefeld",
                                stage=Organisation.Stage.ACTIVE, listing_consent=True, latitude=51.33,
                                longitude=6.56, show_location=True)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "marker" in r.url else None)
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    page.goto("/klimapartner/karte/")
    page.get_by_role("button", name="Karte laden").click()  # two clicks: docs/partners.md, "Map"
    marker = page.locator(".leaflet-marker-icon").first
    expect(marker).to_be_visible()
    src = marker.get_attribute("src")
    assert src.startswith("/static/vendor/leaflet/images/marker-icon"), src
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-marker-icon')].every(i => i.complete && i.naturalWidth > 0)")
    assert not failed, failed
