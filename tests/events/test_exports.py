"""The registrations export (CSV, XLSX): phone numbers as typed, no formulas from user input."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from klimapakt.events import services
from klimapakt.events.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_with_phone(make_event, person):
    event = make_event(capacity=5)
    question = Question.objects.create(event=event, kind="short_text", label_de="Thema")
    services.registration_create(event=event, person=person(1, phone="+49 2151 123456"),
                                 answers={question.pk: "=SUMME(A1)"})
    services.registration_create(event=event, person=person(2, organisation="@Firma"), answers={})
    return event


def test_csv_keeps_phone_numbers_and_escapes_formulas(client_for, world, event_with_phone):
    office = client_for(world["users"]["office"])
    text = office.get(reverse("event_office:export_csv", args=[event_with_phone.pk])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    second = dict(zip(header, rows[2], strict=True))
    assert first["Telefon"] == "+49 2151 123456"
    assert first["Thema"] == "'=SUMME(A1)"
    assert second["Organisation"] == "'@Firma"


def test_xlsx_keeps_phone_numbers_and_writes_formulas_as_text(client_for, world, event_with_phone):
    from openpyxl import load_workbook

    office = client_for(world["users"]["office"])
    content = office.get(reverse("event_office:export_xlsx", args=[event_with_phone.pk])).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    first = dict(zip(rows[0], rows[1], strict=True))
    second = dict(zip(rows[0], rows[2], strict=True))
    assert first["Telefon"] == "+49 2151 123456"
    assert first["Thema"] == "=SUMME(A1)"
    assert second["Organisation"] == "@Firma"


@pytest.mark.parametrize(("name", "file_format"), [("event_office:export_csv", "csv"),
                                                   ("event_office:export_xlsx", "xlsx")])
def test_each_export_is_recorded_in_the_audit_log_once(client_for, world, event_with_phone, name, file_format):
    from klimapakt.core.models import AuditEntry

    office = client_for(world["users"]["office"])
    response = office.get(reverse(name, args=[event_with_phone.pk]))
    assert response["Cache-Control"] == "no-store"  # personal data: never cached
    [entry] = AuditEntry.objects.filter(action="events.registrations.exported")
    assert entry.data == {"format": file_format} and entry.actor == world["users"]["office"]


def test_evaluation_csv_escapes_formulas_in_questions_and_answers(client_for, world, make_event, person):
    event = make_event(capacity=5)
    question = Question.objects.create(event=event, kind="short_text", label_de="=Thema")
    services.registration_create(event=event, person=person(1), answers={question.pk: "=SUMME(A1)"})
    office = client_for(world["users"]["office"])
    text = office.get(reverse("event_office:evaluation_csv", args=[event.pk])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["Frage", "Art", "Antwort", "Anzahl"], ["'=Thema", "Kurzer Text", "'=SUMME(A1)", ""]]
