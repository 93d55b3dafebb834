"""Messages with a number use the singular for one ("1 Personen" was in the QA audit)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klimapakt.events import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit, expected", [
    (1, "Für diese Organisation ist bereits 1 Person angemeldet; mehr lässt die Veranstaltung nicht zu."),
    (2, "Für diese Organisation sind bereits 2 Personen angemeldet; mehr lässt die Veranstaltung nicht zu."),
])
def test_per_organisation_limit_message_counts_people(make_event, person, limit, expected):
    event = make_event(capacity=10, per_organisation_limit=limit)
    for n in range(limit):
        services.registration_create(event=event, person=person(n, organisation="Firma"))
    with pytest.raises(ValidationError) as caught:
        services.registration_create(event=event, person=person(9, organisation="firma"))
    assert caught.value.message_dict["organisation"] == [expected]


def test_message_to_one_person_says_person(client_for, world, make_event, person):
    event = make_event(capacity=10)
    event.organisers.set([world["pact"].initial_partners.get(short_name="IHK")])
    services.registration_create(event=event, person=person(1))
    office = client_for(world["users"]["office"])
    response = office.post(reverse("event_office:message", args=[event.pk]),
                           {"to_status": "confirmed", "subject": "Raum", "body": "Neuer Raum.", "confirm": "1"}, follow=True)
    html = response.content.decode()
    assert "Die Nachricht wurde an 1 Person verschickt." in html
    services.registration_create(event=event, person=person(2))
    response = office.post(reverse("event_office:message", args=[event.pk]),
                           {"to_status": "confirmed", "subject": "Raum", "body": "Neuer Raum.", "confirm": "1"}, follow=True)
    assert "Die Nachricht wurde an 2 Personen verschickt." in response.content.decode()


@pytest.mark.parametrize("confirmed, expected", [
    (1, "Es ist bereits 1 Person bestätigt. Verschieben Sie sie zuerst auf die Warteliste oder wählen Sie "
        "mindestens 1 Platz."),
    (2, "Es sind bereits 2 Personen bestätigt. Verschieben Sie zuerst Personen auf die Warteliste oder wählen Sie "
        "mindestens 2 Plätze."),
])
def test_fewer_seats_than_confirmed_people_counts_people_and_seats(world, make_event, person, confirmed, expected):
    event = make_event(capacity=5)
    for n in range(confirmed):
        services.registration_create(event=event, person=person(n))
    with pytest.raises(ValidationError) as caught:
        services.event_update(event=event, actor=world["users"]["office"], capacity=confirmed - 1)
    assert caught.value.message_dict["capacity"] == [expected]


@pytest.mark.parametrize("days, expected", [
    (1, "Ihre Angaben werden 1 Tag nach der Veranstaltung anonymisiert."),
    (90, "Ihre Angaben werden 90 Tage nach der Veranstaltung anonymisiert."),
])
def test_the_retention_hint_counts_days(settings, days, expected):
    from klimapakt.events.forms import RegistrationForm

    settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS = days
    assert expected in str(RegistrationForm().fields["privacy_consent"].help_text)


@pytest.mark.parametrize("people, expected", [
    (1, "Als anwesend markiert: 0 von 1 bestätigten Person."),
    (2, "Als anwesend markiert: 0 von 2 bestätigten Personen."),
])
def test_the_check_in_counter_counts_people(client_for, world, make_event, person, people, expected):
    event = make_event(capacity=10)
    for n in range(people):
        services.registration_create(event=event, person=person(n))
    office = client_for(world["users"]["office"])
    assert expected in office.get(reverse("event_office:check_in", args=[event.pk])).content.decode()
