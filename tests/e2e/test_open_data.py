"""The "Offene Daten" page in a real browser: reached from the footer, readable in German and
English, no serious or critical axe finding; its example address answers with data."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_data_page_from_the_footer(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Offene Daten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    expect(page.get_by_role("table", name="DCAT-AP.de-Katalog")).to_be_visible()
    assert_accessible(page, "open-data")

    page.goto("/en/offene-daten/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "open-data-en")

    catalogue = page.request.get("/offene-daten/dcat.rdf")
    assert catalogue.ok and catalogue.headers["content-type"].startswith("application/rdf+xml")
