"""Participants are reminded of their event, with the link to cancel (send_event_reminders)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from klimapakt.core.models import AuditEntry
from klimapakt.events import services
from klimapakt.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def local(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def event_on(make_event, days: int, hour: int = 10, **fields) -> Event:
    start = local(days, hour)
    return make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=3), **fields)


def registration(event, n: int, *, status="confirmed", age=datetime.timedelta(days=3), **fields) -> Registration:
    return Registration.objects.create(
        event=event, status=status, first_name=f"Vorname{n}", last_name=f"Nachname{n}",
        email=f"person{n}@firma.example", organisation="Firma", created_at=timezone.now() - age,
        waitlist_order=n if status == "waitlisted" else None, **fields)


def send(**kwargs) -> int:
    return services.send_event_reminders(**kwargs)


def test_confirmed_participants_are_reminded_once_in_their_language(
        make_event, django_capture_on_commit_callbacks, settings):
    settings.KLIMAPAKT_EVENT_REMINDER_DAYS = 2
    event = event_on(make_event, 1)
    ada = registration(event, 1)
    eve = registration(event, 2, language="en")
    registration(event, 3, status="waitlisted")
    registration(event, 4, status="cancelled")
    fresh = registration(event, 5, age=datetime.timedelta(hours=2))  # just got the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        assert send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [ada.email, eve.email]
    german = next(m for m in mail.outbox if m.to == [ada.email])
    assert german.subject == "Erinnerung: Netzwerktreffen"
    assert f"/veranstaltungen/anmeldung/{ada.token}/" in german.body
    assert "damit Ihr Platz für andere frei wird" in german.body
    assert german.attachments[0][0].endswith(".ics") and "BEGIN:VEVENT" in german.attachments[0][1]
    english = next(m for m in mail.outbox if m.to == [eve.email])
    assert english.subject == "Reminder: Network meeting"
    assert "/en/" in english.body and "cancel" in english.body
    ada.refresh_from_db()
    fresh.refresh_from_db()
    assert ada.reminded_at is not None and fresh.reminded_at is None
    assert AuditEntry.objects.get(action="events.reminders.sent").data["count"] == 2

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send() == 0  # the next run (or a second scheduler) sends nothing again
    assert mail.outbox == []


def test_only_events_that_take_place_within_the_days(make_event, settings):
    settings.KLIMAPAKT_EVENT_REMINDER_DAYS = 2
    reminded = [event_on(make_event, 1, 9), event_on(make_event, 2, 22),
                event_on(make_event, 2, 18, status=Event.Status.CLOSED)]  # registration closed, event takes place
    not_yet = event_on(make_event, 3, 0)
    cancelled = event_on(make_event, 1, status=Event.Status.CANCELLED)
    draft = event_on(make_event, 1, status=Event.Status.DRAFT)
    begun = make_event(starts_at=timezone.now() - datetime.timedelta(minutes=5),
                       ends_at=timezone.now() + datetime.timedelta(hours=2))
    for n, event in enumerate([*reminded, not_yet, cancelled, draft, begun]):
        registration(event, n)
    assert send() == 3
    assert set(Registration.objects.filter(reminded_at__isnull=False).values_list("event", flat=True)) == {
        e.pk for e in reminded}
    # A day later the next event is due.
    assert send(now=timezone.now() + datetime.timedelta(days=1)) == 1


def test_days_zero_switches_reminders_off_and_the_command_takes_days(make_event, settings):
    settings.KLIMAPAKT_EVENT_REMINDER_DAYS = 0
    event = event_on(make_event, 1)
    registration(event, 1)
    call_command("send_event_reminders", verbosity=0)
    assert Registration.objects.get().reminded_at is None
    call_command("send_event_reminders", "--days", "1", verbosity=0)
    assert Registration.objects.get().reminded_at is not None


def test_the_scheduler_runs_the_reminders_daily():
    import datetime

    from klimapakt.core.scheduler import schedule

    assert ("send_event_reminders", datetime.time(7, 0)) in schedule()
