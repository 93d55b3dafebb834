"""A choice given by its number is read only from ASCII digits: "²".isdigit() is true but int()
fails, and "３" (full-width) or "٣" (Arabic-Indic) were read as choice 3 (attack pass, issue 11)."""

import json

import pytest

from klimapakt.core.utils import parse_int
from klimapakt.events.models import Question, Registration

pytestmark = pytest.mark.django_db

BODY = {"first_name": "A", "last_name": "B", "email": "a@b.example", "organisation": "X", "privacy_consent": True}


@pytest.mark.parametrize("text, expected", [("0", 0), ("12", 12), ("²", None), ("３", None), ("٣", None),
                                            ("", None), ("-1", None), (" 1", None)])
def test_only_ascii_digits_are_a_number(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("answer", ["²", "１", "٣", "¹"])
def test_a_choice_in_other_digits_is_a_clear_error_not_a_choice(client, make_event, answer):
    event = make_event(capacity=5)
    question = Question.objects.create(event=event, kind=Question.Kind.SINGLE_CHOICE, label_de="Essen",
                                       choices_de="Fleisch\nFisch\nVegetarisch\nVegan", required=True)
    response = client.post(f"/api/v1/events/{event.pk}/registrations",
                           json.dumps(BODY | {"answers": {str(question.pk): answer}}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == f"answers.{question.pk}"
    assert not Registration.objects.exists()


def test_a_choice_in_ascii_digits_still_works(client, make_event):
    event = make_event(capacity=5)
    question = Question.objects.create(event=event, kind=Question.Kind.MULTIPLE_CHOICE, label_de="Essen",
                                       choices_de="Fleisch\nFisch\nVegetarisch\nVegan")
    response = client.post(f"/api/v1/events/{event.pk}/registrations",
                           json.dumps(BODY | {"answers": {str(question.pk): ["1", "3"]}}),
                           content_type="application/json")
    assert response.status_code == 201
    assert Registration.objects.get().answers.get().choices == [1, 3]
