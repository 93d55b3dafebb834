"""The offers catalogue in a real browser: a firm filters the catalogue and opens an offer; an
advisor adds an offer of their institution and finds it on the public page (axe on every page)."""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offers(pact, world):
    from klimapakt.support.services.offers import offer_create

    def add(short_name, **fields):
        values = {"summary_de": "Ein Gespräch über Ihre ersten Schritte.", "contact_email": "beratung@example.org",
                  "languages": ["de"]} | fields
        return offer_create(pact=pact, actor=None, institution=pact.initial_partners.get(short_name=short_name),
                            **values)

    return [add("IHK", kind="first_advice", title_de="Erstberatung Energieeffizienz", size_classes=["small"]),
            add("WFG", kind="funding", title_de="Fördermittellotse", benefits_de="- eine Übersicht der Programme"),
            add("HWK", kind="site_check", title_de="Vor-Ort-Check", is_free=False, price_de="100 Euro")]


def test_firm_filters_the_catalogue_and_opens_an_offer(page, offers):
    page.goto("/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Unterstützung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unterstützung für Ihr Unternehmen")
    expect(page.locator("#result-count")).to_have_text("3 Angebote gefunden")
    assert_accessible(page, "support-offers")

    page.get_by_label("Art des Angebots").select_option(label="Fördermittelberatung")
    page.get_by_label("nur kostenfreie Angebote").check()
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#result-count")).to_have_text("1 Angebot gefunden")
    assert "art=funding" in page.url and "kostenfrei=1" in page.url
    expect(page.get_by_label("Art des Angebots")).to_have_value("funding")  # the filter stays chosen
    assert_accessible(page, "support-offers-filtered")

    page.get_by_role("link", name="Fördermittellotse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fördermittellotse")
    expect(page.get_by_role("heading", name="Was Sie bekommen")).to_be_visible()
    main = page.locator("#main")
    expect(main.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="Klimapartner werden")).to_be_visible()
    assert_accessible(page, "support-offer")


def test_advisor_adds_an_offer_that_appears_publicly(page, offers):
    login(page, "berater@ihk.example")
    page.goto("/geschaeftsstelle/unterstuetzung/angebote/")
    expect(page.get_by_role("link", name="Erstberatung Energieeffizienz", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Fördermittellotse", exact=True)).to_have_count(0)  # another institution's
    assert_accessible(page, "support-office-offers")

    page.get_by_role("link", name="Neues Angebot").click()
    expect(page.get_by_text("Einrichtung: Industrie- und Handelskammer")).to_be_visible()
    assert_accessible(page, "support-office-offer-form")
    page.get_by_role("button", name="Speichern").click()  # empty: the errors are shown on the fields
    expect(page.locator(".kern-error").first).to_be_visible()
    assert_accessible(page, "support-office-offer-form-errors")

    page.get_by_label("Art", exact=True).select_option(label="Energie-Scouts")
    page.get_by_label("Titel (deutsch)").fill("Energie-Scouts für Auszubildende")
    page.get_by_label("Kurzbeschreibung (deutsch)").fill("Auszubildende finden Einsparpotenziale im Betrieb.")
    page.locator("#id_contact_email").fill("scouts@ihk.example")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Das Angebot „Energie-Scouts für Auszubildende“ wurde gespeichert.")).to_be_visible()
    assert_accessible(page, "support-office-offers-saved")

    page.goto("/unterstuetzung/?art=energy_scouts")
    page.get_by_role("link", name="Energie-Scouts für Auszubildende").click()
    expect(page.get_by_text("Industrie- und Handelskammer Mittlerer Niederrhein").first).to_be_visible()
    expect(page.get_by_role("link", name="Angebot bearbeiten")).to_be_visible()
    assert_accessible(page, "support-offer-new")
