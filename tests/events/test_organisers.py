"""Only the pact office chooses an event's organisers: an organiser's advisors see the
registrants' personal data, so an advisor must neither add another institution nor remove the
city (attack pass, issue 11)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import services

pytestmark = pytest.mark.django_db


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def partners(pact):
    return {p.short_name: p for p in pact.initial_partners.all()}


@pytest.fixture
def co_organised(make_event, partners, world):
    """An event of the city, co-organised by the advisor's institution (IHK)."""
    event = make_event()
    city = partners["Stadt"]
    event.organisers.set([city, partners["IHK"]])
    return event, city


def _edit_data(event, organisers):
    return {"kind": event.kind, "title_de": event.title_de, "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at), "audience": event.audience, "capacity": str(event.capacity),
            "venue_name": event.venue_name, "organisers": [o.pk for o in organisers]}


def test_an_advisor_cannot_replace_the_organisers_through_the_back_office(client_for, world, co_organised, partners):
    event, city = co_organised
    other = partners["HWK"]
    advisor = client_for(world["users"]["advisor"])
    response = advisor.post(reverse("event_office:edit", args=[event.pk]),
                            _edit_data(event, [partners["IHK"], other]))
    assert response.status_code == 302
    assert set(event.organisers.all()) == {city, partners["IHK"]}  # the posted organisers are ignored


def test_the_advisor_sees_the_organisers_field_disabled(client_for, world, co_organised):
    event, _city = co_organised
    response = client_for(world["users"]["advisor"]).get(reverse("event_office:edit", args=[event.pk]))
    assert response.context["form"].fields["organisers"].disabled


def test_an_advisor_creating_an_event_gets_only_their_own_institution(client_for, world, partners):
    advisor = client_for(world["users"]["advisor"])
    response = advisor.post(reverse("event_office:create"), {
        "kind": "network", "title_de": "Treffen der IHK", "starts_at": "2031-05-06T16:00",
        "ends_at": "2031-05-06T18:00", "audience": "open", "capacity": "20", "organisers": [partners["HWK"].pk]})
    assert response.status_code == 302
    from klimapakt.events.models import Event

    assert list(Event.objects.get(title_de="Treffen der IHK").organisers.all()) == [partners["IHK"]]


def test_the_office_changes_the_organisers(client_for, world, co_organised, partners):
    event, city = co_organised
    response = client_for(world["users"]["office"]).post(
        reverse("event_office:edit", args=[event.pk]), _edit_data(event, [city, partners["HWK"]]))
    assert response.status_code == 302
    assert set(event.organisers.all()) == {city, partners["HWK"]}


def test_the_service_refuses_an_advisor_who_changes_organisers(world, co_organised, partners):
    event, city = co_organised
    with pytest.raises(PermissionDenied):
        services.event_update(event=event, actor=world["users"]["advisor"], organisers=[partners["IHK"]])
    assert set(event.organisers.all()) == {city, partners["IHK"]}


def test_the_service_lets_an_advisor_save_the_same_organisers(world, co_organised, partners):
    event, city = co_organised
    services.event_update(event=event, actor=world["users"]["advisor"], organisers=[city, partners["IHK"]],
                          title_de="Neuer Titel")
    event.refresh_from_db()
    assert event.title_de == "Neuer Titel"


def test_the_service_refuses_an_advisor_creating_an_event_for_another_institution(world, pact, partners):
    with pytest.raises(PermissionDenied):
        services.event_create(pact=pact, actor=world["users"]["advisor"], organisers=[partners["HWK"]],
                              title_de="Fremd", starts_at=timezone.now() + datetime.timedelta(days=3),
                              ends_at=timezone.now() + datetime.timedelta(days=3, hours=1))
