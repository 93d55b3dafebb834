"""What the public and the registered person see: one rule for open/closed and the waitlist on
the list, the event page and the form; the personal page after a cancellation; wording for
people on the waitlist; the logged-in member's own registration."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import services
from klimapakt.events.models import Event, Question, Registration

pytestmark = pytest.mark.django_db


def register(event, person, n, **kwargs):
    return services.registration_create(event=event, person=person(n, **kwargs))


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def badge(page: str) -> str:
    return re.search(r'kp-availability"><span class="kern-badge[^"]*"><span class="kern-label">([^<]*)<', page).group(1)


# ------------------------------------------------------------------ open or closed: one rule


def _in(**delta):
    return timezone.now() + datetime.timedelta(**delta)


CLOSED = {
    "deadline": (dict(registration_deadline=_in(minutes=-1)), "Anmeldeschluss vorbei", "Der Anmeldeschluss ist vorbei."),
    "closed": (dict(status=Event.Status.CLOSED), "Anmeldung geschlossen", "Die Anmeldung wurde geschlossen."),
    "begun": (dict(starts_at=_in(minutes=-30), ends_at=_in(hours=1)), "Anmeldung geschlossen",
              "Die Veranstaltung hat bereits begonnen."),
    "begun, deadline after the start": (
        dict(starts_at=_in(minutes=-30), ends_at=_in(hours=1), registration_deadline=_in(minutes=30)),
        "Anmeldung geschlossen", "Die Veranstaltung hat bereits begonnen."),
    "cancelled": (dict(status=Event.Status.CANCELLED), "Abgesagt", "Die Veranstaltung wurde abgesagt."),
}


@pytest.mark.parametrize("case", CLOSED)
def test_closed_registration_is_said_alike_on_list_page_and_form(client, make_event, person, case):
    fields, label, reason = CLOSED[case]
    event = make_event(capacity=10, **fields)
    assert not event.registration_open() and event.closed_reason() == reason
    with pytest.raises(services.RegistrationClosed):
        register(event, person, 1)
    listing = html(client, reverse("events:list"))
    assert badge(listing) == label and "frei" not in listing
    page = html(client, reverse("events:detail", args=[event.pk]))
    assert badge(page) == label and reason in page
    assert "von 10 frei" not in page and "Plätze frei" not in page
    assert reverse("events:register", args=[event.pk]) not in page
    assert reason in html(client, reverse("events:register", args=[event.pk]))


def test_open_event_shows_seats_left(client, make_event, person):
    event = make_event(capacity=3, registration_deadline=_in(days=1))
    register(event, person, 1)
    event.refresh_from_db()
    assert event.availability.state == "open" and event.availability.seats_left == 2
    assert badge(html(client, reverse("events:list"))) == "Noch 2 Plätze frei"
    page = html(client, reverse("events:detail", args=[event.pk]))
    assert badge(page) == "Noch 2 Plätze frei" and "2 von 3 frei" in page and "Jetzt anmelden" in page


def test_the_deadline_may_not_be_after_the_start(pact, world):
    office = world["users"]["office"]
    start = _in(days=10)
    fields = dict(pact=pact, actor=office, title_de="Workshop", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    with pytest.raises(ValidationError) as error:
        services.event_create(**fields, registration_deadline=start + datetime.timedelta(hours=1))
    assert list(error.value.message_dict) == ["registration_deadline"]
    assert "nicht nach dem Beginn" in error.value.message_dict["registration_deadline"][0]
    event = services.event_create(**fields, registration_deadline=start)  # until the start is fine
    with pytest.raises(ValidationError) as error:
        services.event_update(event=event, actor=office, registration_deadline=start + datetime.timedelta(minutes=1))
    assert list(error.value.message_dict) == ["registration_deadline"]


# ------------------------------------------------------------------ waitlist: nobody jumps the queue


def test_with_people_waiting_a_free_seat_is_not_offered(client, make_event, person, world):
    event = make_event(capacity=2)
    first = register(event, person, 1)
    register(event, person, 2)
    register(event, person, 3)  # waitlisted
    # The organiser moves a confirmed person to the front of the waitlist: a seat is free, two wait.
    services.registration_to_waitlist(registration=first, actor=world["users"]["office"])
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlist_length) == (1, 2)
    assert event.newcomer_waits() and event.availability.waitlist
    assert badge(html(client, reverse("events:list"))) == "Ausgebucht – Warteliste"
    page = html(client, reverse("events:detail", args=[event.pk]))
    assert badge(page) == "Ausgebucht – Warteliste"
    assert "1 von 2 frei" not in page and "2 Plätze, ausgebucht" in page and "2 Personen auf der Warteliste" in page
    assert "Auf die Warteliste setzen" in page and "Jetzt anmelden" not in page
    form = html(client, reverse("events:register", args=[event.pk]))
    assert "Auf die Warteliste setzen" in form and "Verbindlich anmelden" not in form
    assert register(event, person, 4).status == Registration.Status.WAITLISTED  # the page told the truth


def test_the_form_says_register_while_a_seat_is_free(client, make_event):
    event = make_event(capacity=2)
    form = html(client, reverse("events:register", args=[event.pk]))
    assert "Verbindlich anmelden" in form and "Auf die Warteliste setzen" not in form


# ------------------------------------------------------------------ the personal page


def test_after_the_event_is_cancelled_the_personal_page_only_says_so(client, make_event, person, world):
    event = make_event(capacity=5)
    Question.objects.create(event=event, kind="short_text", label_de="Ihre Erwartungen")
    confirmed = register(event, person, 1)
    services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=world["users"]["office"],
                              message="Der Referent ist erkrankt.\nWir laden zu einem neuen Termin ein.")
    page = html(client, reverse("events:registration", args=[confirmed.token]))
    assert "Die Veranstaltung wurde abgesagt." in page
    assert "Der Referent ist erkrankt.<br>Wir laden zu einem neuen Termin ein." in page
    assert "Ihr Platz ist bestätigt" not in page
    assert "In den Kalender eintragen" not in page and reverse("events:ical", args=[event.pk]) not in page
    assert 'name="question_' not in page and "Antworten speichern" not in page
    assert "Teilnahme absagen" not in page and "Absagen oder löschen" not in page
    assert "Anmeldung und Angaben löschen" in page
    # Cancelling is not offered any more, not even by address.
    response = client.get(reverse("events:registration_cancel", args=[confirmed.token]))
    assert response.status_code == 302


def test_the_cancellation_message_is_not_copied_to_a_duplicate(make_event, world):
    office = world["users"]["office"]
    event = services.event_set_status(event=make_event(), status=Event.Status.CANCELLED, actor=office,
                                      message="Fällt aus.")
    assert event.cancellation_message == "Fällt aus."
    assert services.event_duplicate(event=event, actor=office).cancellation_message == ""


def test_waitlisted_person_is_addressed_as_such(client, make_event, person):
    event = make_event(capacity=1)
    register(event, person, 1)
    waiting = register(event, person, 2)
    page = html(client, reverse("events:registration", args=[waiting.token]))
    assert "Von der Warteliste abmelden" in page and "Teilnahme absagen" not in page
    assert "Abmelden oder löschen" in page and "Absagen oder löschen" not in page
    cancel = html(client, reverse("events:registration_cancel", args=[waiting.token]))
    assert "Von der Warteliste abmelden" in cancel and "Ihr Platz" not in cancel
    delete = html(client, reverse("events:registration_delete", args=[waiting.token]))
    assert "Ihr Platz wird frei" not in delete and "Sie werden von der Warteliste genommen." in delete


def test_confirmed_person_is_told_the_seat_is_released(client, make_event, person):
    confirmed = register(make_event(capacity=1), person, 1)
    page = html(client, reverse("events:registration", args=[confirmed.token]))
    assert "Teilnahme absagen" in page and "Absagen oder löschen" in page
    assert "Ihr Platz wird frei." in html(client, reverse("events:registration_delete", args=[confirmed.token]))


def test_a_cancelled_registration_can_only_be_deleted(client, make_event, person):
    registration = register(make_event(), person, 1)
    services.registration_cancel(registration=registration)
    page = html(client, reverse("events:registration", args=[registration.token]))
    assert "Sie haben abgesagt. Sie haben keinen Platz und stehen nicht auf der Warteliste." in page
    assert "Absagen oder löschen" not in page and "Teilnahme absagen" not in page
    assert '<h2 class="kern-heading-medium">Anmeldung löschen</h2>' in page
    assert "In den Kalender eintragen" not in page


def test_deleting_a_cancelled_registration_speaks_of_no_seat(client, make_event, person):
    registration = register(make_event(), person, 1)
    services.registration_cancel(registration=registration)
    delete = html(client, reverse("events:registration_delete", args=[registration.token]))
    assert "endgültig löschen?" in delete and "Ihr Platz" not in delete and "Warteliste" not in delete


def test_mails_after_a_cancellation_or_decline_offer_no_changes(make_event, person, world,
                                                               django_capture_on_commit_callbacks):
    office = world["users"]["office"]
    event = make_event(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled, declined, remaining = (register(event, person, n) for n in (1, 2, 3))
        services.registration_cancel(registration=cancelled)
        services.registration_decline(registration=declined, actor=office)
        services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=office)
    mails = {m.to[0]: m for m in mail.outbox if "Anmeldung bestätigt" not in m.subject}
    assert set(mails) == {cancelled.email, declined.email, remaining.email}
    for message in mails.values():
        html_body = message.alternatives[0][0]
        for text in (message.body, html_body):
            assert "Antworten ändern" not in text and "absagen" not in text, message.subject
        assert "Anmeldung ansehen oder löschen" in message.body and "Anmeldung ansehen oder löschen" in html_body


# ------------------------------------------------------------------ the logged-in member


def test_a_registered_member_sees_the_registration_instead_of_register_now(client_for, world, make_event, person):
    event = make_event(capacity=1)
    member = world["users"]["member_a"]
    registration = services.registration_create(event=event, person=person(1, user=member))
    page = html(client_for(member), reverse("events:detail", args=[event.pk]))
    assert "Sie sind angemeldet. Ihr Platz ist bestätigt." in page and "Status:" not in page
    assert reverse("events:registration", args=[registration.token]) in page
    assert "Jetzt anmelden" not in page and "Auf die Warteliste setzen" not in page
    other = html(client_for(world["users"]["member_b"]), reverse("events:detail", args=[event.pk]))
    assert registration.token not in other and "Sie sind angemeldet" not in other
    assert registration.token not in html(client_for(None), reverse("events:detail", args=[event.pk]))


def test_registered_with_a_verified_address_of_the_account_counts_too(client_for, world, make_event, person):
    from allauth.account.models import EmailAddress

    event = make_event(capacity=1)
    register(event, person, 1)  # confirmed: the next one waits
    member = world["users"]["member_b"]
    waiting = register(event, person, 2, email="Bert@Beta.example")
    page = html(client_for(member), reverse("events:detail", args=[event.pk]))
    assert "Sie sind angemeldet und stehen auf der Warteliste." in page and waiting.token in page
    EmailAddress.objects.filter(user=member).update(verified=False)  # someone else's address, unproven
    page = html(client_for(member), reverse("events:detail", args=[event.pk]))
    assert waiting.token not in page and "Auf die Warteliste setzen" in page


def _registration_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "events_registration" in q["sql"]]


def test_the_event_page_asks_for_the_own_registration_only_when_logged_in(client_for, world, make_event, person):
    event = make_event(capacity=1)
    services.registration_create(event=event, person=person(1, user=world["users"]["member_a"]))
    url = reverse("events:detail", args=[event.pk])
    assert _registration_queries(client_for(None), url) == []
    assert len(_registration_queries(client_for(world["users"]["member_a"]), url)) == 1
    assert len(_registration_queries(client_for(world["users"]["member_b"]), url)) == 1
