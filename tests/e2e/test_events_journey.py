"""Events in a real browser: register (form errors first), receive the mail, open the personal
link, cancel, and the waitlisted person is promoted; the organiser works through the back
office and exports the list. axe-core on every events page."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(pact):
    from klimapakt.events.models import AgendaItem, Event, Question

    start = (timezone.now() + datetime.timedelta(days=12)).replace(hour=16, minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        pact=pact, kind=Event.Kind.NETWORK_MEETING, status=Event.Status.PUBLISHED, capacity=1,
        title_de="Netzwerktreffen: Photovoltaik im Betrieb", title_en="Network meeting: photovoltaics",
        description_de="Austausch mit einem **Impulsvortrag**.", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus Krefeld",
        venue_address="Von-der-Leyen-Platz 1, 47798 Krefeld")
    event.organisers.set(pact.initial_partners.all()[:2])
    for i, title in enumerate(["Begrüßung", "Impulsvortrag", "Austausch"]):
        AgendaItem.objects.create(event=event, position=i, title_de=title)
    Question.objects.create(event=event, position=1, kind="single_choice", required=True,
                            label_de="Wie viele Beschäftigte hat Ihre Organisation?",
                            choices_de="bis 9\n10 bis 49\n50 und mehr")
    Question.objects.create(event=event, position=2, kind="multiple_choice", label_de="Welche Themen interessieren Sie?",
                            choices_de="Energie\nMobilität\nFörderung")
    Question.objects.create(event=event, position=3, kind="long_text", label_de="Was erwarten Sie?")
    return event


def _register(page, event, n, first, last, *, check_errors=False, button="Verbindlich anmelden"):
    page.goto(f"/veranstaltungen/{event.pk}/anmelden/")
    if check_errors:
        page.get_by_role("button", name="Verbindlich anmelden").click()
        expect(page.get_by_role("heading", name="Bitte prüfen Sie Ihre Angaben")).to_be_visible()
        assert page.locator("[aria-invalid=true]").count() >= 4
        # keyboard and screen-reader focus lands on the summary, whose links lead to the fields
        page.wait_for_function("document.activeElement && document.activeElement.id === 'form-error-summary'")
        summary = page.locator("#form-error-summary").inner_text()
        assert "Vorname: Dieses Feld" in summary
        assert "Einwilligung Datenschutz:" in summary and "Verarbeitung meiner Angaben" not in summary
        # A choice question's error sits below the question, not beside it (KERN floats the legend).
        group = page.locator("fieldset.kern-fieldset--error").first
        legend, error = group.locator("legend").bounding_box(), group.locator(".kern-error").bounding_box()
        assert error["y"] >= legend["y"] + legend["height"] - 1 and abs(error["x"] - legend["x"]) < 2
        # The consent error lines up with the other fields' errors, not indented beside the box.
        consent = page.locator(".kern-form-check--error > .kern-error").bounding_box()
        other = page.locator(".kern-form-input--error > .kern-error").first.bounding_box()
        assert abs(consent["x"] - other["x"]) < 2, (consent, other)
        assert_accessible(page, "events-register-errors")
        _assert_focus_visible_on_invalid_fields(page)
    page.get_by_label("Vorname").fill(first)
    page.get_by_label("Nachname").fill(last)
    page.get_by_label("E-Mail-Adresse").fill(f"person{n}@firma.example")
    page.get_by_label("Organisation", exact=True).fill(f"Firma {n}")
    page.get_by_label("10 bis 49").check()
    page.get_by_label("Energie").check()
    page.get_by_label("Was erwarten Sie?").fill("Praxisbeispiele")
    page.locator("input[name=privacy_consent]").check()
    page.get_by_role("button", name=button).click()


_RING = "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; }"


def _keyboard_focus(page, selector):
    field = page.locator(selector).first
    field.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert field.evaluate("e => e === document.activeElement && e.matches(':focus-visible')")
    return field.evaluate(_RING)


def _assert_focus_visible_on_invalid_fields(page):
    """Audit 2, bug 7: a focused invalid field only got a thicker red ring on its red error
    border. It gets KERN's focus colour like a valid field, 3px and 2px away from the field."""
    focus_colour = _keyboard_focus(page, "select[name=language]")[2]  # a valid field
    danger = page.evaluate("getComputedStyle(document.querySelector('.kern-error .kern-icon')).backgroundColor")
    for selector in ("input[name=first_name]", "input[type=radio][aria-invalid=true]",
                     "input[name=privacy_consent]"):
        resting = page.locator(selector).first.evaluate(_RING)
        focused = _keyboard_focus(page, selector)
        assert focused != resting, selector
        assert focused == ["solid", "3px", focus_colour, "2px"], selector
        assert focused[2] != danger


