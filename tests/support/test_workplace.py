"""The advisor's workplace and the office's view: who sees which requests and notes, the
former holder, the grant, the overview's numbers and export, the firms, the event answers,
the start block, and query counts independent of the number of requests."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .test_workplace_world import make_desk, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    return make_desk(world)


def inbox_text(client, **params):
    response = client.get(reverse("support_office:inbox"), params)
    assert response.status_code == 200
    return response.content.decode()


def detail(support_request):
    return reverse("support_office:request", args=[support_request.pk])


# --------------------------------------------------------------------------- scope

def test_advisor_sees_only_the_requests_of_their_institution(desk, client_for):
    text = inbox_text(client_for(desk["advisor"]))
    assert "Alpha Bäckerei GmbH" in text and "Beta Metallbau KG" not in text
    hwk_text = inbox_text(client_for(desk["hwk_advisor"]))
    assert "Beta Metallbau KG" in hwk_text and "Alpha Bäckerei GmbH" not in hwk_text
    office_text = inbox_text(client_for(desk["office"]))
    assert "Alpha Bäckerei GmbH" in office_text and "Beta Metallbau KG" in office_text


def test_advisor_of_another_institution_is_refused_by_url(desk, client_for):
    from klimapakt.support.services.conversation import note_add

    note_add(support_request=desk["at_hwk"], actor=desk["hwk_advisor"], body="Geheime HWK-Notiz")
    c = client_for(desk["advisor"])
    sr = desk["at_hwk"]
    for url in (detail(sr), reverse("support_office:granted_data", args=[sr.pk])):
        response = c.get(url)
        assert response.status_code == 403
        assert "Geheime HWK-Notiz" not in response.content.decode()
    assert c.post(reverse("support_office:note_add", args=[sr.pk]), {"note-body": "x"}).status_code == 403
    assert c.post(reverse("support_office:message_post", args=[sr.pk]), {"message-body": "x"}).status_code == 403
    # members never reach the back office's pages
    member = client_for(desk["users"]["member_b"])
    assert member.get(detail(sr)).status_code == 403
    assert member.get(reverse("support_office:inbox")).status_code == 403


def test_notes_stay_with_their_institution_and_the_office_reads_all(desk, client_for):
    from klimapakt.support.services.conversation import note_add
    from klimapakt.support.services.requests import request_forward

    sr = desk["at_ihk"]
    note_add(support_request=sr, actor=desk["advisor"], body="IHK: Erstgespräch geführt")
    note_add(support_request=sr, actor=desk["office"], body="Geschäftsstelle: bitte zügig")
    request_forward(support_request=sr, actor=desk["advisor"], institution=desk["hwk"], reason="Handwerk")
    note_add(support_request=sr, actor=desk["hwk_advisor"], body="HWK: Termin vor Ort")
    ihk = client_for(desk["advisor"]).get(detail(sr)).content.decode()
    hwk = client_for(desk["hwk_advisor"]).get(detail(sr)).content.decode()
    office = client_for(desk["office"]).get(detail(sr)).content.decode()
    assert "IHK: Erstgespräch geführt" in ihk and "HWK: Termin vor Ort" not in ihk
    assert "Geschäftsstelle: bitte zügig" not in ihk
    assert "HWK: Termin vor Ort" in hwk and "IHK: Erstgespräch geführt" not in hwk
    assert all(n in office for n in ("IHK: Erstgespräch", "HWK: Termin vor Ort", "Geschäftsstelle: bitte zügig"))


def test_former_holder_tab(desk, client_for):
    from klimapakt.support.services.requests import request_forward

    request_forward(support_request=desk["at_ihk"], actor=desk["advisor"], institution=desk["hwk"], reason="Handwerk")
    c = client_for(desk["advisor"])
    assert "Alpha Bäckerei GmbH" not in inbox_text(c)
    assert "Alpha Bäckerei GmbH" in inbox_text(c, ansicht="frueher")
    # the HWK held its own request all along: nothing "früher" there
    assert "Beta Metallbau KG" not in inbox_text(client_for(desk["hwk_advisor"]), ansicht="frueher")


def test_filters(desk, client_for):
    ihk = desk["ihk"]
    late = make_request(desk["org_b"], institution=ihk, topics=("mobility",), days_ago=10, due_in=-2)
    answered = make_request(desk["org_b"], institution=ihk, topics=("mobility",), days_ago=10, due_in=-2,
                            first_answer_at=timezone.now(), status="accepted")
    c = client_for(desk["advisor"])
    text = inbox_text(c, ueberfaellig="1")
    assert f"Nr. {late.pk}<" in text and f"Nr. {answered.pk}<" not in text and f"Nr. {desk['at_ihk'].pk}<" not in text
    assert "überfällig</span>" in text
    text = inbox_text(c, thema="mobility")
    assert f"Nr. {late.pk}<" in text and f"Nr. {desk['at_ihk'].pk}<" not in text
    text = inbox_text(c, status="accepted")
    assert f"Nr. {answered.pk}<" in text and f"Nr. {late.pk}<" not in text
    unassigned = make_request(desk["org_a"])
    office = client_for(desk["office"])
    text = inbox_text(office, einrichtung="ohne")
    assert f"Nr. {unassigned.pk}<" in text and f"Nr. {desk['at_ihk'].pk}<" not in text
    text = inbox_text(office, einrichtung=str(desk["hwk"].pk))
    assert f"Nr. {desk['at_hwk'].pk}<" in text and f"Nr. {desk['at_ihk'].pk}<" not in text
    assert inbox_text(office, status="bogus", thema="<script>", einrichtung="x")   # ignored, not an error


def _many(desk, n):
    ihk, hwk = desk["ihk"], desk["hwk"]
    from klimapakt.core.models import User

    advisor = User.objects.get(pk=desk["advisor"].pk)
    for i in range(n):
        make_request(desk["org_a"] if i % 2 else desk["org_b"], institution=[ihk, hwk, None][i % 3],
                     status=["new", "accepted", "done", "in_progress"][i % 4], topics=("heat", "funding"),
                     advisor=advisor if i % 3 == 0 and i % 4 else None, due_in=(i % 5) - 2)


@pytest.mark.parametrize("who", ["advisor", "office"])
def test_inbox_queries_do_not_grow_with_requests(desk, client_for, who):
    c = client_for(desk[who])
    url = reverse("support_office:inbox")
    c.get(url)
    _many(desk, 5)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    _many(desk, 45)
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 12


def test_overview_and_firms_queries_do_not_grow(desk, client_for):
    c = client_for(desk["office"])
    for name in ("support_office:overview", "support_office:firms"):
        c.get(reverse(name))   # warm: the session, the pact
    counts = {}
    for n in (5, 45):
        _many(desk, n)
        for name in ("support_office:overview", "support_office:firms"):
            with CaptureQueriesContext(connection) as queries:
                assert c.get(reverse(name)).status_code == 200
            counts.setdefault(name, []).append(len(queries))
    assert all(a == b for a, b in counts.values()), counts
    assert counts["support_office:overview"][0] <= 10


# --------------------------------------------------------------------------- request page

def test_request_page_shows_what_the_firm_shared(desk, client_for):
    from klimapakt.partners.models import Organisation

    Organisation.objects.filter(pk=desk["org_a"].pk).update(employees=12, sector="C", craft_business=True)
    text = client_for(desk["advisor"]).get(detail(desk["at_ihk"])).content.decode()
    for expected in ("Alpha Bäckerei GmbH", "Anna Alpha", "anna@alpha.example", "Kleine Organisation (10 bis 49)",
                     "C – ", "Wärme", "Wir möchten unsere Heizung erneuern.", "Ich bin einverstanden.",
                     "Anfrage annehmen", "Interne Notizen", "Verlauf"):
        assert expected in text, expected
    assert "Einer Einrichtung zuordnen" not in text   # the office's action


# --------------------------------------------------------------------------- grant

def test_granted_data_only_with_an_active_grant_and_every_reading_is_logged(desk, client_for):
    from klimapakt.core.formatting import number
    from klimapakt.core.models import AuditEntry
    from klimapakt.partners.models import Target
    from klimapakt.reports.models import Measure
    from klimapakt.support.services.requests import grant_set
    from tests.reports.conftest import add_balance

    sr = desk["at_ihk"]
    url = reverse("support_office:granted_data", args=[sr.pk])
    c = client_for(desk["advisor"])
    response = c.get(url)
    assert response.status_code == 403 and "keine Einsicht" in response.content.decode()
    Target.objects.create(organisation=desk["org_a"], base_year=2023, target_year=2035, reduction_percent=40,
                          scopes="1+2", signed=True)
    Measure.objects.create(organisation=desk["org_a"], title="Wärmepumpe Backstube", category="heat")
    balance = add_balance(desk["org_a"], 2023)
    grant_set(support_request=sr, actor=desk["users"]["member_a"], granted=True)
    response = c.get(url)
    text = response.content.decode()
    assert response.status_code == 200 and "Wärmepumpe Backstube" in text and "2035" in text
    assert number(balance.totals()["total_location"], 3) in text
    assert client_for(desk["office"]).get(url).status_code == 200
    entries = AuditEntry.objects.filter(action="support.grant.read", object_id=str(sr.pk))
    assert entries.count() == 2 and {e.actor_id for e in entries} == {desk["advisor"].pk, desk["office"].pk}
    assert "Maßnahmen (1)" in entries.first().data["section"]
    assert client_for(desk["hwk_advisor"]).get(url).status_code == 403
    assert client_for(desk["users"]["member_a"]).get(url).status_code == 403
    grant_set(support_request=sr, actor=desk["users"]["member_a"], granted=False)
    assert c.get(url).status_code == 403
    assert entries.count() == 2


# --------------------------------------------------------------------------- overview

def test_overview_counts_a_hand_made_set(desk):
    from klimapakt.support.models import SupportRequest
    from klimapakt.support.selectors.workplace import institution_overview

    SupportRequest.objects.all().delete()
    ihk, hwk, org = desk["ihk"], desk["hwk"], desk["org_a"]
    today = timezone.localdate()
    now = timezone.now()
    make_request(org, institution=ihk)                                              # new, not late
    make_request(org, institution=ihk, due_in=-1)                                   # new, overdue
    make_request(org, institution=ihk, status="accepted", first_answer_at=now, due_in=0)   # answered in time
    make_request(org, institution=ihk, status="done", outcome="measure_planned", first_answer_at=now,
                 due_in=-3, closed_at=now)                                          # answered late
    make_request(org, institution=ihk, status="done", outcome="advice_given", first_answer_at=now, due_in=2)
    make_request(org, institution=hwk, status="declined", first_answer_at=now, due_in=1)
    make_request(org, institution=hwk, status="withdrawn")
    make_request(org)                                                               # unassigned
    make_request(org, status="draft")                                               # not counted
    last_year = make_request(org, institution=ihk)
    SupportRequest.objects.filter(pk=last_year.pk).update(sent_at=now.replace(year=today.year - 1))
    data = institution_overview(desk["pact"], today.year)
    rows = {r["institution"].short_name: r for r in data["rows"]}
    assert {k: rows["IHK"][k] for k in ("total", "open", "new", "overdue", "answered_in_time", "done", "declined")} \
        == {"total": 5, "open": 3, "new": 2, "overdue": 1, "answered_in_time": 2, "done": 2, "declined": 0}
    labels = data["outcome_labels"]
    assert rows["IHK"]["outcomes"][labels.index("Maßnahme geplant")] == 1
    assert rows["IHK"]["outcomes"][labels.index("Beratung erfolgt")] == 1
    assert {k: rows["HWK"][k] for k in ("total", "open", "declined", "withdrawn", "answered_in_time")} \
        == {"total": 2, "open": 0, "declined": 1, "withdrawn": 1, "answered_in_time": 1}
    assert rows["WFG"]["total"] == 0
    assert data["unassigned"]["total"] == 1 and data["unassigned"]["open"] == 1
    assert data["totals"]["total"] == 7
    assert institution_overview(desk["pact"], today.year - 1)["totals"]["total"] == 1


def test_overview_xlsx_has_german_headers_and_is_logged(desk, client_for):
    from openpyxl import load_workbook

    from klimapakt.core.models import AuditEntry

    response = client_for(desk["office"]).get(reverse("support_office:overview_xlsx"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Einrichtung", "Anfragen", "Offen", "Neu", "Überfällig", "Fristgerecht beantwortet")
    assert "Maßnahme geplant" in rows[0]
    names = [r[0] for r in rows[1:]]
    assert "Industrie- und Handelskammer Mittlerer Niederrhein" in names
    assert "Ohne Einrichtung (noch nicht zugeordnet)" in names
    ihk_row = next(r for r in rows if r[0].startswith("Industrie"))
    assert ihk_row[1] == 1
    assert AuditEntry.objects.filter(action="support.overview.exported").count() == 1
    assert client_for(desk["advisor"]).get(reverse("support_office:overview_xlsx")).status_code == 403
    assert client_for(desk["office"]).get(reverse("support_office:overview"), {"jahr": "1800"}).status_code == 404


# --------------------------------------------------------------------------- firms

def test_firms_of_an_institution(desk, client_for):
    make_request(desk["org_a"], institution=desk["ihk"], status="done", topics=("funding",))
    text = client_for(desk["advisor"]).get(reverse("support_office:firms")).content.decode()
    assert "Alpha Bäckerei GmbH" in text and "Beta Metallbau KG" not in text
    assert "Fördermittel" in text and "Anna Alpha" in text
    office = client_for(desk["office"]).get(reverse("support_office:firms")).content.decode()
    assert "Beta Metallbau KG" in office


# --------------------------------------------------------------------------- event answers

def _event_answers(desk, *, consent=True):
    from klimapakt.events.models import Answer, Event, Question, Registration

    start = timezone.now() + datetime.timedelta(days=5)
    event = Event.objects.create(pact=desk["pact"], title_de="Energie-Stammtisch", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), status="published")
    need = Question.objects.create(event=event, kind="long_text", label_de="Wobei brauchen Sie Hilfe?",
                                   role="support_need")
    agree = Question.objects.create(event=event, kind="yes_no", label_de="Anfrage vorbereiten?",
                                    role="support_consent")
    registration = Registration.objects.create(event=event, status="confirmed", first_name="Anna", last_name="Alpha",
                                               email="anna@alpha.example", organisation="Alpha",
                                               user=desk["users"]["member_a"])
    answer = Answer.objects.create(registration=registration, question=need, text="Förderung für eine Wärmepumpe")
    Answer.objects.create(registration=registration, question=agree, boolean=consent)
    stranger = Registration.objects.create(event=event, status="confirmed", first_name="Otto", last_name="Ohne",
                                           email="otto@example.org", organisation="Ohne")
    Answer.objects.create(registration=stranger, question=need, text="Ohne Konto")
    Answer.objects.create(registration=stranger, question=agree, boolean=True)
    return answer


def test_event_needs_lists_consenting_members_and_prepares_a_draft(desk, client_for):
    from klimapakt.support.models import SupportRequest

    answer = _event_answers(desk)
    c = client_for(desk["office"])
    url = reverse("support_office:event_needs")
    text = c.get(url).content.decode()
    assert "Förderung für eine Wärmepumpe" in text and "Ohne Konto" not in text
    assert "Entwurf vorbereiten" in text
    response = c.post(url, {"answer": answer.pk, "organisation": desk["org_a"].pk})
    assert response.status_code == 302
    draft = SupportRequest.objects.get(source_answer=answer)
    assert draft.status == "draft" and draft.organisation == desk["org_a"]
    text = c.get(url).content.decode()
    assert "Entwurf vorbereitet" in text
    c.post(url, {"answer": answer.pk, "organisation": desk["org_a"].pk})
    assert SupportRequest.objects.filter(source_answer=answer).count() == 1
    # an organisation the person does not belong to is refused
    assert c.post(url, {"answer": answer.pk, "organisation": desk["org_b"].pk}).status_code == 302
    assert client_for(desk["advisor"]).get(url).status_code == 403


def test_event_needs_without_consent_are_not_listed(desk, client_for):
    _event_answers(desk, consent=False)
    text = client_for(desk["office"]).get(reverse("support_office:event_needs")).content.decode()
    assert "Förderung für eine Wärmepumpe" not in text


# --------------------------------------------------------------------------- start block

def test_start_block_counts(desk, client_for, rf):
    from klimapakt.support.selectors.workplace import start_block

    make_request(desk["org_a"], institution=desk["ihk"], due_in=-3)
    make_request(desk["org_a"])
    request = rf.get("/")
    request.user = desk["advisor"]
    assert start_block(request) == {"new": 2, "overdue": 1, "office": False}
    request.user = desk["office"]
    assert start_block(request)["new"] == 1 and start_block(request)["overdue"] == 1
    request.user = desk["users"]["member_a"]
    assert start_block(request) is None


def test_start_block_renders_on_the_start_page_template(desk, rf):
    from django.template.loader import render_to_string

    from klimapakt.support.selectors.workplace import start_block

    make_request(desk["org_a"], due_in=-3)
    request = rf.get("/")
    request.user = desk["office"]
    html = render_to_string("support/blocks/start_requests.html", {"block": start_block(request)})
    assert "1 neue Anfrage ohne Einrichtung" in html and "1 überfällig" in html
    assert "?ueberfaellig=1" in html and "einrichtung=ohne" in html


def test_overview_and_inbox_follow_a_new_request_at_once(world, member, office, client_for):
    """The overview's counts and the inbox's total are kept until a request changes
    (core.derived, issue 18): a new request shows on their next view."""
    from django.urls import reverse
    from django.utils import timezone

    from klimapakt.support.selectors import workplace
    from klimapakt.support.services import requests

    pact, year = world["pact"], timezone.localdate().year

    def sent() -> int:
        overview = workplace.institution_overview(pact, year)
        return overview["totals"]["total"] + overview["unassigned"]["total"]

    client = client_for(office)
    inbox = reverse("support_office:inbox")
    assert sent() == 0 and world["org_a"].name not in client.get(inbox).content.decode()
    requests.request_create(organisation=world["org_a"], actor=member, offer=None, topics=["heat"],
                            description="Wir möchten unsere Heizung erneuern.", consent=True)
    assert sent() == 1 and world["org_a"].name in client.get(inbox).content.decode()
