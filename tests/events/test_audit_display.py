"""The back office's log names the events actions in words and reads their data
("mit Nachricht", not "message: True"; QA audit)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from klimapakt.core.audit import action_details, action_label, plain_details
from klimapakt.events import services
from klimapakt.events.audit import ACTIONS
from klimapakt.events.models import Event

pytestmark = pytest.mark.django_db
EVENTS = Path(__file__).resolve().parents[2] / "klimapakt" / "events"


def in_language(language, msgid):
    with translation.override(language):
        return translation.gettext(msgid)


def test_every_events_action_has_a_name():
    keys = set()
    for path in EVENTS.rglob("*.py"):  # services is a package
        if path.name != "audit.py":
            keys |= set(re.findall(r'"(events\.[a-z_]+\.[a-z_]+)"', path.read_text()))
    assert "events.registration.moved_to_waitlist" in keys and "events.reminders.sent" in keys
    assert keys <= set(ACTIONS), sorted(keys - set(ACTIONS))


def test_data_reads_as_words():
    assert action_label("events.registration.moved_to_waitlist") == "Auf die Warteliste gesetzt"
    assert action_details("events.registration.moved_to_waitlist",
                          {"event": 3, "from": "confirmed", "message": True}) == [
        ("vorher", "Bestätigt"), ("", "mit Nachricht")]
    assert action_details("events.registration.promoted", {"event": 3, "automatic": True}) == [
        ("", "automatisch nachgerückt")]
    assert action_details("events.registration.declined", {"event": 3, "was_confirmed": False, "message": False}) == [
        ("", "stand auf der Warteliste"), ("", "ohne Nachricht")]
    assert action_details("events.event.status", {"from": "draft", "to": "published"}) == [
        ("", "Entwurf → Veröffentlicht")]
    assert action_details("events.reminders.sent", {"count": 1}) == [("", "an 1 Person")]
    assert action_details("events.event.updated", {"fields": ["capacity", "starts_at", "agenda"], "notified": 2}) == [
        ("Geändert", "Plätze, Beginn, Geplante Inhalte"), ("", "2 Personen benachrichtigt")]
    assert action_details("events.registration.attendance", {"event": 3, "attended": True}) == [("", "anwesend")]
    assert action_details("events.registrations.exported", {"format": "xlsx"}) == [("Format", "XLSX")]


def test_unregistered_actions_keep_their_key_and_read_booleans_as_yes_no():
    assert action_label("example.thing.happened") == "example.thing.happened"
    assert plain_details({"new_member": True, "fields": ["a", "b"]}) == [("new_member", "ja"), ("fields", "a, b")]


@pytest.mark.parametrize("language, prefix", [("de", ""), ("en", "/en")])
def test_registration_page_shows_the_log_in_words(client_for, world, make_event, person, language, prefix):
    event = make_event(capacity=5)
    event.organisers.set([world["pact"].initial_partners.get(short_name="IHK")])
    office = world["users"]["office"]
    registration = services.registration_create(event=event, person=person(1))
    services.registration_to_waitlist(registration=registration, actor=office, message="Raum zu klein")
    services.event_set_status(event=Event.objects.get(pk=event.pk), status=Event.Status.CLOSED, actor=office)
    client = client_for(office)
    registration_url = prefix + reverse("event_office:registration", args=[event.pk, registration.pk])
    overview_url = prefix + reverse("event_office:overview", args=[event.pk])  # before a request activates English
    html = client.get(registration_url).content.decode()
    for msgid in ("Auf die Warteliste gesetzt", "Anmeldung eingegangen", "mit Nachricht"):
        assert in_language(language, msgid) in html, msgid
    assert ">events.registration." not in html and "message</strong>: True" not in html
    html = client.get(overview_url).content.decode()
    assert in_language(language, "Status der Veranstaltung geändert") in html
    with translation.override(language):
        assert f"{Event.Status.PUBLISHED.label} → {Event.Status.CLOSED.label}" in html
