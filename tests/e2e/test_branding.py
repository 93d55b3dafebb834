"""The city puts the platform under its own name (issue 16): the office uploads its coat of arms
and a signature and picks a KERN accent colour, sees them on a page, in a mail (the outbox's HTML,
opened in the browser with the logo it carries) and in the certificate PDF, then adds
the accessibility statement as a page linked in the footer. axe: no serious or critical
violation on any page."""

import base64
import datetime
import io

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (255, 255, 255))
    ImageDraw.Draw(image).rectangle((4, 4, width - 5, height - 5), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def partner_a(world):
    """Organisation A as an active partner, so its certificate can be downloaded."""
    from klimapakt.partners.models import Agreement, AgreementVersion, Organisation

    org = world["org_a"]
    version = AgreementVersion.objects.create(pact=world["pact"], label="T-1", text_de="Text",
                                              valid_from=datetime.date(2022, 1, 1))
    Agreement.objects.create(organisation=org, version=version, status=Agreement.Status.COUNTERSIGNED,
                             signatory_name="Anna Alpha", signatory_role="Inhaberin", accepts_obligations=True,
                             consents_publication=True, countersigned_on=datetime.date(2025, 3, 1))
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                                  partner_since=datetime.date(2025, 3, 1))
    return org


def test_office_brands_the_platform_and_adds_the_accessibility_statement(page, world, partner_a, live_server,
                                                                          settings):
    from django.core import mail

    settings.SITE_URL = live_server.url
    login(page, "office@krefeld.example")

    # Branding: from the pact's settings to the branding page.
    page.goto("/geschaeftsstelle/pakt/")
    assert_accessible(page, "pact-settings")
    page.get_by_role("link", name="Logo, Unterschrift und Farbe ändern").click()
    expect(page.get_by_role("heading", name="Logo, Unterschrift und Farbe", level=1)).to_be_visible()
    assert_accessible(page, "branding-form")

    # A wrong file first: an SVG is refused with a message on the field.
    page.get_by_label("Logo oder Stadtwappen").set_input_files(
        files=[{"name": "wappen.svg", "mimeType": "image/svg+xml",
                "buffer": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}])
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".kern-error")).to_contain_text("PNG oder JPEG")
    assert_accessible(page, "branding-refused")

    page.get_by_label("Logo oder Stadtwappen").set_input_files(
        files=[{"name": "wappen.png", "mimeType": "image/png", "buffer": _png(300, 120, (180, 20, 20))}])
    page.locator("input[name=signature]").set_input_files(
        files=[{"name": "unterschrift.png", "mimeType": "image/png", "buffer": _png(240, 60, (20, 20, 20))}])
    page.get_by_label("Name und Funktion unter der Unterschrift").fill("Frank Meyer, Oberbürgermeister")
    page.get_by_label("Dunkelblau").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Logo, Unterschrift und Farbe wurden gespeichert.")).to_be_visible()
    expect(page.get_by_alt_text("Derzeitiges Logo")).to_be_visible()
    expect(page.get_by_alt_text("Derzeitige Unterschrift")).to_be_visible()
    assert_accessible(page, "branding-saved")

    # On a page: the logo in the header (loaded), the accent colour on the header's border.
    page.goto("/")
    logo = page.locator("header img.kp-brand__logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0
    border = page.locator("header.kp-header").evaluate("el => getComputedStyle(el).borderBottomColor")
    assert border == "rgb(32, 68, 170)", border  # KERN darkblue-700
    assert_accessible(page, "branding-home")

    # In a mail: a password reset goes through the outbox with the site's layout.
    mail.outbox.clear()
    page.goto("/konto/password/reset/")
    assert_accessible(page, "password-reset")
    page.get_by_label("E-Mail").fill("anna@alpha.example")
    page.get_by_role("button", name="Passwort zurücksetzen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "password-reset-done")
    assert mail.outbox, "no mail was sent"
    html = mail.outbox[-1].alternatives[0][0]
    # The logo travels in the mail as a related picture (cid:), as a mail client shows it.
    assert '<img src="cid:pakt-logo@klimapakt"' in html and "#2044aa" in html
    related = mail.outbox[-1].message()
    logo_part = next(part for part in related.walk() if part["Content-ID"] == "<pakt-logo@klimapakt>")
    inline = base64.b64encode(logo_part.get_payload(decode=True)).decode()
    mail_page = page.context.new_page()
    mail_page.set_content(html.replace("cid:pakt-logo@klimapakt", f"data:{logo_part.get_content_type()};base64,{inline}"))
    mail_logo = mail_page.locator("img").first
    mail_logo.wait_for()
    mail_page.wait_for_function("() => document.images[0].complete")
    assert mail_logo.evaluate("img => img.naturalWidth") == 300  # the uploaded coat of arms
    mail_page.close()

    # In a PDF: the certificate carries images (the logo, the signature, the badge) in the new colour.
    response = page.request.get(f"/mein-bereich/organisation/{partner_a.pk}/urkunde.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Subtype /Image") >= 2

    # The accessibility statement as a page of the office's own, linked in the footer.
    page.goto("/geschaeftsstelle/seiten/")
    assert_accessible(page, "pages-list")
    page.get_by_role("link", name="Seite anlegen").click()
    page.get_by_label("Adresse").fill("barrierefreiheit")
    page.get_by_label("Titel (deutsch)").fill("Erklärung zur Barrierefreiheit")
    page.get_by_label("Titel (englisch)").fill("Accessibility statement")
    page.get_by_label("In der Fußzeile verlinken").check()
    page.get_by_role("textbox", name="Text (deutsch, Markdown)").fill(
        "## Stand der Vereinbarkeit mit den Anforderungen\n\nDiese Plattform ist teilweise mit der BITV 2.0 "
        "vereinbar.\n\n## Schlichtungsverfahren\n\nOmbudsstelle für barrierefreie Informationstechnik NRW")
    assert_accessible(page, "pages-create")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Seite „Erklärung zur Barrierefreiheit“ wurde angelegt.")).to_be_visible()
    assert_accessible(page, "pages-list-saved")

    page.goto("/")
    page.get_by_role("navigation", name="Service").get_by_role("link", name="Erklärung zur Barrierefreiheit").click()
    expect(page).to_have_url(f"{live_server.url}/barrierefreiheit/")
    expect(page.get_by_role("heading", name="Stand der Vereinbarkeit mit den Anforderungen")).to_be_visible()
    assert_accessible(page, "accessibility-statement")
    page.goto("/en/barrierefreiheit/")
    expect(page.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert_accessible(page, "accessibility-statement-en")
