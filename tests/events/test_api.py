"""The events API in the documented error format and the request's language (QA audit):
unknown event first, then the body; configured languages only; Accept-Language for texts and
for schema errors."""

import json

import pytest
from django.utils import translation

from klimapakt.events.models import Event, Question, Registration

pytestmark = pytest.mark.django_db

BODY = {"first_name": "A", "last_name": "B", "email": "a@b.example", "organisation": "X", "privacy_consent": True}


def in_language(language, msgid):
    with translation.override(language):
        return translation.gettext(msgid)


def post(client, event_id, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(f"/api/v1/events/{event_id}/registrations", data, content_type="application/json", **headers)


def errors_of(response):
    data = response.json()
    assert set(data) == {"errors"}
    for item in data["errors"]:
        assert {"field", "message"} <= set(item)
    return {item["field"]: item["message"] for item in data["errors"]}


@pytest.mark.parametrize("body", [{}, "kein json", BODY | {"language": "fr"}])
def test_unknown_or_draft_event_is_404_whatever_the_body(client, make_event, body):
    draft = make_event(status=Event.Status.DRAFT)
    for event_id in (999999, draft.pk):
        response = post(client, event_id, body)
        assert response.status_code == 404
        assert errors_of(response) == {None: "Veranstaltung nicht gefunden."}


def test_language_must_be_a_configured_one(client, make_event):
    event = make_event(capacity=5)
    response = post(client, event.pk, BODY | {"language": "fr"})
    assert response.status_code == 400
    assert set(errors_of(response)) == {"language"}
    assert "de, en" in errors_of(response)["language"]
    assert not Registration.objects.exists()
    response = post(client, event.pk, BODY | {"language": "en"})
    assert response.status_code == 201
    assert Registration.objects.get().language == "en"


def test_schema_errors_are_sentences_in_the_requests_language(client, make_event):
    event = make_event(capacity=5)
    for accept, language in (("", "de"), ("de-DE,de;q=0.9", "de"), ("en-GB,en;q=0.8,de;q=0.5", "en")):
        headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
        response = post(client, event.pk, {}, **headers)
        assert response.status_code == 400
        assert set(errors_of(response)) == {"first_name", "last_name", "email", "organisation", "privacy_consent"}
        assert response["Content-Language"] == language
        response = post(client, event.pk, BODY | {"first_name": 5, "privacy_consent": "vielleicht",
                                                  "answers": "ja", "last_name": "x" * 151}, **headers)
        messages = errors_of(response)
        assert messages == {
            "first_name": in_language(language, "Bitte geben Sie einen Text an."),
            "privacy_consent": in_language(language, "Bitte geben Sie true oder false an."),
            "answers": in_language(language, "Bitte geben Sie ein JSON-Objekt an."),
            "last_name": in_language(language, "Bitte höchstens %(n)s Zeichen.") % {"n": 150},
        }
        response = post(client, event.pk, "{kein json", **headers)
        assert response.status_code == 400
        assert errors_of(response) == {None: in_language(language, "Der Inhalt der Anfrage ist kein gültiges JSON.")}
        response = post(client, event.pk, [1, 2], **headers)
        assert response.status_code == 400
        assert errors_of(response) == {None: in_language(language, "Bitte geben Sie ein JSON-Objekt an.")}
    english = post(client, event.pk, {}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Field required" not in english and "Input should be" not in english


def test_an_empty_body_gets_every_problem_in_one_answer(client, make_event):
    """Audit 2, bug 8: {} named only the four schema fields; consent and the required answers
    came in a second round, and a missing field had two different messages."""
    event = make_event(capacity=5)
    required = Question.objects.create(event=event, kind="yes_no", label_de="Vegetarisch?", required=True)
    Question.objects.create(event=event, kind="short_text", label_de="Anmerkung")
    for language in ("de", "en"):
        response = post(client, event.pk, {}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert errors_of(response) == {
            "first_name": in_language(language, "Bitte geben Sie %(field)s an.") % {
                "field": in_language(language, "Vorname")},
            "last_name": in_language(language, "Bitte geben Sie %(field)s an.") % {
                "field": in_language(language, "Nachname")},
            "organisation": in_language(language, "Bitte geben Sie %(field)s an.") % {
                "field": in_language(language, "Organisation")},
            "email": in_language(language, "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@firma.de."),
            "privacy_consent": in_language(
                language, "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben."),
            f"answers.{required.pk}": in_language(language, "Bitte beantworten Sie diese Frage."),
        }
    assert not Registration.objects.exists()


def test_a_wrong_type_does_not_hide_the_other_problems(client, make_event):
    event = make_event(capacity=5)
    required = Question.objects.create(event=event, kind="number", label_de="Wie viele?", required=True)
    response = post(client, event.pk, {"first_name": 5, "language": "fr", "email": "a@b.example"})
    assert response.status_code == 400
    messages = errors_of(response)
    assert set(messages) == {"first_name", "language", "last_name", "organisation", "privacy_consent",
                             f"answers.{required.pk}"}
    assert messages["first_name"] == "Bitte geben Sie einen Text an."
    assert not Registration.objects.exists()
    # Nothing but a schema error left: still no registration.
    response = post(client, event.pk, BODY | {"language": "fr", "answers": {str(required.pk): 2}})
    assert response.status_code == 400
    assert set(errors_of(response)) == {"language"}
    assert not Registration.objects.exists()


def test_a_known_address_with_an_incomplete_body_is_told_it_is_registered(client, make_event, mailoutbox):
    event = make_event(capacity=5)
    assert post(client, event.pk, BODY).status_code == 201
    response = post(client, event.pk, {"email": BODY["email"]})
    assert response.status_code == 409
    assert set(errors_of(response)) == {"email"}


def test_partners_only_event_does_not_ask_an_api_client_to_sign_in(client, make_event):
    event = make_event(capacity=5, audience=Event.Audience.PARTNERS)
    for language in ("de", "en"):
        for body in (BODY, {}):
            response = post(client, event.pk, body, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 403
            assert errors_of(response) == {None: in_language(
                language, "Diese Veranstaltung ist nur für Klimapartner; über die API ist keine Anmeldung möglich.")}
    assert not Registration.objects.exists()


def test_events_list_follows_accept_language(client, make_event):
    make_event(title_de="Netzwerktreffen Wärme", title_en="Network meeting heat")
    make_event(title_de="Nur deutsch", title_en="")
    german = client.get("/api/v1/events")
    assert [e["title"] for e in german.json()] == ["Netzwerktreffen Wärme", "Nur deutsch"]
    assert german["Content-Language"] == "de" and "Accept-Language" in german["Vary"]
    english = client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert [e["title"] for e in english.json()] == ["Network meeting heat", "Nur deutsch"]
    assert english["Content-Language"] == "en"
    assert client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE="fr-FR").json()[0]["title"] == "Netzwerktreffen Wärme"


def test_the_site_language_is_untouched_by_the_api_rule(client, pact):
    assert client.get("/en/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "de"


def test_openapi_documents_the_registration_body(client, pact):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/events/{event_id}/registrations"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"first_name", "last_name", "email", "organisation", "privacy_consent"}
    assert schema["properties"]["language"]["enum"] == ["de", "en"]
    assert "404" in operation["responses"]


def test_not_found_uses_the_error_format(client, db):
    response = client.get("/api/v1/pact", HTTP_ACCEPT_LANGUAGE="en")  # no pact configured yet
    assert response.status_code == 404
    assert errors_of(response) == {None: in_language("en", "Nicht gefunden.")}


def test_throttling_uses_the_error_format(client, make_event, settings):
    settings.API_THROTTLE_RATE = "1/m"
    event = make_event(capacity=5)
    post(client, event.pk, BODY)
    response = post(client, event.pk, BODY | {"email": "c@d.example"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert errors_of(response) == {None: in_language("en", "Zu viele Anfragen. Bitte warten Sie einen Moment.")}
