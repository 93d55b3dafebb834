"""The office's to-do inbox in a real browser (issue 15): the office opens the back office,
sees its open to-dos with their age and the count in the menu, and follows one to the page
where it is done. axe: no serious or critical violation on either page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def todos(world):
    from klimapakt.partners.models import Agreement, AgreementVersion, Organisation

    org_a, org_b = world["org_a"], world["org_b"]
    version = AgreementVersion.objects.create(pact=world["pact"], label="2022-1", valid_from=datetime.date(2022, 6, 1))
    Organisation.objects.filter(pk=org_a.pk).update(stage=Organisation.Stage.AGREEMENT_SUBMITTED)
    Agreement.objects.create(organisation=org_a, version=version, status=Agreement.Status.SUBMITTED,
                             signatory_name="Anna Alpha", signatory_role="Inhaberin",
                             submitted_at=timezone.now() - datetime.timedelta(days=3))
    Organisation.objects.filter(pk=org_b.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    return {"agreement_org": org_a, "interest_org": org_b}


def test_office_follows_a_todo_from_its_work_list(page, todos):
    login(page, "office@krefeld.example")
    page.goto("/geschaeftsstelle/")
    expect(page.get_by_role("heading", name="Ihre Aufgaben")).to_be_visible()
    menu = page.get_by_role("navigation", name="Geschäftsstelle")
    expect(menu.get_by_role("link", name="Aufgaben 2 offen")).to_be_visible()
    agreements = page.locator("section.kp-inbox__group", has=page.get_by_role(
        "heading", name="Vereinbarungen gegenzeichnen"))
    expect(agreements).to_contain_text("Alpha Bäckerei GmbH")
    expect(agreements).to_contain_text("seit 3 Tagen")
    interest = page.locator("section.kp-inbox__group", has=page.get_by_role(
        "heading", name="Neue Interessenten kontaktieren"))
    expect(interest).to_contain_text("Beta Metallbau KG")
    expect(interest).to_contain_text("seit 5 Tagen")
    assert_accessible(page, "office-inbox-start")

    agreements.get_by_role("link", name="Alpha Bäckerei GmbH").click()
    expect(page).to_have_url(f"{page.url.split('/geschaeftsstelle/')[0]}/geschaeftsstelle/organisationen/"
                             f"{todos['agreement_org'].pk}/")
    expect(page.get_by_role("heading", name="Gegenzeichnen")).to_be_visible()
    assert_accessible(page, "office-inbox-followed")
