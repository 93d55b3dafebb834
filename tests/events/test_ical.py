"""Calendar files: a SEQUENCE that rises with every change by the organiser, so an updated or
cancelled event replaces the entry calendars hold; page addresses from SITE_URL."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import ical, services
from klimapakt.events.models import Event

pytestmark = pytest.mark.django_db


def sequence_of(text: str) -> int:
    return int(re.search(r"^SEQUENCE:(\d+)\r$", text, re.M).group(1))


def unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


def an_hour_ago(event):
    """As if the event had last been changed an hour ago (changes in one second share a number)."""
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    event.refresh_from_db()
    return event


def test_the_cancellation_file_replaces_the_one_of_the_confirmation(make_event, person, world,
                                                                     django_capture_on_commit_callbacks):
    event = an_hour_ago(make_event())
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, person=person(1))
    confirmation = mail.outbox[-1].attachments[0][1]
    with django_capture_on_commit_callbacks(execute=True):
        services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=world["users"]["office"])
    cancellation = mail.outbox[-1].attachments[0][1]
    assert "STATUS:CONFIRMED" in confirmation and "STATUS:CANCELLED" in cancellation
    assert sequence_of(cancellation) > sequence_of(confirmation) > 0
    assert sequence_of(cancellation) < 2**31


def test_a_change_raises_the_sequence_and_counters_do_not(client, make_event, person, world):
    event = an_hour_ago(make_event(capacity=5))
    url = reverse("events:ical", args=[event.pk])
    before = sequence_of(client.get(url).content.decode())
    services.registration_create(event=event, person=person(1))  # seat counters only
    assert sequence_of(client.get(url).content.decode()) == before
    services.event_update(event=event, actor=world["users"]["office"], venue_name="Stadthaus, Raum 2")
    assert sequence_of(client.get(url).content.decode()) > before
    feed = client.get(reverse("events:feed")).content.decode()
    assert sequence_of(feed) == sequence_of(client.get(url).content.decode())


def test_the_page_address_comes_from_site_url_not_the_request(client, make_event, settings):
    settings.SITE_URL = "https://klimapakt.krefeld.example"
    settings.ALLOWED_HOSTS = ["*"]
    event = make_event(description_de="")
    page = f"https://klimapakt.krefeld.example/veranstaltungen/{event.pk}/"
    for url in (reverse("events:ical", args=[event.pk]), reverse("events:feed")):
        text = unfolded(client.get(url, HTTP_HOST="intern.example:8123").content.decode())
        assert f"URL:{page}\r" in text and "intern.example" not in text
        assert f"DESCRIPTION:{page}\r" in text  # no description: the address alone, no blank lines first
        assert f"UID:event-{event.pk}@klimapakt.krefeld.example" in text
    assert ical.event_url(event) == page
