"""The advisor's workplace in a real browser: the IHK's advisor opens the inbox, accepts a
request, writes to the firm and completes it with an outcome; the pact office assigns a
request nobody has yet. axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(pact):
    from klimapakt.partners.models import Membership, Organisation
    from klimapakt.support.models import Holding, SupportRequest, tags
    from tests.conftest import make_user

    ihk = pact.initial_partners.get(short_name="IHK")
    org = Organisation.objects.create(name="Bäckerei Morgenrot GmbH", postal_code="47798", city="Krefeld",
                                      employees=18, sector="C", craft_business=True)
    firm = make_user("frieda@morgenrot.example", first_name="Frieda", last_name="Morgenrot")
    Membership.objects.create(organisation=org, user=firm, role=Membership.Role.ADMIN)
    advisor = make_user("berater@ihk.example", first_name="Bernd", last_name="Berater", advisor_for=ihk)
    office = make_user("office@krefeld.example", is_pact_office=True)
    now = timezone.now()

    def request(description, institution):
        sr = SupportRequest.objects.create(
            organisation=org, created_by=firm, institution=institution, status="new", topics=tags(["heat"]),
            description=description, consent_text="Ich bin einverstanden.", consented_at=now, sent_at=now,
            received_at=now, answer_due_on=timezone.localdate() + datetime.timedelta(days=5))
        if institution:
            Holding.objects.create(request=sr, institution=institution, since=now)
        return sr

    at_ihk = request("Unser Backofen braucht zu viel Gas. Was können wir tun?", ihk)
    unassigned = request("Wir wissen nicht, wer uns beim Dach helfen kann.", None)
    return {"advisor": advisor, "office": office, "at_ihk": at_ihk, "unassigned": unassigned, "ihk": ihk}


def test_advisor_accepts_writes_and_completes_office_assigns(page, journey):
    sr = journey["at_ihk"]
    login(page, journey["advisor"].email)
    page.goto("/geschaeftsstelle/unterstuetzung/")
    expect(page.locator("#inbox")).to_contain_text("Bäckerei Morgenrot GmbH")
    expect(page.locator("#inbox")).not_to_contain_text("wer uns beim Dach")
    assert_accessible(page, "support-advisor-inbox")

    page.get_by_role("link", name=f"Nr. {sr.pk}").click()
    expect(page.locator("#request-description")).to_contain_text("Backofen")
    expect(page.locator("#request-header")).to_contain_text("Kleine Organisation (10 bis 49)")
    assert_accessible(page, "support-advisor-request-new")
    expect(page.get_by_label("Beraterin oder Berater")).to_have_value(str(journey["advisor"].pk))
    page.get_by_role("button", name="Anfrage annehmen").click()
    expect(page.locator("#request-status")).to_contain_text("Angenommen")
    assert_accessible(page, "support-advisor-request-accepted")

    page.get_by_label("Nachricht an das Unternehmen").fill("Guten Tag, ich komme am Dienstag vorbei.")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.locator("#messages")).to_contain_text("ich komme am Dienstag vorbei")
    assert_accessible(page, "support-advisor-message")

    page.get_by_label("Interne Notiz").fill("Termin Dienstag 9 Uhr")
    page.get_by_label("Termin").fill("2031-03-24")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator("#note-list")).to_contain_text("Termin am 24.03.2031")

    page.locator("summary", has_text="Anfrage abschließen").click()
    page.get_by_label("Ergebnis").select_option("measure_planned")
    page.get_by_label("Notiz zum Abschluss").fill("Wärmerückgewinnung am Ofen geplant.")
    page.get_by_role("button", name="Abschließen", exact=True).click()
    expect(page.locator("#request-status")).to_contain_text("Abgeschlossen")
    expect(page.locator("#request-header")).to_contain_text("Maßnahme geplant")
    assert_accessible(page, "support-advisor-request-done")

    page.get_by_role("link", name="Zurück zu den Beratungsanfragen").click()
    page.get_by_role("link", name="Unternehmen", exact=True).click()
    expect(page.locator("#firms")).to_contain_text("Bäckerei Morgenrot GmbH")
    assert_accessible(page, "support-advisor-firms")

    # The office assigns the request nobody has yet
    page.context.clear_cookies()
    login(page, journey["office"].email)
    page.goto("/geschaeftsstelle/unterstuetzung/")
    page.get_by_label("Einrichtung").select_option("ohne")
    page.get_by_role("button", name="Filtern").click()
    expect(page.locator("#inbox")).to_contain_text("ohne Einrichtung")
    expect(page.locator("#inbox tbody tr")).to_have_count(1)
    assert_accessible(page, "support-office-inbox-unassigned")
    page.get_by_role("link", name=f"Nr. {journey['unassigned'].pk}").click()
    assert_accessible(page, "support-office-request-unassigned")
    page.get_by_label("Einrichtung").select_option(str(journey["ihk"].pk))
    page.get_by_role("button", name="Zuordnen").click()
    expect(page.locator("#request-status")).to_contain_text("Industrie- und Handelskammer")
    expect(page.locator("#holdings")).to_contain_text("Industrie- und Handelskammer")
    assert_accessible(page, "support-office-request-assigned")

    page.goto("/geschaeftsstelle/unterstuetzung/ueberblick/")
    expect(page.locator("#overview")).to_contain_text("Industrie- und Handelskammer")
    assert_accessible(page, "support-office-overview")
    page.goto("/geschaeftsstelle/unterstuetzung/einstellungen/")
    assert_accessible(page, "support-office-settings")
    page.get_by_role("link", name="Neue Regel anlegen").click()
    page.get_by_label("Einrichtung").select_option(str(journey["ihk"].pk))
    page.get_by_label("Thema").select_option("heat")
    page.get_by_role("button", name="Regel speichern").click()
    expect(page.locator("#rule-list")).to_contain_text("Wärme")
    page.goto("/geschaeftsstelle/unterstuetzung/aus-veranstaltungen/")
    assert_accessible(page, "support-office-event-needs")
    assert re.search(r"/aus-veranstaltungen/$", page.url)
