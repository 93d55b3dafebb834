"""Online and hybrid events: the meeting link reaches confirmed people only (their personal page,
their confirmation, promotion and reminder mails) and the organisers; never the public page,
the calendar files, the API, the waitlist or people who cancelled."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import services
from klimapakt.events.models import Event, Registration

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/klimapakt-geheim-4711"


def _online(make_event, **fields):
    return make_event(format=Event.Format.ONLINE, venue_name="", venue_address="", meeting_url=LINK, **fields)


def _html(mail_message) -> str:
    return mail_message.alternatives[0][0] if mail_message.alternatives else ""


def _register(event, person, n, capture):
    with capture(execute=True):
        return services.registration_create(event=event, person=person(n))


def test_confirmed_person_gets_the_link_in_mail_and_on_the_personal_page_the_waitlisted_not(
        make_event, person, client, django_capture_on_commit_callbacks):
    event = _online(make_event, capacity=1)
    confirmed = _register(event, person, 1, django_capture_on_commit_callbacks)
    waiting = _register(event, person, 2, django_capture_on_commit_callbacks)
    assert (confirmed.status, waiting.status) == ("confirmed", "waitlisted")
    to_confirmed = next(m for m in mail.outbox if m.to == [confirmed.email])
    to_waiting = next(m for m in mail.outbox if m.to == [waiting.email])
    assert LINK in to_confirmed.body and LINK in _html(to_confirmed)
    assert LINK not in to_waiting.body and LINK not in _html(to_waiting)
    assert "Format: Online" in to_waiting.body  # the format is no secret, the link is
    # Not in the confirmed person's calendar file either (calendars get shared).
    calendar = [a for a in to_confirmed.attachments if a[0].endswith(".ics")]
    assert calendar and LINK not in calendar[0][1]

    page = client.get(reverse("events:registration", args=[confirmed.token])).content.decode()
    assert LINK in page and 'id="meeting-link"' in page
    page = client.get(reverse("events:registration", args=[waiting.token])).content.decode()
    assert LINK not in page


def test_the_link_is_never_on_the_public_page_the_calendar_files_or_the_api(make_event, client):
    event = _online(make_event)
    for url in (reverse("events:detail", args=[event.pk]), reverse("events:list"), reverse("events:feed"),
                reverse("events:ical", args=[event.pk]), "/api/v1/events", f"/api/v1/events/{event.pk}",
                reverse("events:register", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert LINK not in response.content.decode(), url
        assert "meet.example.org" not in response.content.decode(), url
    assert "Online" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert client.get("/api/v1/events").json()[0]["format"] == "online"
    assert client.get(f"/api/v1/events/{event.pk}").json()["format"] == "online"


def test_a_cancelled_person_loses_the_link_and_the_cancel_mail_does_not_carry_it(
        make_event, person, client, django_capture_on_commit_callbacks):
    event = _online(make_event)
    registration = _register(event, person, 1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    assert len(mail.outbox) == 1 and LINK not in mail.outbox[0].body and LINK not in _html(mail.outbox[0])
    page = client.get(reverse("events:registration", args=[registration.token])).content.decode()
    assert LINK not in page


def test_moving_up_from_the_waitlist_mails_the_link(make_event, person, django_capture_on_commit_callbacks):
    event = _online(make_event, capacity=1)
    first = _register(event, person, 1, django_capture_on_commit_callbacks)
    second = _register(event, person, 2, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    promoted = next(m for m in mail.outbox if m.to == [second.email])
    assert "Platz frei geworden" in promoted.body
    assert LINK in promoted.body and LINK in _html(promoted)
    assert not any(LINK in m.body for m in mail.outbox if m.to == [first.email])


def test_a_cancelled_event_shows_no_link(make_event, person, client, django_capture_on_commit_callbacks, world):
    event = _online(make_event)
    registration = _register(event, person, 1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=world["users"]["office"])
    assert mail.outbox and not any(LINK in m.body for m in mail.outbox)
    assert LINK not in client.get(reverse("events:registration", args=[registration.token])).content.decode()


def test_the_reminder_carries_the_link_to_the_confirmed_only(make_event, django_capture_on_commit_callbacks,
                                                             settings):
    settings.KLIMAPAKT_EVENT_REMINDER_DAYS = 2
    start = timezone.now() + datetime.timedelta(days=1)
    event = _online(make_event, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    old = timezone.now() - datetime.timedelta(days=3)
    Registration.objects.create(event=event, status="confirmed", first_name="A", last_name="A",
                                email="a@firma.example", organisation="F", created_at=old)
    Registration.objects.create(event=event, status="waitlisted", waitlist_order=1, first_name="B",
                                last_name="B", email="b@firma.example", organisation="F", created_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_event_reminders() == 1
    assert [m.to for m in mail.outbox] == [["a@firma.example"]]
    assert LINK in mail.outbox[0].body


def test_organisers_see_the_link_in_the_back_office(make_event, client_for, world):
    event = _online(make_event)
    page = client_for(world["users"]["office"]).get(reverse("event_office:overview", args=[event.pk]))
    assert LINK in page.content.decode()


def _form(**extra):
    data = {"kind": "network", "title_de": "Online-Treffen", "starts_at": "2031-05-06T16:00",
            "ends_at": "2031-05-06T18:00", "audience": "open", "capacity": "20"}
    data.update(extra)
    return data


def test_an_online_event_needs_no_venue_and_a_hybrid_one_does(client_for, world):
    office = client_for(world["users"]["office"])
    response = office.post(reverse("event_office:create"), _form(format="online", meeting_url=LINK))
    assert response.status_code == 302
    event = Event.objects.get(title_de="Online-Treffen")
    assert (event.format, event.meeting_url, event.venue_name) == ("online", LINK, "")

    response = office.post(reverse("event_office:create"), _form(title_de="Hybrid", format="hybrid"))
    assert response.status_code == 200
    assert "Eine hybride Veranstaltung braucht einen Ort" in response.content.decode()
    response = office.post(reverse("event_office:create"), _form(title_de="Hybrid", format="hybrid",
                                                                  venue_name="Rathaus", meeting_url=LINK))
    assert response.status_code == 302


@pytest.mark.parametrize("url, message", [
    ("http://meet.example.org/raum", "muss mit https:// beginnen"),
    ("javascript:alert(1)", "gültige"),
])
def test_the_meeting_link_must_be_https(client_for, world, url, message):
    response = client_for(world["users"]["office"]).post(reverse("event_office:create"),
                                                         _form(format="online", meeting_url=url))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.filter(title_de="Online-Treffen").exists()


def test_an_in_person_event_takes_no_meeting_link(client_for, world):
    response = client_for(world["users"]["office"]).post(reverse("event_office:create"),
                                                         _form(format="in_person", meeting_url=LINK))
    assert response.status_code == 200
    assert "Ein Zugangslink gehört zu einer Online- oder Hybrid-Veranstaltung" in response.content.decode()


def test_a_form_without_format_makes_an_in_person_event(client_for, world):
    response = client_for(world["users"]["office"]).post(reverse("event_office:create"), _form())
    assert response.status_code == 302
    assert Event.objects.get(title_de="Online-Treffen").format == Event.Format.IN_PERSON


def test_a_new_meeting_link_is_mailed_to_the_confirmed_only(make_event, person, world,
                                                              django_capture_on_commit_callbacks):
    """The reminder may have gone out already: a link added or changed later reaches the confirmed
    people by mail, not the waitlist."""
    event = _online(make_event, capacity=1)
    confirmed = _register(event, person, 1, django_capture_on_commit_callbacks)
    waiting = _register(event, person, 2, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    new_link = "https://meet.example.org/neuer-raum-0815"
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.event_update(event=event, actor=world["users"]["office"], meeting_url=new_link)
    assert updated.notified == 1
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    message = mail.outbox[0]
    assert "gilt ein neuer Zugangslink zur Online-Teilnahme" in message.body and new_link in message.body
    assert new_link in _html(message) and "Bisher:" not in message.body
    assert waiting.email not in [m.to[0] for m in mail.outbox]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the title alone: nobody is mailed
        assert services.event_update(event=event, actor=world["users"]["office"], title_de="Neuer Titel").notified == 0
    assert mail.outbox == []


def _hybrid(make_event, **fields):
    return make_event(format=Event.Format.HYBRID, meeting_url=LINK, **fields)


def test_online_participation_dropped_is_mailed_to_the_confirmed(make_event, person, world,
                                                                 django_capture_on_commit_callbacks):
    """Hybrid → in person with the same venue: the confirmed people who planned to join online
    must hear that they cannot (found by an attack pass: nobody was told)."""
    event = _hybrid(make_event, capacity=1)
    confirmed = _register(event, person, 1, django_capture_on_commit_callbacks)
    _register(event, person, 2, django_capture_on_commit_callbacks)  # waitlisted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.event_update(event=event, actor=world["users"]["office"],
                                        format=Event.Format.IN_PERSON, meeting_url="")
    assert updated.notified == 1 and [m.to for m in mail.outbox] == [[confirmed.email]]
    assert "findet nur noch vor Ort statt; online teilnehmen können Sie nicht mehr" in mail.outbox[0].body
    assert LINK not in mail.outbox[0].body


def test_a_removed_link_is_mailed_and_the_same_link_is_no_news(make_event, person, world,
                                                               django_capture_on_commit_callbacks):
    event = _hybrid(make_event, capacity=5)
    _register(event, person, 1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # hybrid → online, the link unchanged
        assert services.event_update(event=event, actor=world["users"]["office"], format=Event.Format.ONLINE,
                                     venue_name="", venue_address="").notified == 1  # the place changed
    assert "neuer Zugangslink" not in mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_update(event=event, actor=world["users"]["office"], meeting_url="").notified == 1
    assert "der bisherige Zugangslink zu der Veranstaltung, für die Sie angemeldet sind, gilt nicht mehr" in \
        mail.outbox[0].body


def test_a_new_time_and_a_new_link_come_in_one_mail(make_event, person, world, django_capture_on_commit_callbacks):
    event = _hybrid(make_event, capacity=1)
    confirmed = _register(event, person, 1, django_capture_on_commit_callbacks)
    waiting = _register(event, person, 2, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    new_link = "https://meet.example.org/neu-4712"
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=event, actor=world["users"]["office"], meeting_url=new_link,
                              starts_at=event.starts_at + datetime.timedelta(hours=1),
                              ends_at=event.ends_at + datetime.timedelta(hours=1))
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert "Außerdem gilt ein neuer Zugangslink" in by_person[confirmed.email] and new_link in by_person[confirmed.email]
    assert "Zugangslink" not in by_person[waiting.email] and new_link not in by_person[waiting.email]


def test_the_form_counts_only_people_a_mail_reaches(make_event, person, client_for, world,
                                                    django_capture_on_commit_callbacks):
    event = _online(make_event, capacity=5)
    _register(event, person, 1, django_capture_on_commit_callbacks)
    Registration.objects.create(event=event, status=Registration.Status.CONFIRMED, first_name="Ohne",
                                last_name="Adresse", email="", organisation="Firma")
    services.recount_events([event.pk])
    page = client_for(world["users"]["office"]).get(reverse("event_office:edit", args=[event.pk])).content.decode()
    assert "Einen neuen Zugangslink bekommt 1 bestätigte Person per E-Mail." in page
