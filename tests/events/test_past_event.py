"""A past workshop may be entered for the record: the form warns and no registration opens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from klimapakt.events.models import Event

pytestmark = pytest.mark.django_db
WARNING = "Die Veranstaltung liegt in der Vergangenheit; es öffnet keine Anmeldung."


def _data(start, **changes):
    return {"kind": "workshop", "title_de": "Rückblick Wärmepumpen", "title_en": "", "description_de": "Praxis",
            "description_en": "", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "venue_name": "Rathaus",
            "venue_address": "", "audience": "open", "capacity": "20", "per_organisation_limit": "",
            "registration_deadline": "", "agenda_de": "", "agenda_en": ""} | changes


def test_a_past_event_is_saved_with_a_warning_and_takes_no_registration(world, client_for):
    from klimapakt.events import services

    office = client_for(world["users"]["office"])
    start = timezone.localtime() - datetime.timedelta(days=30)
    response = office.post(reverse("event_office:create"), _data(start), follow=True)
    assert response.status_code == 200 and WARNING in response.content.decode()
    event = Event.objects.get()
    event = services.event_set_status(event=event, status=Event.Status.PUBLISHED, actor=world["users"]["office"])
    assert not event.registration_open()
    page = office.get(reverse("event_office:edit", args=[event.pk])).content.decode()
    assert WARNING in page
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(event=event, person=services.PersonData(
            first_name="Paula", last_name="Probe", email="paula@example.org", organisation="", privacy_consent=True))
    public = client_for(None).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'name="first_name"' not in public and "bereits stattgefunden" in public


def test_a_future_event_has_no_warning(world, client_for):
    office = client_for(world["users"]["office"])
    response = office.post(reverse("event_office:create"),
                           _data(timezone.localtime() + datetime.timedelta(days=30)), follow=True)
    assert response.status_code == 200 and WARNING not in response.content.decode()
