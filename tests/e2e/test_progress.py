"""The pact's progress in a real browser: a visitor reads the public page in German and in
English (privacy applied), the office filters its dashboard and opens the organisations behind a
figure (axe on every page)."""

import pytest
from playwright.sync_api import expect

from tests.insights.conftest import progress_data  # noqa: F401 - the fixed data set

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_progress_page_in_german_and_english(page, progress_data):  # noqa: F811
    page.goto("/")
    page.locator("#home-progress-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fortschritt des Klimapakts")
    expect(page.locator("#table-emissions")).to_contain_text("55,000")
    expect(page.locator("#table-emissions")).to_contain_text("69,000")
    expect(page.locator("#table-sectors")).to_contain_text("zu wenige Angaben")
    expect(page.locator("#bisko-note")).to_contain_text("BISKO")
    assert_accessible(page, "progress-de")

    page.get_by_label("Bilanzjahr", exact=True).select_option("2023")
    page.get_by_role("button", name="Anzeigen").click()
    assert "jahr=2023" in page.url
    expect(page.locator("#h-year")).to_contain_text("2023")

    page.get_by_role("link", name="English").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress of the climate pact")
    expect(page.locator("#table-emissions")).to_contain_text("55.000")
    expect(page.locator("#table-sectors")).to_contain_text("too few figures")
    assert_accessible(page, "progress-en")


def test_office_filters_the_dashboard_and_drills_down(page, progress_data, world):  # noqa: F811
    login(page, "office@krefeld.example")
    page.goto("/geschaeftsstelle/fortschritt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fortschritt des Klimapakts")
    expect(page.locator("#table-flags")).to_contain_text("Junior Acht")  # no Scope 2
    expect(page.locator("#cohort-figures")).to_contain_text("−22,0")
    assert_accessible(page, "progress-office")

    page.get_by_label("Wirtschaftszweig", exact=True).select_option("F")
    page.get_by_role("button", name="Anzeigen").first.click()
    expect(page.locator("#table-emissions")).to_contain_text("15,000")
    page.locator("#cohort-figures").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gleiche Organisationen im Basisjahr und im letzten Jahr")
    expect(page.locator("#table-organisations")).to_contain_text("Fabrik Sieben")
    expect(page.locator("#table-organisations")).not_to_contain_text("Alpha 1")
    assert_accessible(page, "progress-office-drilldown")


def test_the_progress_page_works_without_javascript(_browser, live_server, pact, progress_data):  # noqa: F811
    """Charts are drawn on the server (SVG) and the year is chosen with a plain GET form."""
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto("/fortschritt/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Fortschritt des Klimapakts")
        expect(page.locator("#table-emissions")).to_contain_text("55,000")
        expect(page.locator("#emissions svg").first).to_be_visible()
        page.get_by_label("Bilanzjahr", exact=True).select_option("2023")
        page.get_by_role("button", name="Anzeigen").click()
        assert "jahr=2023" in page.url
        expect(page.locator("#h-year")).to_contain_text("2023")
    finally:
        context.close()