def _personal_link(email):
    message = [m for m in mail.outbox if email in m.to][-1]
    return re.search(r"https?://\S+/veranstaltungen/anmeldung/\S+/", message.body).group(0)


def test_register_cancel_and_the_waitlist_moves_up(page, live_server, settings, event):
    settings.SITE_URL = live_server.url
    page.goto("/veranstaltungen/")
    assert_accessible(page, "events-list")
    page.get_by_role("link", name=event.title_de).click()
    expect(page.get_by_role("heading", name="Geplante Inhalte")).to_be_visible()
    expect(page.get_by_text("1 von 1 frei")).to_be_visible()
    assert_accessible(page, "events-detail")

    _register(page, event, 1, "Erika", "Erste", check_errors=True)
    page.wait_for_url(re.compile(r"/veranstaltungen/anmeldung/"))
    expect(page.get_by_text("Ihr Platz ist bestätigt").first).to_be_visible()
    assert_accessible(page, "events-personal-page")
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert "Anmeldung bestätigt" in confirmation.subject
    assert confirmation.attachments[0][2] == "text/calendar"

    # The seat is taken: the page and the form offer the waitlist, not a seat.
    page.goto(f"/veranstaltungen/{event.pk}/")
    expect(page.get_by_text("Ausgebucht – Warteliste")).to_be_visible()
    _register(page, event, 2, "Walter", "Warteliste", button="Auf die Warteliste setzen")
    expect(page.get_by_text("Warteliste an Position 1").first).to_be_visible()

    # The first person opens the personal link from the mail and cancels.
    page.goto(_personal_link("person1@firma.example"))
    page.get_by_role("link", name="Teilnahme absagen").click()
    assert_accessible(page, "events-cancel-confirm")
    page.get_by_role("button", name="Ja, absagen").click()
    expect(page.get_by_text("Sie haben Ihre Teilnahme abgesagt.")).to_be_visible()

    promoted = [m for m in mail.outbox if m.to == ["person2@firma.example"]][-1]
    assert "Platz ist frei" in promoted.subject
    page.goto(_personal_link("person2@firma.example"))
    expect(page.get_by_text("Ihr Platz ist bestätigt").first).to_be_visible()


def test_organiser_manages_the_event_and_exports_the_list(page, live_server, settings, event, world):
    from klimapakt.events import services

    for n in range(1, 4):
        services.registration_create(event=event, answers={event.questions.first().pk: n % 3},
                                     person=services.PersonData(first_name=f"V{n}", last_name=f"Person {n}",
                                                                email=f"p{n}@x.example", organisation=f"Org {n}",
                                                                privacy_consent=True))
    login(page, "office@krefeld.example")
    page.goto("/geschaeftsstelle/veranstaltungen/")
    assert_accessible(page, "events-office-list")
    page.get_by_role("link", name=event.title_de).click()
    assert_accessible(page, "events-office-overview")
    for link, shot in [("Bearbeiten", "events-office-edit"), ("Fragebogen", "events-office-questions"),
                       ("Nachricht", "events-office-message"), ("Auswertung", "events-office-evaluation")]:
        page.locator(".kp-event-nav").get_by_role("link", name=link, exact=True).click()
        assert_accessible(page, shot)
    assert page.locator("svg.kp-chart").count() >= 1

    page.locator(".kp-event-nav").get_by_role("link", name="Anmeldungen", exact=True).click()
    assert_accessible(page, "events-office-registrations")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Person 1" in text and "Wie viele Beschäftigte" in text

    # Check-in on a phone: one tap marks a person present (htmx), no reload needed.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".kp-event-nav").get_by_role("link", name="Einlass", exact=True).click()
    assert_accessible(page, "events-office-check-in-phone")
    from klimapakt.events.models import Registration

    first = Registration.objects.get(email="p1@x.example")
    url_before = page.url
    page.locator(f"#r{first.pk} button").click()
    page.locator(f"#r{first.pk}.kp-checkin__row--present").wait_for()
    assert page.url == url_before  # swapped in place by htmx
    assert "Anwesend" in page.locator(f"#r{first.pk} button").inner_text()
    first.refresh_from_db()
    assert first.attended

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".kp-event-nav").get_by_role("link", name="Anmeldungen", exact=True).click()
    page.get_by_role("link", name="Person 2, V2").click()
    assert_accessible(page, "events-office-registration")
