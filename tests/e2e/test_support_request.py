"""Issue 13, the firm's side in a real browser: a member asks for support for an offer with a
file, sees on the second step which institution receives what, agrees and sends; sees the
request, writes a message, grants access and reaches the withdrawal page. axe-core on every
page; the confirmation mail is in the outbox."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def journey(pact, tmp_path):
    from klimapakt.partners.models import Membership, Organisation
    from klimapakt.support.models import Offer
    from tests.conftest import make_user

    org = Organisation.objects.create(name="Tischlerei Holzwurm GmbH", postal_code="47798", city="Krefeld")
    user = make_user("hanna@holzwurm.example", first_name="Hanna", last_name="Holz")
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    ihk = pact.initial_partners.get(short_name="IHK")
    offer = Offer.objects.create(pact=pact, institution=ihk, kind=Offer.Kind.FUNDING, title_de="Fördermittelberatung",
                                 summary_de="Welche Förderung passt zu Ihrem Vorhaben?")
    upload = tmp_path / "angebot-daemmung.pdf"
    upload.write_bytes(PDF)
    return org, user, ihk, offer, upload


def test_a_member_asks_for_support_with_a_file_and_consents_to_the_named_institution(page, journey):
    from klimapakt.core.models import OutboxMail
    from klimapakt.support.models import SupportRequest

    org, user, ihk, offer, upload = journey
    login(page, user.email)
    page.goto(f"/mein-bereich/organisation/{org.pk}/unterstuetzung/")
    expect(page.locator("#no-requests")).to_be_visible()
    assert_accessible(page, "support-requests-empty")

    page.get_by_role("link", name="Unterstützung anfragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unterstützung anfragen")
    assert_accessible(page, "support-request-form")
    # "Weiter" without topics: the error is named under the field and in the summary
    page.get_by_label("Angebot").select_option(str(offer.pk))
    page.get_by_label("Wobei brauchen Sie Unterstützung?").fill("Wir möchten die Werkstatt dämmen und suchen "
                                                               "Fördermittel.")
    page.get_by_role("button", name="Weiter").click()
    expect(page.locator("#form-error-summary")).to_contain_text("Bitte wählen Sie mindestens ein Thema.")
    assert_accessible(page, "support-request-form-error")
    page.get_by_label("Gebäude").check()
    page.get_by_label("Fördermittel").check()
    page.get_by_role("button", name="Weiter").click()

    # Step 2: the recipient and the data, the file, the consent
    expect(page.locator("#recipient-heading")).to_have_text(f"Ihre Anfrage geht an: {ihk.name}")
    expect(page.locator("#shared-data")).to_contain_text("Name und Anschrift Ihrer Organisation")
    expect(page.locator("#consent-statement")).to_contain_text(ihk.name)
    assert_accessible(page, "support-request-review")
    page.get_by_label("Dateien anhängen").set_input_files(str(upload))
    page.get_by_role("button", name="Senden").click()
    expect(page.locator("#form-error-summary")).to_contain_text("Bitte stimmen Sie der Übermittlung zu")
    assert not SupportRequest.objects.exists()
    page.get_by_label("Dateien anhängen").set_input_files(str(upload))
    page.get_by_label("Ich bin mit der Übermittlung wie oben beschrieben einverstanden.").check()
    page.get_by_role("button", name="Senden").click()

    # The request
    page.wait_for_url(re.compile(r"/unterstuetzung/\d+/$"))
    expect(page.locator("#request-status")).to_have_text("Neu")
    expect(page.locator("#request-recipient")).to_have_text(ihk.name)
    expect(page.locator("#request-files")).to_contain_text("angebot-daemmung.pdf")
    assert_accessible(page, "support-request-sent")
    r = SupportRequest.objects.get()
    assert r.institution == ihk and r.attachments.count() == 1 and ihk.name in r.consent_text
    sent = OutboxMail.objects.get(template="support/email/request_sent")
    assert sent.to == [user.email] and sent.context["institution"] == ihk.name
    assert OutboxMail.objects.filter(template="support/email/request_received").exists()

    # A message, the grant
    page.get_by_label("Ihre Nachricht").fill("Wir haben auch ein Angebot des Dachdeckers.")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.locator("#messages")).to_contain_text("Wir haben auch ein Angebot des Dachdeckers.")
    page.get_by_role("button", name="Einsicht freigeben").click()
    expect(page.locator("#grant-status")).to_contain_text(f"„{ihk.name}“ darf Ihre CO₂-Bilanz")
    assert_accessible(page, "support-request-thread")

    # Withdrawing asks first
    page.get_by_role("link", name="Anfrage zurückziehen").click()
    assert_accessible(page, "support-request-withdraw")
    page.get_by_label("Ja, ich möchte diese Anfrage zurückziehen.").check()
    page.get_by_role("button", name="Anfrage zurückziehen").click()
    expect(page.locator("#request-status")).to_have_text("Zurückgezogen")

    page.get_by_role("link", name="Alle Anfragen Ihrer Organisation").click()
    expect(page.locator("#requests")).to_contain_text("Fördermittelberatung")
    assert_accessible(page, "support-requests")
