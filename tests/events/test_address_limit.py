"""Registrations are limited per e-mail address as well as per client: each one mails its
address, so a client changing its IP address must not sign a stranger up for every event
(attack pass, issue 11). A duplicate names nobody and resends the link at most every five minutes."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from klimapakt.core.models import OutboxMail
from klimapakt.events.models import Registration

pytestmark = pytest.mark.django_db

BODY = {"first_name": "Zacharias", "last_name": "Quellbrunn", "email": "zq@firma.example", "organisation": "Quellbrunn GmbH",
        "privacy_consent": True}


def api_post(client, event, body, ip):
    return client.post(f"/api/v1/events/{event.pk}/registrations", json.dumps(body),
                       content_type="application/json", REMOTE_ADDR=ip)


@pytest.fixture
def low_limit(settings):
    settings.EVENTS_REGISTRATION_EMAIL_RATE = "3/h"


def test_the_api_limits_registrations_per_address_whatever_the_client(client, make_event, low_limit):
    events = [make_event(capacity=10) for _ in range(5)]
    answers = [api_post(client, event, BODY, ip=f"10.0.0.{i}") for i, event in enumerate(events)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert answers[3].json()["errors"][0]["field"] == "email"
    assert Registration.objects.count() == 3


def test_the_address_limit_ignores_case_and_spaces(client, make_event, low_limit):
    events = [make_event(capacity=10) for _ in range(4)]
    for i, email in enumerate(["zq@firma.example", "ZQ@firma.example", " Zq@Firma.Example "]):
        assert api_post(client, events[i], BODY | {"email": email}, ip="10.0.0.1").status_code == 201
    assert api_post(client, events[3], BODY, ip="10.0.0.2").status_code == 429


def test_another_address_is_not_limited_by_the_first(client, make_event, low_limit):
    events = [make_event(capacity=10) for _ in range(4)]
    for event in events[:3]:
        api_post(client, event, BODY, ip="10.0.0.1")
    assert api_post(client, events[3], BODY | {"email": "jemand@anders.example"}, ip="10.0.0.1").status_code == 201


def test_the_web_form_limits_registrations_per_address(client, make_event, low_limit):
    events = [make_event(capacity=10) for _ in range(4)]
    data = {"first_name": "Zacharias", "last_name": "Quellbrunn", "email": "zq@firma.example",
            "organisation": "Quellbrunn GmbH", "language": "de", "privacy_consent": "on"}
    statuses = [client.post(reverse("events:register", args=[e.pk]), data, REMOTE_ADDR=f"10.0.1.{i}").status_code
                for i, e in enumerate(events)]
    assert statuses == [302, 302, 302, 429]
    response = client.post(reverse("events:register", args=[events[3].pk]), data)
    assert "zu viele Anmeldungen" in response.context["form"].errors["email"][0]
    assert Registration.objects.count() == 3


def test_the_limit_is_counted_in_the_database_not_the_cache(client, make_event, low_limit):
    from django.core.cache import cache

    events = [make_event(capacity=10) for _ in range(4)]
    for i, event in enumerate(events[:3]):
        assert api_post(client, event, BODY, ip=f"10.0.2.{i}").status_code == 201
        cache.clear()  # another web worker, a restarted cache: the count stays
    assert api_post(client, events[3], BODY, ip="10.0.2.9").status_code == 429


def test_a_duplicate_names_nobody_and_resends_the_link_at_most_every_five_minutes(
        client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=10)
    assert api_post(client, event, BODY, ip="10.0.0.1").status_code == 201
    first = OutboxMail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_post(client, event, BODY | {"first_name": "Mallory", "last_name": "X", "organisation": "Y"},
                          ip="10.0.0.9")
        again = api_post(client, event, BODY, ip="10.0.0.8")
    assert answer.status_code == again.status_code == 409
    text = answer.content.decode()
    registration = Registration.objects.get()
    for personal in ("Zacharias", "Quellbrunn", "zq@firma.example", registration.token, "confirmed"):
        assert personal not in text
    assert OutboxMail.objects.count() == first + 1  # one resent link for two duplicates
    assert mail.outbox[-1].to == ["zq@firma.example"] and registration.token in mail.outbox[-1].body
