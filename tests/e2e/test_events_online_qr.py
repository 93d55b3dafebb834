"""A hybrid event in a real browser: the meeting link only for the confirmed person (not on the
public page, not for the waitlist), the organiser checks in with the QR code's content through
the scanner page's text field (headless Chromium has no camera; the scanner fills this field),
and the Markdown preview of the event form. axe: no serious or critical violation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = "https://meet.example.org/klimapakt-hybrid-4711"


@pytest.fixture
def hybrid(pact, world):
    from klimapakt.events import services
    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(
        pact=pact, status=Event.Status.PUBLISHED, capacity=1, starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), title_de="Netzwerktreffen hybrid: Wärmepumpen",
        format=Event.Format.HYBRID, venue_name="Rathaus Krefeld", meeting_url=LINK,
        description_de="Wir sprechen über **Wärmepumpen** im Betrieb.")
    people = [services.registration_create(event=event, person=services.PersonData(
        first_name=first, last_name=last, email=f"{first.lower()}@firma.example", organisation="Firma",
        privacy_consent=True)) for first, last in (("Clara", "Kaiser"), ("Wanda", "Warte"))]
    return event, people


def test_meeting_link_for_the_confirmed_only_and_check_in_by_code(page, hybrid):
    event, (confirmed, waiting) = hybrid
    assert (confirmed.status, waiting.status) == ("confirmed", "waitlisted")

    page.goto(f"/veranstaltungen/{event.pk}/")
    expect(page.get_by_role("heading", name="Netzwerktreffen hybrid: Wärmepumpen")).to_be_visible()
    expect(page.get_by_text("Hybrid (vor Ort und online)")).to_be_visible()
    assert LINK not in page.content()
    assert_accessible(page, "events-online-public")

    page.goto(f"/veranstaltungen/anmeldung/{waiting.token}/")
    expect(page.locator("#registration-status")).to_contain_text("Warteliste")
    assert LINK not in page.content() and "QR-Code" not in page.content()
    assert_accessible(page, "events-online-waitlisted-page")

    page.goto(f"/veranstaltungen/anmeldung/{confirmed.token}/")
    link = page.get_by_role("link", name="Zur Online-Veranstaltung (Zugangslink)")
    expect(link).to_have_attribute("href", LINK)
    qr = page.get_by_role("img", name="QR-Code für den Einlass")
    expect(qr).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.kp-qr').naturalWidth") > 100  # a real image
    assert_accessible(page, "events-online-personal-page")
    page.get_by_text("Code als Text").click()
    code = page.locator("#checkin-code").inner_text().strip()
    assert code and confirmed.token not in code

    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/")
    expect(page.locator("#office-meeting-link")).to_have_attribute("href", LINK)
    assert_accessible(page, "events-online-office-overview")
    page.locator(".kp-actions").get_by_role("link", name="Einlass mit QR-Code").click()
    expect(page.get_by_role("heading", name="Einlass mit QR-Code: Netzwerktreffen hybrid: Wärmepumpen")).to_be_visible()
    expect(page.get_by_role("button", name="Kamera starten")).to_be_visible()  # the scanner offers itself
    assert_accessible(page, "events-check-in-scan")
    field = page.get_by_label("Code", exact=True)
    field.fill(code)
    page.get_by_role("button", name="Einchecken").click()
    expect(page.locator("#scan-result")).to_contain_text("Eingecheckt: Clara Kaiser (Firma).")
    expect(page.locator("#check-in-count")).to_contain_text("1 von 1")
    assert_accessible(page, "events-check-in-scan-done")
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Einchecken").click()
    expect(page.locator("#scan-result")).to_contain_text("Clara Kaiser ist bereits eingecheckt um")
    page.get_by_label("Code", exact=True).fill(code[:-3] + "abc")
    page.get_by_role("button", name="Einchecken").click()
    expect(page.locator("#scan-result")).to_contain_text("Dieser Code ist ungültig.")
    assert_accessible(page, "events-check-in-scan-refused")
    confirmed.refresh_from_db()
    assert confirmed.attended


def test_markdown_preview_on_the_event_form(page, hybrid):
    event, _people = hybrid
    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/bearbeiten/")
    description = page.get_by_role("textbox", name="Beschreibung (deutsch)")
    description.fill("## Ablauf\n\nZuerst **Begrüßung**, dann Fragen.")
    toggle = page.get_by_role("button", name="Vorschau anzeigen").first
    toggle.click()
    region = page.get_by_role("region", name="Vorschau: Beschreibung (deutsch)")
    expect(region.locator("strong")).to_have_text("Begrüßung")
    expect(region.locator("h2")).to_have_text("Ablauf")
    expect(page.get_by_role("button", name="Vorschau ausblenden").first).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "events-markdown-preview")
    # Without the script's button: the form's own "Vorschau" sends everything and comes back unsaved.
    page.get_by_role("button", name="Vorschau", exact=True).click()
    expect(page.get_by_role("heading", name="Vorschau", exact=True)).to_be_visible()
    expect(page.locator("#markdown-preview strong")).to_have_text("Begrüßung")
    assert_accessible(page, "events-markdown-preview-nojs")
    event.refresh_from_db()
    assert "Begrüßung" not in event.description_de


def _y4m(png: bytes, path, *, width: int = 640, height: int = 480, frames: int = 10) -> None:
    """A video file for Chromium's fake camera: the QR code on white, as a phone would film it."""
    import io

    from PIL import Image

    picture = Image.new("RGB", (width, height), "white")
    code = Image.open(io.BytesIO(png)).convert("RGB")
    picture.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    y, cb, cr = picture.convert("YCbCr").split()
    half = (width // 2, height // 2)
    frame = b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)


def test_the_scanner_reads_the_qr_code_from_the_camera(_browser, live_server, hybrid, tmp_path):
    """The camera path itself: Chromium's fake camera films the registration's QR code, the
    scanner (BarcodeDetector where the browser has one, else the vendored jsQR) reads it and
    sends the form; the person is checked in."""
    from klimapakt.events import checkin

    from .conftest import CHROMIUM, CHROMIUM_ARGS

    event, (confirmed, _waiting) = hybrid
    video = tmp_path / "qr.y4m"
    _y4m(checkin.qr_png(checkin.code_for(confirmed), box_size=6), video)
    browser = _browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 412, "height": 915})
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        login(page, "office@krefeld.example")
        page.goto(f"/geschaeftsstelle/veranstaltungen/{event.pk}/einlass/code/")
        page.get_by_role("button", name="Kamera starten").click()
        expect(page.locator("#scan-result")).to_contain_text("Eingecheckt: Clara Kaiser (Firma).", timeout=20_000)
        confirmed.refresh_from_db()
        assert confirmed.attended and confirmed.checked_in_at is not None
        # The camera was on: after the result it starts again by itself for the next person, and
        # the same code still in front of it is not sent again (the result stays "Eingecheckt").
        expect(page.get_by_role("button", name="Kamera ausschalten")).to_be_visible()
        expect(page.locator("[data-scanner-status]")).to_contain_text("Diesen QR-Code haben Sie eben eingelesen")
        page.wait_for_timeout(1500)
        expect(page.locator("#scan-result")).to_contain_text("Eingecheckt: Clara Kaiser (Firma).")
        assert_accessible(page, "events-check-in-camera")
    finally:
        browser.close()
