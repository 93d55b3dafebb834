"""GET /api/v1/events/{id} (issue 15, "A complete public API"): the public event with its
agenda and questions, linked from the list, 404 for what the public page does not show,
cacheable with an ETag, in the language asked for; and a client registers with nothing but
what it returns."""

import datetime

import pytest
from django.utils import timezone

from klimapakt.events.models import AgendaItem, Event, Question, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_event, pact):
    event = make_event(capacity=10, description_de="Wärme aus der Tiefe", description_en="Heat from below")
    event.organisers.set([pact.initial_partners.get(short_name="IHK")])
    AgendaItem.objects.create(event=event, position=1, title_de="Begrüßung", title_en="Welcome")
    AgendaItem.objects.create(event=event, position=2, title_de="Erdwärme im Betrieb", title_en="Geothermal heat")
    Question.objects.create(event=event, position=1, kind="single_choice", label_de="Welcher Workshop?",
                            label_en="Which workshop?", required=True, choices_de="Wärme\nStrom\nMobilität",
                            choices_en="Heat\nPower\nMobility")
    Question.objects.create(event=event, position=2, kind="multiple_choice", label_de="Themen",
                            label_en="Topics", required=True, choices_de="PV\nSpeicher\nWärmepumpe")
    Question.objects.create(event=event, position=3, kind="yes_no", label_de="Vegetarisch?", required=True)
    Question.objects.create(event=event, position=4, kind="number", label_de="Beschäftigte", required=True)
    Question.objects.create(event=event, position=5, kind="short_text", label_de="Anmerkung", required=False)
    return event


def get(client, event_id, **headers):
    return client.get(f"/api/v1/events/{event_id}", **headers)


def test_detail_has_agenda_and_questions(client, event):
    response = get(client, event.pk)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == event.pk and data["title"] == "Netzwerktreffen" and data["status"] == "published"
    assert data["description"] == "Wärme aus der Tiefe" and data["audience"] == "open"
    assert data["registration_open"] is True and data["closed_reason"] == ""
    assert data["agenda"] == [{"title": "Begrüßung"}, {"title": "Erdwärme im Betrieb"}]
    assert data["organisers"][0]["short_name"] == "IHK"
    assert data["url"] == f"http://testserver/api/v1/events/{event.pk}"
    assert data["registrations_url"] == f"http://testserver/api/v1/events/{event.pk}/registrations"
    assert data["page_url"].startswith("http://testserver/veranstaltungen/")
    first, *_ = data["questions"]
    assert first == {"id": first["id"], "kind": "single_choice", "label": "Welcher Workshop?", "help": "",
                     "required": True, "choices": [{"id": 0, "label": "Wärme"}, {"id": 1, "label": "Strom"},
                                                   {"id": 2, "label": "Mobilität"}]}
    assert [q["kind"] for q in data["questions"]] == ["single_choice", "multiple_choice", "yes_no", "number",
                                                      "short_text"]
    assert [q["choices"] for q in data["questions"][2:]] == [[], [], []]


def test_the_list_links_to_each_event(client, event):
    listed = client.get("/api/v1/events").json()
    assert [item["url"] for item in listed] == [f"http://testserver/api/v1/events/{event.pk}"]
    assert get(client, event.pk).json()["url"] == listed[0]["url"]


def test_english_by_query_or_header(client, event):
    for headers, path in (({}, f"/api/v1/events/{event.pk}?lang=en"),
                          ({"HTTP_ACCEPT_LANGUAGE": "en"}, f"/api/v1/events/{event.pk}")):
        response = client.get(path, **headers)
        data = response.json()
        assert response["Content-Language"] == "en"
        assert data["title"] == "Network meeting" and data["description"] == "Heat from below"
        assert data["agenda"][1] == {"title": "Geothermal heat"}
        assert data["questions"][0]["label"] == "Which workshop?"
        assert [c["label"] for c in data["questions"][0]["choices"]] == ["Heat", "Power", "Mobility"]
        assert data["questions"][1]["label"] == "Topics"  # English missing: German
        assert data["page_url"].startswith("http://testserver/en/veranstaltungen/")
    # ?lang wins over the header; an unknown one is ignored
    assert client.get(f"/api/v1/events/{event.pk}?lang=de", HTTP_ACCEPT_LANGUAGE="en").json()["title"] == \
        "Netzwerktreffen"
    assert client.get(f"/api/v1/events/{event.pk}?lang=fr").json()["title"] == "Netzwerktreffen"


def test_etag_and_304(client, event):
    first = get(client, event.pk)
    etag = first["ETag"]
    assert etag.startswith('"') and "max-age=" in first["Cache-Control"]
    again = get(client, event.pk, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    # Another language is another representation.
    assert client.get(f"/api/v1/events/{event.pk}?lang=en", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # A change (a seat taken) gives a new ETag.
    Event.objects.filter(pk=event.pk).update(seats_taken=1)
    changed = get(client, event.pk, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_404_for_what_the_public_page_does_not_show(client, make_event):
    draft = make_event(status=Event.Status.DRAFT)
    for event_id in (draft.pk, 999999):
        response = get(client, event_id)
        assert response.status_code == 404
        assert response.json() == {"errors": [{"field": None, "message": "Veranstaltung nicht gefunden."}]}
    # Cancelled and past events stay visible (as on the website), closed for registration.
    cancelled = make_event(status=Event.Status.CANCELLED)
    data = get(client, cancelled.pk).json()
    assert data["status"] == "cancelled" and data["registration_open"] is False
    assert data["closed_reason"] == "Die Veranstaltung wurde abgesagt."
    start = timezone.now() - datetime.timedelta(days=3)
    past = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert get(client, past.pk).json()["registration_open"] is False


def _answer(question):
    """What a client answers to a question, knowing only the API's description of it."""
    if question["kind"] == "single_choice":
        return question["choices"][-1]["id"]
    if question["kind"] == "multiple_choice":
        return [c["id"] for c in question["choices"][:2]]
    return {"yes_no": True, "number": 12, "short_text": "gern", "long_text": "gern"}[question["kind"]]


def test_a_client_registers_with_only_what_the_detail_returns(client, event):
    import json

    data = get(client, event.pk).json()
    answers = {str(q["id"]): _answer(q) for q in data["questions"] if q["required"]}
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@firma.example", "organisation": "Firma",
            "privacy_consent": True, "answers": answers}
    response = client.post(data["registrations_url"].removeprefix("http://testserver"), json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    stored = {a.question.label_de: a for a in registration.answers.select_related("question")}
    assert stored["Welcher Workshop?"].choices == [2]
    assert stored["Themen"].choices == [0, 1]
    assert stored["Vegetarisch?"].boolean is True
    # Without the required answers the API names each missing one by its key.
    response = client.post(data["registrations_url"].removeprefix("http://testserver"),
                           json.dumps(body | {"email": "bob@firma.example", "answers": {}}),
                           content_type="application/json")
    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["errors"]}
    assert fields == {f"answers.{q['id']}" for q in data["questions"] if q["required"]}
