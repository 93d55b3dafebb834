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
