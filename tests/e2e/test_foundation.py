"""Journeys of issue 2 in a real browser: read and switch language; sign up, verify, create an
organisation, invite a colleague; axe-core on every public page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/klimapartner-werden/", "/dokumente/", "/kontakt/", "/impressum/", "/datenschutz/",
                "/veranstaltungen/", "/konto/login/", "/konto/signup/", "/konto/password/reset/",
                "/en/", "/en/klimapartner-werden/", "/en/konto/login/"]


def test_visitor_reads_the_home_page_and_switches_to_english(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Krefelder Klimapakt"
    expect(page.get_by_text("Hochschule Niederrhein")).to_be_visible()
    assert_accessible(page, "foundation-home-de")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Krefeld Climate Pact"
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("html").get_attribute("lang") == "de"


def test_keyboard_user_reaches_main_content_with_the_skip_link(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violation(page, url):
    response = page.goto(url)
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    assert_accessible(page, "a11y" + url.replace("/", "_"))


def _link_from_last_mail(to):
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0)


def test_person_signs_up_verifies_creates_organisation_and_invites_a_colleague(page, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto("/konto/signup/")
    page.fill("input[name=email]", "greta@gruenbau.example")
    page.fill("input[name=first_name]", "Greta")
    page.fill("input[name=last_name]", "Grün")
    page.fill("input[name=password1]", "Sehr-gutes-Passwort-2035")
    page.fill("input[name=password2]", "Sehr-gutes-Passwort-2035")
    page.locator("main button[type=submit]").click()  # without consent: refused, field named
    expect(page.locator("#id_privacy_consent-error")).to_be_visible()
    page.fill("input[name=password1]", "Sehr-gutes-Passwort-2035")
    page.fill("input[name=password2]", "Sehr-gutes-Passwort-2035")
    page.check("input[name=privacy_consent]")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    assert_accessible(page, "foundation-verify-sent")

    link = _link_from_last_mail("greta@gruenbau.example")
    page.goto(link.replace("http://testserver", live_server.url))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mein-bereich/"))
    assert_accessible(page, "foundation-dashboard-empty")

    page.locator("main a[href=\"/mein-bereich/organisation/neu/\"]").first.click()
    page.locator("main button[type=submit]").click()  # empty form: errors are named
    expect(page.locator("#id_name-error")).to_be_visible()
    assert_accessible(page, "foundation-organisation-errors")
    page.fill("#id_name", "Grünbau Krefeld GmbH")
    page.select_option("#id_kind", "company")
    page.fill("#id_legal_form", "GmbH")
    page.fill("#id_street", "Ostwall 10")
    page.fill("#id_postal_code", "47798")
    page.select_option("#id_sector", "F")
    page.fill("#id_employees", "14")
    page.fill("#id_contact_name", "Greta Grün")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mein-bereich/organisation/\d+/"))
    assert page.locator("h1").inner_text() == "Grünbau Krefeld GmbH"

    page.fill("#id_email", "kollege@gruenbau.example")
    page.locator("main form.kp-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mein-bereich/organisation/\d+/"))
    expect(page.get_by_text("Die Einladung an kollege@gruenbau.example wurde verschickt.")).to_be_visible()
    assert_accessible(page, "foundation-organisation-invited")
    invitation = [m for m in mail.outbox if "kollege@gruenbau.example" in m.to][-1]
    assert "Grünbau Krefeld GmbH" in invitation.subject
    assert "/einladung/" in invitation.body


@pytest.mark.parametrize("width", [1280, 390])
def test_sign_out_sits_on_the_line_of_the_other_top_bar_links(page, world, width):
    page.set_viewport_size({"width": width, "height": 844})
    login(page, "office@krefeld.example")
    page.wait_for_url(re.compile(r"/(mein-bereich|geschaeftsstelle)/"))
    link = page.locator(".kp-account-nav a").first.bounding_box()
    button = page.locator(".kp-account-nav button").bounding_box()
    language = page.locator(".kp-lang a").first.bounding_box()
    assert abs(button["y"] - link["y"]) < 1 and abs(button["height"] - link["height"]) < 1, (button, link)
    if width > 800:  # on a phone the language links wrap to a line of their own
        assert abs(button["y"] - language["y"]) < 1, (button, language)
