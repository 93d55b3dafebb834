"""The organiser's check-in on a phone, in a real browser: the list comes first, one tap marks a
person present and the counter follows; without JavaScript the search survives a toggle."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def event(pact, world):
    from klimapakt.events import services
    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        pact=pact, status=Event.Status.PUBLISHED, capacity=30, starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), title_de="Netzwerktreffen: Photovoltaik im Betrieb",
        title_en="Network meeting: photovoltaics in your business")
    for n, (first, last) in enumerate([("John", "Smith"), ("Wanda", "Warte"), ("Anna", "Alpha"),
                                       ("Bernd", "Brandt"), ("Clara", "Kaiser"), ("Eva", "Müller")]):
        services.registration_create(event=event, person=services.PersonData(
            first_name=first, last_name=last, email=f"p{n}@x.example", organisation=f"Firma {n}",
            privacy_consent=True))
    return event


def test_check_in_on_a_phone(page, event):
    login(page, "office@krefeld.example")
    page.set_viewport_size(PHONE)
    page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/einlass/")
    assert_accessible(page, "events-office-check-in-phone-top")
    # The search and the first people are on the first screen, not behind the menus.
    first_row = page.locator(".kp-checkin__row").first
    assert page.get_by_label("Name oder Organisation").bounding_box()["y"] < PHONE["height"]
    box = first_row.bounding_box()
    assert box["y"] + box["height"] < PHONE["height"], box
    # The menus are one tap away.
    page.get_by_text("Bereiche der Veranstaltung").click()
    expect(page.get_by_role("link", name="Anmeldungen", exact=True)).to_be_visible()

    page.get_by_label("Name oder Organisation").fill("Smith John")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator(".kp-checkin__row")).to_have_count(1)
    counter = page.locator("#check-in-count")
    expect(counter).to_contain_text("0 von 6")
    page.locator(".kp-checkin__row button").click()
    expect(page.locator(".kp-checkin__row--present")).to_have_count(1)
    expect(counter).to_contain_text("1 von 6")  # follows the toggle, counts everyone
    assert "q=Smith+John" in page.url


def test_check_in_keeps_the_keyboard_focus_on_the_swapped_button(page, event):
    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/einlass/")
    anna = event.registrations.get(last_name="Alpha")
    button = page.locator(f"#r{anna.pk} button")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#r{anna.pk}.kp-checkin__row--present")).to_have_count(1)
    expect(page.locator("#check-in-count")).to_contain_text("1 von 6")
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == f"r{anna.pk}-toggle"
    # and the next key press works on the same person: Enter again takes the mark back
    page.keyboard.press("Enter")
    expect(page.locator(".kp-checkin__row--present")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == f"r{anna.pk}-toggle"


def test_check_in_without_javascript_keeps_the_search(_browser, live_server, event):
    context = _browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        login(page, "office@krefeld.example")
        page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/einlass/?q=warte")
        page.locator(".kp-checkin__row button").click()
        page.wait_for_load_state()
        assert "q=warte" in page.url and page.url.endswith(f"#r{event.registrations.get(last_name='Warte').pk}")
        expect(page.locator(".kp-checkin__row")).to_have_count(1)
        expect(page.locator(".kp-checkin__row--present")).to_contain_text("Warte, Wanda")
        expect(page.locator("#check-in-count")).to_contain_text("1 von 6")
    finally:
        context.close()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_questionnaire_buttons_hold_their_text(page, event, language, viewport):
    from klimapakt.events.models import Question

    for i in range(3):
        Question.objects.create(event=event, position=i, kind="short_text", label_de=f"Frage {i}",
                                label_en=f"Question {i}")
    login(page, "office@krefeld.example")
    page.set_viewport_size(viewport)
    page.goto(("/en" if language == "en" else "") + f"/geschaeftsstelle/veranstaltungen/{event.pk}/fragen/")
    buttons = page.locator(".kp-question .kern-btn")
    assert buttons.count() == 3 + 4
    for i in range(buttons.count()):
        button = buttons.nth(i)
        # no text outside its button, and on one line
        fits = button.evaluate("b => { const l = b.querySelector('.kern-label').getBoundingClientRect(),"
                               " r = b.getBoundingClientRect(); return [l.left >= r.left - 0.5 && l.right <= "
                               "r.right + 0.5, l.height < 2 * parseFloat(getComputedStyle(b.querySelector("
                               "'.kern-label')).lineHeight)] }")
        assert fits == [True, True], (button.inner_text(), language, viewport)
    assert_accessible(page)
