"""The English back office of events is English: titles, dates, question headers in exports."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from klimapakt.events import services
from klimapakt.events.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_event(make_event, person):
    event = make_event(title_de="Netzwerktreffen Wärme", title_en="Network meeting on heat", capacity=5)
    question = Question.objects.create(event=event, kind="single_choice", label_de="Essen", label_en="Food",
                                       choices_de="Fleisch\nFisch", choices_en="Meat\nFish")
    services.registration_create(event=event, person=person(1, language="en"), answers={question.pk: 1})
    return event


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def _de(name, *args):
    with translation.override("de"):
        return reverse(name, args=args)


@pytest.fixture
def office(client_for, world):
    return client_for(world["users"]["office"])


def test_the_evaluation_page_has_the_english_title(office, english_event):
    html = office.get(_en("event_office:evaluation", english_event.pk)).content.decode()
    assert "Network meeting on heat" in html and "Netzwerktreffen Wärme" not in html


@pytest.mark.parametrize("name", ["event_office:export_csv", "event_office:evaluation_csv"])
def test_csv_exports_have_english_question_headers(office, english_event, name):
    text = office.get(_en(name, english_event.pk)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "Food" in (rows[0] if name.endswith("export_csv") else [r[0] for r in rows[1:]])
    assert "Essen" not in text
    assert "Fish" in text


def test_xlsx_export_has_english_question_headers(office, english_event):
    from openpyxl import load_workbook

    data = office.get(_en("event_office:export_xlsx", english_event.pk)).content
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert rows[0][-1] == "Food" and rows[1][-1] == "Fish"


def test_german_exports_keep_german_headers(office, english_event):
    text = office.get(_de("event_office:export_csv", english_event.pk)).content.decode("utf-8-sig")
    assert "Essen" in text.splitlines()[0]


def test_the_audit_table_writes_times_as_the_english_pages_do(office, english_event):
    from klimapakt.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="events.registration.created").get()
    created = timezone.localtime(entry.created_at)
    registration = english_event.registrations.get()
    html = office.get(_en("event_office:registration", english_event.pk, registration.pk)).content.decode()
    assert f"{created.day} {created:%B %Y}, {created:%H:%M}" in html
    assert "p.m." not in html and "a.m." not in html
    html = office.get(_de("event_office:registration", english_event.pk, registration.pk)).content.decode()
    with translation.override("de"):
        from django.utils.formats import date_format
        assert f"{date_format(created, 'j. F Y')}, {created:%H:%M} Uhr" in html
