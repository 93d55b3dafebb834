"""Everyone registered is told when a published event moves in time or place."""

import datetime

import pytest
from django.core import mail

from klimapakt.core.models import AuditEntry
from klimapakt.events import services
from klimapakt.events.models import Event, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(make_event, person, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, person=person(1))
        services.registration_create(event=event, person=person(2, language="en"))
        cancelled = services.registration_create(event=event, person=person(3))
        services.registration_cancel(registration=cancelled)
    mail.outbox.clear()
    return event


def update(event, world, capture, **fields):
    with capture(execute=True):
        return services.event_update(event=event, actor=world["users"]["office"], **fields)


def test_a_new_date_goes_to_everyone_registered_with_a_calendar_file(
        full_event, world, django_capture_on_commit_callbacks):
    Registration.objects.filter(event=full_event).update(reminded_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    later = full_event.starts_at + datetime.timedelta(days=7)
    event = update(full_event, world, django_capture_on_commit_callbacks,
                   starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    assert event.notified == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["person1@firma.example", "person2@firma.example"]
    german = next(m for m in mail.outbox if m.to == ["person1@firma.example"])
    assert german.subject == "Geänderte Angaben: Netzwerktreffen"
    assert "findet zu einer anderen Zeit statt" in german.body
    assert "BEGIN:VEVENT" in german.attachments[0][1]
    english = next(m for m in mail.outbox if m.to == ["person2@firma.example"])  # waitlisted, in English
    assert english.subject == "Changed details: Network meeting"
    # The reminder comes again before the new date.
    assert not Registration.objects.filter(event=event, reminded_at__isnull=False).exists()
    assert AuditEntry.objects.filter(action="events.event.updated").last().data["notified"] == 2


def test_a_new_place_is_told_but_other_edits_and_drafts_are_not(
        full_event, world, django_capture_on_commit_callbacks, make_event):
    update(full_event, world, django_capture_on_commit_callbacks, venue_name="Stadthaus")
    assert len(mail.outbox) == 2 and "an einem anderen Ort" in mail.outbox[0].body
    mail.outbox.clear()
    # A new title or more seats (the waitlisted person moves up and is told so) is no change of time or place.
    event = update(full_event, world, django_capture_on_commit_callbacks, title_de="Netzwerktreffen Energie",
                   capacity=5)
    assert event.notified == 0 and not any("Geänderte" in m.subject for m in mail.outbox)
    draft = make_event(status=Event.Status.DRAFT)
    assert update(draft, world, django_capture_on_commit_callbacks, venue_name="Anderswo").notified == 0


def _form_save(event, world, capture, **changes):
    """Save the event as the edit form does: every field, the agenda and the organisers."""
    event.refresh_from_db()
    fields = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    fields.update(changes)
    items = list(event.agenda_items.all())
    fields.setdefault("agenda_de", [a.title_de for a in items])
    fields.setdefault("agenda_en", [a.title_en for a in items if a.title_en])
    fields.setdefault("organisers", list(event.organisers.all()))
    return update(event, world, capture, **fields)


def last_update_fields():
    return AuditEntry.objects.filter(action="events.event.updated").order_by("pk").last().data["fields"]


def test_saving_without_changes_logs_nothing_and_keeps_the_calendar_sequence(
        full_event, world, django_capture_on_commit_callbacks):
    services.event_update(event=full_event, actor=None, agenda_de=["Begrüßung", "Austausch"],
                          agenda_en=["Welcome", "Exchange"])
    full_event.refresh_from_db()
    before = full_event.updated_at
    entries = AuditEntry.objects.filter(action="events.event.updated").count()
    _form_save(full_event, world, django_capture_on_commit_callbacks)
    full_event.refresh_from_db()
    assert full_event.updated_at == before
    assert AuditEntry.objects.filter(action="events.event.updated").count() == entries
    assert [(a.title_de, a.title_en) for a in full_event.agenda_items.all()] == [
        ("Begrüßung", "Welcome"), ("Austausch", "Exchange")]


def test_a_changed_venue_is_logged_without_the_unchanged_agenda(
        full_event, world, django_capture_on_commit_callbacks):
    services.event_update(event=full_event, actor=None, agenda_de=["Begrüßung"], agenda_en=[])
    _form_save(full_event, world, django_capture_on_commit_callbacks, venue_name="Stadthaus")
    assert last_update_fields() == ["venue_name"]
    _form_save(full_event, world, django_capture_on_commit_callbacks, agenda_de=["Begrüßung", "Imbiss"])
    assert last_update_fields() == ["agenda"]
    assert [a.title_de for a in full_event.agenda_items.all()] == ["Begrüßung", "Imbiss"]


def test_people_on_the_waitlist_are_told_they_are_still_waiting_without_a_calendar_file(
        full_event, world, django_capture_on_commit_callbacks):
    services.registration_create(event=full_event, person=person_data(4))
    mail.outbox.clear()
    old_start = full_event.starts_at
    later = old_start + datetime.timedelta(days=7)
    update(full_event, world, django_capture_on_commit_callbacks,
           starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    confirmed = next(m for m in mail.outbox if m.to == ["person1@firma.example"])
    waiting = next(m for m in mail.outbox if m.to == ["person4@firma.example"])
    assert "für die Sie angemeldet sind" in confirmed.body and confirmed.attachments
    assert "Warteliste" not in confirmed.body
    assert "für die Sie auf der Warteliste stehen" in waiting.body
    assert "Sie stehen weiterhin auf der Warteliste an Position 2." in waiting.body
    assert "angemeldet sind" not in waiting.body and "sagen Sie bitte" not in waiting.body
    assert not waiting.attachments  # the calendar file comes with the confirmation
    assert not any("STATUS:CONFIRMED" in a[1] for a in waiting.attachments)
    # The old time is mentioned.
    from klimapakt.events import formatting
    assert "Bisher: " + formatting.when(old_start, full_event.ends_at) in confirmed.body


def test_a_new_place_only_does_not_speak_of_a_new_time(full_event, world, django_capture_on_commit_callbacks):
    update(full_event, world, django_capture_on_commit_callbacks, venue_name="Stadthaus")
    german = next(m for m in mail.outbox if m.to == ["person1@firma.example"])
    assert "neuen Termin" not in german.body and "zu einer anderen Zeit" not in german.body
    assert "an einem anderen Ort" in german.body
    html = german.alternatives[0][0]
    assert "neuen Termin" not in html and "Stadthaus" in html
    assert "Bisher:" in german.body


def person_data(n):
    return services.PersonData(first_name=f"Vorname{n}", last_name=f"Nachname{n}", email=f"person{n}@firma.example",
                               organisation=f"Firma {n}", privacy_consent=True)
