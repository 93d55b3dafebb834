"""The organiser's evaluation: counts per choice, yes/no, a summary of numbers and the free
texts, over confirmed, waitlisted and cancelled registrations (declined ones do not count)."""

from decimal import Decimal

import pytest

from klimapakt.events.models import Answer, Question, Registration
from klimapakt.events.selectors import evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_event(make_event):
    event = make_event(capacity=50)
    q = {kind: Question.objects.create(event=event, position=i, kind=kind, label_de=kind,
                                       choices_de="rot\ngrün\nblau" if "choice" in kind else "")
         for i, kind in enumerate(["short_text", "long_text", "single_choice", "multiple_choice", "yes_no", "number"])}
    rows = [  # status, short text, long text, single, multiple, yes/no, number
        ("confirmed", "Mehr Förderung", "", [1], [0, 2], True, Decimal("12.50")),
        ("confirmed", "netzwerk", "Austausch", [1], [2], False, Decimal("3")),
        ("waitlisted", "", "ÄRGER mit Anträgen", [0], [], True, None),
        ("cancelled", "Netzwerken", "", [2], [0, 1, 2], None, Decimal("0.25")),
        ("declined", "abgelehnt", "abgelehnt", [0], [0], True, Decimal("1000")),
    ]
    for n, (status, short, long, single, multiple, yes_no, number) in enumerate(rows):
        r = Registration.objects.create(event=event, status=status, first_name="V", last_name=f"N{n}",
                                        email=f"p{n}@firma.example", organisation="Firma",
                                        waitlist_order=n if status == "waitlisted" else None)
        for kind, values in (("short_text", {"text": short}), ("long_text", {"text": long}),
                             ("single_choice", {"choices": single}), ("multiple_choice", {"choices": multiple}),
                             ("yes_no", {"boolean": yes_no}), ("number", {"number": number})):
            if any(v not in ("", None, []) for v in values.values()):
                Answer.objects.create(registration=r, question=q[kind], **values)
    return event


def _by_kind(entries):
    return {e["question"].kind: e for e in entries}


def test_counts_summaries_and_texts(answered_event):
    e = _by_kind(evaluation(event=answered_event))
    assert [e[k]["answered"] for k in ("short_text", "long_text", "single_choice", "multiple_choice", "yes_no",
                                       "number")] == [3, 2, 4, 3, 3, 3]
    assert [(r["label"], r["count"], r["percent"]) for r in e["single_choice"]["rows"]] == [
        ("rot", 1, 25), ("grün", 2, 50), ("blau", 1, 25)]
    assert [(r["label"], r["count"]) for r in e["multiple_choice"]["rows"]] == [("rot", 2), ("grün", 1), ("blau", 3)]
    assert [r["count"] for r in e["yes_no"]["rows"]] == [2, 1]
    assert e["number"]["numbers"] == {"count": 3, "sum": Decimal("15.75"), "min": Decimal("0.25"),
                                      "max": Decimal("12.50"), "mean": Decimal("5.25")}
    assert e["short_text"]["texts"] == ["Mehr Förderung", "netzwerk", "Netzwerken"]
    assert e["long_text"]["texts"] == ["Austausch", "ÄRGER mit Anträgen"]


def test_free_texts_filter_ignores_case_also_for_umlauts(answered_event):
    e = _by_kind(evaluation(event=answered_event, query="NETZ"))
    assert e["short_text"]["texts"] == ["netzwerk", "Netzwerken"]
    assert _by_kind(evaluation(event=answered_event, query="ärger"))["long_text"]["texts"] == ["ÄRGER mit Anträgen"]
    assert e["single_choice"]["rows"][1]["count"] == 2  # the filter is for free texts only


def test_numbers_without_answers(make_event):
    event = make_event()
    Question.objects.create(event=event, kind="number", label_de="Zahl")
    assert evaluation(event=event)[0]["numbers"] == {"count": 0, "sum": None, "min": None, "max": None,
                                                      "mean": None}
