"""Number fields are German-parsed text fields (core.fields): a German browser turned "5,5" in a
`type="number"` field into 55. "5,5" stores 5.5, "55" stores 55, "abc" is a German error; an
edit form shows the stored value in German ("5,5"); a twelve-digit count is refused with a
German message (no server error: on PostgreSQL an integer column ends at 2,147,483,647)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(world):
    return world["org_a"]


def _target_post(client, org, percent):
    return client.post(reverse("portal:targets", args=[org.pk]),
                       {"base_year": "2021", "target_year": "2035", "reduction_percent": percent, "scopes": "1+2"})


@pytest.mark.parametrize(("typed", "stored"), [("5,5", Decimal("5.5")), ("55", Decimal("55")),
                                               ("12,25", Decimal("12.25")), ("5.5", Decimal("5.5"))])
def test_target_percent_reads_german_decimals(world, org, client_for, typed, stored):
    response = _target_post(client_for(world["users"]["member_a"]), org, typed)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert org.targets.get().reduction_percent == stored


def test_target_percent_refuses_text_in_german_and_edits_in_german(world, org, client_for):
    client = client_for(world["users"]["member_a"])
    response = _target_post(client, org, "abc")
    assert response.status_code == 200 and "Bitte eine Zahl eingeben." in response.content.decode()
    assert _target_post(client, org, "5,5").status_code == 302
    target = org.targets.get()
    page = client.get(reverse("portal:target_edit", args=[org.pk, target.pk])).content.decode()
    assert 'value="5,5"' in page and 'type="number"' not in page
    assert 'name="base_year" value="2021"' in page  # years without grouping ("2.021")


def test_profile_coordinates_read_german_decimals(world, org, client_for):
    client = client_for(world["users"]["member_a"])
    url = reverse("portal:profile", args=[org.pk])
    response = client.post(url, {"description": "", "website": "", "latitude": "51,33292", "longitude": "6,56248"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    org.refresh_from_db()
    assert (org.latitude, org.longitude) == (Decimal("51.33292"), Decimal("6.56248"))
    page = client.get(url).content.decode()
    assert 'value="51,33292"' in page and 'value="6,56248"' in page and 'type="number"' not in page
    response = client.post(url, {"description": "", "website": "", "latitude": "abc", "longitude": "6,5"})
    assert response.status_code == 200 and "Bitte eine Zahl eingeben." in response.content.decode()


def _interest(**changes):
    return {"name": "Delta Café", "kind": "company", "legal_form": "GbR", "street": "Rheinstraße 5",
            "postal_code": "47799", "sector": "I", "employees": "4", "contact_name": "Dora",
            "contact_email": "dora@delta.example"} | changes


def test_employees_have_a_german_upper_bound(world, client_for):
    from klimapakt.partners.models import Organisation

    client = client_for(world["users"]["member_b"])
    response = client.post(reverse("portal:organisation_create"), _interest(employees="999999999999"))
    assert response.status_code == 200 and "Bitte geben Sie höchstens 1.000.000 ein." in response.content.decode()
    assert client.post(reverse("portal:organisation_create"), _interest(employees="1.200")).status_code == 302
    assert Organisation.objects.get(name="Delta Café").employees == 1200


def test_balance_key_figures_have_an_upper_bound(world, org, client_for):
    from klimapakt.ghg.models import ActivityLine, Balance
    from klimapakt.ghg.services import balance_compute

    ActivityLine.objects.create(organisation=org, year=2024, carrier="electricity", quantity=Decimal(1000),
                                unit="kWh")
    balance_compute(organisation=org, year=2024)
    client = client_for(world["users"]["member_a"])
    url = reverse("ghg:key_figures", args=[org.pk, 2024])
    response = client.post(url, {"employees": "99999999999", "turnover_meur": "1,5"}, follow=True)
    assert response.status_code == 200 and "höchstens 1.000.000" in response.content.decode()
    assert Balance.objects.get(organisation=org, year=2024).employees is None
    assert client.post(url, {"employees": "12", "turnover_meur": "1,5"}).status_code == 302
    balance = Balance.objects.get(organisation=org, year=2024)
    assert (balance.employees, balance.turnover_meur) == (12, Decimal("1.5"))


def _event_data(**changes):
    start = timezone.localtime() + datetime.timedelta(days=20)
    return {"kind": "workshop", "title_de": "Wärmepumpen", "title_en": "", "description_de": "Praxis",
            "description_en": "", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "venue_name": "Rathaus",
            "venue_address": "", "audience": "open", "capacity": "25", "per_organisation_limit": "",
            "registration_deadline": "", "agenda_de": "", "agenda_en": ""} | changes


def test_event_capacity_is_bounded_and_read_in_german(world, client_for):
    from klimapakt.events.models import Event

    client = client_for(world["users"]["office"])
    url = reverse("event_office:create")
    response = client.post(url, _event_data(capacity="99999999999"))
    body = response.content.decode()
    assert response.status_code == 200 and "Bitte geben Sie höchstens 100.000 ein." in body
    response = client.post(url, _event_data(per_organisation_limit="99999999999"))
    assert response.status_code == 200 and "höchstens 32.767" in response.content.decode()
    assert client.post(url, _event_data(capacity="1.200")).status_code == 302
    event = Event.objects.get()
    assert event.capacity == 1200
    page = client.get(reverse("event_office:edit", args=[event.pk])).content.decode()
    assert 'value="1.200"' in page and 'type="number"' not in page


def test_no_form_page_has_a_number_field_of_the_browser(world, org, client_for, pact):
    """Every form a person types a number into uses the German-parsed text field."""
    office, member = client_for(world["users"]["office"]), client_for(world["users"]["member_a"])
    pages = [(office, reverse("backoffice:pact")), (office, reverse("backoffice:initial_partner_create")),
             (office, reverse("event_office:create")), (office, reverse("reports_office:catalogue_create")),
             (member, reverse("portal:targets", args=[org.pk])), (member, reverse("portal:profile", args=[org.pk])),
             (member, reverse("portal:organisation_edit", args=[org.pk])),
             (member, reverse("reports:measure_create", args=[org.pk])),
             (member, reverse("portal:organisation_create"))]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'type="number"' not in response.content.decode(), url


def test_a_stored_figure_shows_in_german_in_the_measure_form(world, org, client_for):
    from klimapakt.reports import services

    measure = services.measure_save(organisation=org, actor=world["users"]["member_a"], savings=[],
                                    title="Pumpe", description="", category="processes", scopes=[1],
                                    planned_start=None, planned_end=None, status="planned",
                                    investment_eur=Decimal("17000.50"), expected_t_manual=Decimal("2.5"),
                                    justification="", is_public=False)
    page = client_for(world["users"]["member_a"]).get(
        reverse("reports:measure_edit", args=[org.pk, measure.pk])).content.decode()
    assert 'value="17.000,5"' in page and 'value="2,5"' in page
