"""The Klimapartnerschaft in a real browser: interest, orientation talk, agreement with a
target, counter-signature, public listing, certificate and badge download; axe-core on every
new page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(pact):
    from klimapakt.partners.models import AgreementVersion
    from tests.conftest import make_user

    AgreementVersion.objects.create(pact=pact, label="2022-1", valid_from=datetime.date(2022, 6, 1),
                                    text_de="## § 1 Ziel\nDer Klimapartner bekennt sich zum Ziel 2035.")
    return {"member": make_user("paula@pappel.example", first_name="Paula", last_name="Pappel"),
            "office": make_user("office@krefeld.example", is_pact_office=True)}


def switch_user(page, email):
    page.context.clear_cookies()
    login(page, email)


def test_from_interest_to_listed_partner_with_certificate(page, people):
    from klimapakt.partners.models import Organisation

    login(page, "paula@pappel.example")
    page.goto("/mein-bereich/organisation/neu/")
    assert_accessible(page, "partners-interest-form")
    page.fill("#id_name", "Pappel Gartenbau GmbH")
    page.select_option("#id_kind", "company")
    page.fill("#id_legal_form", "GmbH")
    page.fill("#id_street", "Hülser Straße 12")
    page.fill("#id_postal_code", "10115")  # Berlin: refused, the field is named
    page.select_option("#id_sector", "A")
    page.fill("#id_employees", "18")
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_postal_code-error")).to_be_visible()
    page.fill("#id_postal_code", "47839")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mein-bereich/organisation/\d+/$"))
    org = Organisation.objects.get(name="Pappel Gartenbau GmbH")
    assert page.locator("#org-stage").inner_text().endswith("Interesse")
    assert_accessible(page, "partners-organisation-interest")

    # The pact office plans the talk and marks it held
    switch_user(page, "office@krefeld.example")
    page.goto("/geschaeftsstelle/organisationen/")
    expect(page.get_by_role("link", name="Pappel Gartenbau GmbH")).to_be_visible()
    assert_accessible(page, "partners-pipeline")
    page.get_by_role("link", name="Pappel Gartenbau GmbH").click()
    assert_accessible(page, "partners-staff-organisation-interest")
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_scheduled_for", when)
    page.fill("#id_location", "Rathaus, Raum 12")
    page.fill("#id_notes", "Interesse an Photovoltaik")
    page.get_by_role("button", name="Termin speichern und Organisation informieren").click()
    page.wait_for_url(re.compile(rf"/geschaeftsstelle/organisationen/{org.pk}/$"))

    # The organisation accepts the proposed date; the office sees the answer
    switch_user(page, "paula@pappel.example")
    page.goto(f"/mein-bereich/organisation/{org.pk}/")
    assert_accessible(page, "partners-organisation-talk-proposed")
    page.get_by_role("button", name="Antwort senden").click()  # no choice yet: the field is named
    expect(page.locator("#talk_answer-error")).to_be_visible()
    assert_accessible(page, "partners-talk-answer-errors")
    page.get_by_label("Ja, wir nehmen den Termin wahr.").check()
    page.fill("#talk_message", "Wir kommen zu zweit.")
    page.get_by_role("button", name="Antwort senden").click()
    page.wait_for_url(re.compile(rf"/mein-bereich/organisation/{org.pk}/$"))
    expect(page.get_by_text("Vielen Dank, Sie haben den Termin zugesagt.")).to_be_visible()
    switch_user(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/organisationen/{org.pk}/")
    assert "Zugesagt" in page.locator("#open-talk-answer").inner_text()
    assert "Wir kommen zu zweit." in page.locator("#open-talk-answer").inner_text()
    assert_accessible(page, "partners-staff-organisation-talk-accepted")
    page.fill("#held_held_on", timezone.localdate().isoformat())
    page.get_by_role("button", name="Als geführt vermerken").click()
    page.wait_for_url(re.compile(rf"/geschaeftsstelle/organisationen/{org.pk}/$"))
    expect(page.locator("#staff-stage")).to_contain_text("Gespräch geführt")

    # The organisation sets a target and signs the agreement
    switch_user(page, "paula@pappel.example")
    page.goto(f"/mein-bereich/organisation/{org.pk}/")
    assert "Photovoltaik" not in page.content()  # staff notes stay with the staff
    page.goto(f"/mein-bereich/organisation/{org.pk}/ziele/")
    page.fill("#id_base_year", "2021")
    page.fill("#id_reduction_percent", "55,5")  # a German decimal comma: a number field made it 555
    page.select_option("#id_scopes", "1+2")
    page.fill("#id_neutral_by", "2035")
    page.get_by_role("button", name="Ziel speichern").click()
    page.wait_for_url(re.compile(r"/ziele/$"))
    assert "−55,5\u00a0%" in page.locator("#targets-table").inner_text()
    assert_accessible(page, "partners-targets")
    page.goto(f"/mein-bereich/organisation/{org.pk}/vereinbarung/")
    expect(page.get_by_text("Der Klimapartner bekennt sich zum Ziel 2035.")).to_be_visible()
    page.fill("#id_signatory_name", "Paula Pappel")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_text("Ihr Entwurf wurde gespeichert.")).to_be_visible()
    page.fill("#id_signatory_role", "Geschäftsführerin")
    page.get_by_role("button", name="Unterzeichnen und einreichen").click()  # obligations not accepted yet
    expect(page.locator("#id_accepts_obligations-error")).to_be_visible()
    assert_accessible(page, "partners-agreement-errors")
    page.check("#id_accepts_obligations")
    page.check("#id_consents_publication")
    page.get_by_role("button", name="Unterzeichnen und einreichen").click()
    page.wait_for_url(re.compile(rf"/mein-bereich/organisation/{org.pk}/$"))
    expect(page.locator("#org-stage")).to_contain_text("Vereinbarung eingereicht")

    # The pact office counter-signs
    switch_user(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/organisationen/{org.pk}/")
    assert_accessible(page, "partners-staff-organisation-submitted")
    page.get_by_role("button", name="Vereinbarung gegenzeichnen").click()  # not confirmed yet: refused
    expect(page.locator("#id_confirm-error")).to_be_visible()
    page.fill("#id_name", "Petra Beispiel")
    page.fill("#id_role", "Leitung der Geschäftsstelle")
    page.check("#id_confirm")
    assert_accessible(page, "partners-staff-countersign")
    page.get_by_role("button", name="Vereinbarung gegenzeichnen").click()
    expect(page.get_by_text("Die Organisation ist jetzt aktiver Klimapartner.")).to_be_visible()
    page.goto("/geschaeftsstelle/vereinbarung/")
    assert_accessible(page, "partners-agreement-versions")

    # Listed in the public directory
    page.context.clear_cookies()
    page.goto("/klimapartner/")
    expect(page.get_by_role("link", name="Pappel Gartenbau GmbH")).to_be_visible()
    assert_accessible(page, "partners-directory")
    page.get_by_role("link", name="Pappel Gartenbau GmbH").click()
    expect(page.get_by_text("−55,5\u00a0%")).to_be_visible()
    assert_accessible(page, "partners-partner-page")
    page.goto("/klimapartner/?neutral=1&sector=A")
    assert page.locator("#result-count").inner_text().startswith("1 ")

    # Certificate and badge for the partner
    login(page, "paula@pappel.example")
    page.goto(f"/mein-bereich/organisation/{org.pk}/")
    assert page.locator("#embed-snippet").input_value().startswith("<a href=")
    assert_accessible(page, "partners-organisation-active")
    with page.expect_download() as download:
        page.get_by_role("link", name="Klimapartner-Urkunde (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("urkunde-")
    with page.expect_download() as download:
        page.get_by_role("link", name="Klimapartner-Siegel (PNG)").click()
    assert download.value.suggested_filename.endswith(".png")


def test_map_lists_every_partner_even_without_tiles(page, people):
    from klimapakt.partners.models import Organisation

    Organisation.objects.create(name="Kartenpartner Demo GmbH", stage="active", listing_consent=True,
                                partner_since=datetime.date(2024, 1, 1), latitude="51.33", longitude="6.56",
                                show_location=True, street="Ostwall 1", postal_code="47798", city="Krefeld")
    page.route(re.compile(r"tile\.openstreetmap\.org"), lambda route: route.abort())
    page.goto("/klimapartner/karte/")
    expect(page.locator("#map-list").get_by_role("link", name="Kartenpartner Demo GmbH")).to_be_visible()
    page.get_by_role("button", name="Karte laden").click()  # two clicks: docs/partners.md, "Map"
    page.wait_for_selector(".leaflet-marker-icon")
    assert_accessible(page, "partners-map")


def test_profile_leave_and_staff_forms_are_accessible(page, people):
    from klimapakt.partners.models import Membership, Organisation

    org = Organisation.objects.create(name="Pappel Zwei GmbH", stage="active", listing_consent=True,
                                      partner_since=datetime.date(2024, 1, 1))
    Membership.objects.create(organisation=org, user=people["member"], role="admin")
    login(page, "paula@pappel.example")
    page.goto(f"/mein-bereich/organisation/{org.pk}/profil/")
    assert_accessible(page, "partners-profile")
    page.goto(f"/mein-bereich/organisation/{org.pk}/angaben/")
    assert_accessible(page, "partners-organisation-edit")
    page.goto(f"/mein-bereich/organisation/{org.pk}/austreten/")
    assert_accessible(page, "partners-leave")
    page.check("#id_confirm")
    page.get_by_role("button", name="Austreten").click()
    page.wait_for_url(re.compile(rf"/mein-bereich/organisation/{org.pk}/$"))
    expect(page.locator("#org-stage")).to_contain_text("Ausgetreten")
    switch_user(page, "office@krefeld.example")
    for url in (f"/geschaeftsstelle/organisationen/{org.pk}/", f"/geschaeftsstelle/organisationen/{org.pk}/beenden/",
                "/geschaeftsstelle/vereinbarung/neu/", "/geschaeftsstelle/organisationen/?overdue=1"):
        page.goto(url)
        assert_accessible(page, "partners-staff" + url.replace("/", "_").replace("?", "_"))


def test_office_deletes_a_staff_document_after_confirming(page, people):
    from django.core.files.base import ContentFile

    from klimapakt.core.demo import minimal_pdf
    from klimapakt.partners.models import Organisation, OrganisationDocument

    org = Organisation.objects.create(name="Pappel Gartenbau GmbH", postal_code="47839", city="Krefeld")
    document = OrganisationDocument(organisation=org, title="Scan", shared_with_organisation=True)
    document.file.save("scan.pdf", ContentFile(minimal_pdf("S")), save=False)
    document.save()
    login(page, "office@krefeld.example")
    page.goto(f"/geschaeftsstelle/organisationen/{org.pk}/")
    page.get_by_role("link", name="„Scan“ löschen").click()
    page.wait_for_url(re.compile(rf"/dokument/{document.pk}/loeschen/$"))
    assert_accessible(page, "partners-document-delete")
    page.get_by_role("button", name="Endgültig löschen").click()
    page.wait_for_url(re.compile(rf"/geschaeftsstelle/organisationen/{org.pk}/$"))
    expect(page.get_by_text("Das Dokument „Scan“ wurde gelöscht.")).to_be_visible()
    assert not OrganisationDocument.objects.filter(pk=document.pk).exists()
