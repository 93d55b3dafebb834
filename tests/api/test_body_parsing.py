"""JSON bodies nested thousands of levels deep (attack pass, issue 11): Python's json module
recursed until RecursionError, a 500. The API refuses them with a 400 in its error format."""

import datetime
import json

import pytest
from django.utils import timezone

from klimapakt.api.errors import MAX_JSON_DEPTH, json_depth_exceeds

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000
TOO_DEEP = {None: "Der Inhalt der Anfrage ist zu tief verschachtelt."}


@pytest.fixture
def event(pact):
    from klimapakt.events.models import Event

    start = timezone.now() + datetime.timedelta(days=14)
    return Event.objects.create(pact=pact, title_de="Netzwerktreffen", title_en="Network meeting", starts_at=start,
                                ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus", capacity=5,
                                status=Event.Status.PUBLISHED)


def errors_of(response) -> dict:
    return {item["field"]: item["message"] for item in response.json()["errors"]}


def register(client, event, body, **headers):
    return client.post(f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json", **headers)


@pytest.mark.parametrize("body", [DEEP, '{"answers": {"1": ' + DEEP + "}}", "{" + '"a":{' * 5000 + "}" * 5001])
def test_deeply_nested_json_to_the_registration_api_is_a_400(client, event, body):
    response = register(client, event, body)
    assert response.status_code == 400
    assert errors_of(response) == TOO_DEEP


def test_the_message_follows_accept_language(client, event):
    response = register(client, event, DEEP, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors_of(response) == {None: "The request body is nested too deeply."}


def test_deeply_nested_json_to_an_endpoint_with_a_body_schema_is_a_400(client, pact):
    # /calculate declares its body schema: ninja parses it (with the API's parser)
    response = client.post("/api/v1/calculate", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == TOO_DEEP


def test_brackets_inside_strings_do_not_count(client, event):
    body = {"first_name": "[" * 5000, "last_name": "B", "email": "a@b.example", "organisation": "X",
            "privacy_consent": True}
    response = register(client, event, json.dumps(body))
    assert response.status_code == 400  # the name is too long, the body itself is fine
    assert set(errors_of(response)) == {"first_name"}


def test_depth_limit():
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds('["\\"[[[[", {"a": "]]]"}]', limit=2)
