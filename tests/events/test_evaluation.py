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


# ------------------------------------------------------------------ shares, chart, CSV (QA audit)

def test_multiple_choice_share_is_of_the_people_who_answered(answered_event):
    e = _by_kind(evaluation(event=answered_event))
    multiple = e["multiple_choice"]
    assert multiple["share_of_respondents"] is True
    # 3 people answered; 2, 1 and 3 of them ticked the options: more than 100 % together.
    assert [r["percent"] for r in multiple["rows"]] == [67, 33, 100]
    assert [r["percent"] for r in e["single_choice"]["rows"]] == [25, 50, 25]  # share of the answers
    assert e["single_choice"]["share_of_respondents"] is False
    assert [r["percent"] for r in e["yes_no"]["rows"]] == [67, 33]


@pytest.fixture
def office_client(client_for, world, answered_event):
    answered_event.organisers.set([world["pact"].initial_partners.get(short_name="IHK")])
    return client_for(world["users"]["office"])


def test_evaluation_page_says_what_the_share_is_of(office_client, answered_event):
    import re

    from django.urls import reverse

    html = office_client.get(reverse("event_office:evaluation", args=[answered_event.pk])).content.decode()
    sections = dict(re.findall(r'<h2 class="kern-heading-small" id="q\d+">\d+\. (\w+)</h2>(.*?)</section>', html, re.S))
    assert "Anteil der Personen" in sections["multiple_choice"]
    assert "bezieht sich auf die 3 Personen, die die Frage beantwortet haben" in sections["multiple_choice"]
    assert "Anteil der Antworten" in sections["single_choice"] and "Anteil der Personen" not in sections["single_choice"]
    assert ">100\u00a0%<" in sections["multiple_choice"]  # the house format (core.formatting.percent)


def test_chart_labels_keep_at_least_14px_on_any_width(office_client, answered_event):
    """The chart was a scaled viewBox: 13px labels shrank to about 11px (and less on a phone).
    Without a viewBox the SVG's units are CSS pixels, so the stylesheet's size is what is shown."""
    import re
    from pathlib import Path

    from django.conf import settings
    from django.urls import reverse

    html = office_client.get(reverse("event_office:evaluation", args=[answered_event.pk])).content.decode()
    charts = re.findall(r"<svg[^>]*>", html)
    assert charts and all("viewBox" not in svg and 'width="100%"' in svg for svg in charts)
    assert all("kp-answer-chart" in svg for svg in charts)
    css = (Path(settings.BASE_DIR) / "klimapakt" / "static" / "klimapakt" / "events.css").read_text()
    size = re.search(r"\.kp-answer-chart text \{[^}]*font-size: (\d+)px", css)
    assert size and int(size.group(1)) >= 14
    assert re.search(r'<rect class="kp-bar" x="0" y="26" width="88\.0%"', html)  # the largest bar, "." not ","


def test_csv_download_honours_the_free_text_filter(office_client, answered_event):
    from django.urls import reverse

    url = reverse("event_office:evaluation_csv", args=[answered_event.pk])
    html = office_client.get(reverse("event_office:evaluation", args=[answered_event.pk]) + "?q=netz").content.decode()
    assert f'href="{url}?q=netz"' in html and 'id="evaluation-filter-note"' in html
    filtered = office_client.get(url + "?q=netz").content.decode("utf-8-sig")
    assert "netzwerk" in filtered and "Netzwerken" in filtered and "Mehr Förderung" not in filtered
    assert "short_text;Kurzer Text;netzwerk;" in filtered
    assert "multiple_choice;Mehrfachauswahl;blau;3" in filtered  # counts stay complete, like the page
    everything = office_client.get(url).content.decode("utf-8-sig")
    assert "Mehr Förderung" in everything
