import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klimapakt.events import services
from klimapakt.events.models import Event, Question, Registration

pytestmark = pytest.mark.django_db


def form_data(n=1, **extra):
    data = {"first_name": f"Vorname{n}", "last_name": f"Nachname{n}", "email": f"p{n}@firma.example",
            "organisation": "Firma", "phone": "", "language": "de", "privacy_consent": "on"}
    data.update(extra)
    return data


def test_list_shows_upcoming_first_and_archive(client, make_event):
    past = make_event(title_de="Auftaktworkshop", starts_at=timezone.now() - datetime.timedelta(days=400),
                      ends_at=timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(hours=4),
                      status=Event.Status.CLOSED)
    soon = make_event(title_de="Bald", starts_at=timezone.now() + datetime.timedelta(days=2),
                      ends_at=timezone.now() + datetime.timedelta(days=2, hours=2))
    later = make_event(title_de="Später")
    draft = make_event(title_de="Geheimer Entwurf", status=Event.Status.DRAFT)
    html = client.get(reverse("events:list")).content.decode()
    assert html.index(soon.title_de) < html.index(later.title_de) < html.index("Archiv") < html.index(past.title_de)
    assert draft.title_de not in html
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404


def test_event_page_shows_details_seats_and_deadline(client, make_event, pact, django_capture_on_commit_callbacks):
    event = make_event(capacity=3, description_de="Ein **wichtiges** Treffen.")
    event.organisers.set(pact.initial_partners.all()[:2])
    event.agenda_items.create(position=1, title_de="Zweitens")
    event.agenda_items.create(position=0, title_de="Erstens")
    services.registration_create(event=event, person=services.PersonData(
        first_name="A", last_name="B", email="a@b.example", organisation="X", privacy_consent=True))
    html = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Geplante Inhalte" in html and html.index("Erstens") < html.index("Zweitens")
    assert "2 von 3 frei" in html
    assert "<strong>wichtiges</strong>" in html
    assert pact.initial_partners.first().name in html
    assert "Anmeldeschluss" in html
    assert reverse("events:ical", args=[event.pk]) in html


def test_register_through_the_form(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    q = Question.objects.create(event=event, kind="single_choice", label_de="Größe", choices_de="klein\ngroß",
                                required=True)
    url = reverse("events:register", args=[event.pk])
    response = client.get(url)
    assert "Datenschutzhinweise" in response.content.decode()
    # Errors: named, accessible, nothing written
    response = client.post(url, form_data(email="kaputt", privacy_consent=""))
    html = response.content.decode()
    assert response.status_code == 200 and "Bitte prüfen Sie Ihre Angaben" in html
    assert 'aria-invalid="true"' in html and "Datenschutzhinweise gelesen haben" in html
    assert "Bitte beantworten Sie diese Frage" in html or "Pflichtfeld" in html or "erforderlich" in html
    assert not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(**{f"question_{q.pk}": "1"}))
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:registration",
                                                                            args=[registration.token])
    assert registration.answers.get().choices == [1]
    assert len(mail.outbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Ihr Platz ist bestätigt" in page
    assert response.wsgi_request is not None
    # Full: the next one goes to the waitlist and sees the position
    response = client.post(url, form_data(2, **{f"question_{q.pk}": "0"}), follow=True)
    assert "Warteliste an Position 1" in response.content.decode()


def test_duplicate_registration_is_told_not_an_error(client, make_event, django_capture_on_commit_callbacks):
    event = make_event()
    url = reverse("events:register", args=[event.pk])
    client.post(url, form_data())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(first_name="Anders"))
    html = response.content.decode()
    assert response.status_code == 200 and "bereits angemeldet" in html
    registration = Registration.objects.get()
    assert registration.token not in html  # the link goes only to the mailbox
    assert len(mail.outbox) == 1 and registration.token in mail.outbox[0].body


def test_logged_in_member_gets_the_form_prefilled(client_for, world, make_event):
    event = make_event()
    html = client_for(world["users"]["member_a"]).get(reverse("events:register", args=[event.pk])).content.decode()
    assert 'value="anna@alpha.example"' in html and 'value="Alpha Bäckerei GmbH"' in html and 'value="Anna"' in html


def test_closed_registration_page(client, make_event):
    event = make_event(status=Event.Status.CLOSED)
    response = client.get(reverse("events:register", args=[event.pk]))
    assert "Anmeldung wurde geschlossen" in response.content.decode()
    response = client.post(reverse("events:register", args=[event.pk]), form_data())
    assert not Registration.objects.exists()


def test_personal_link_change_answers_cancel_delete(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    q = Question.objects.create(event=event, kind="long_text", label_de="Erwartungen")
    first = services.registration_create(event=event, answers={q.pk: "Austausch"}, person=services.PersonData(
        first_name="Erste", last_name="Person", email="e@x.example", organisation="X", privacy_consent=True))
    second = services.registration_create(event=event, person=services.PersonData(
        first_name="Zweite", last_name="Person", email="z@x.example", organisation="Y", privacy_consent=True))
    url = reverse("events:registration", args=[first.token])
    response = client.get(url)
    assert response["X-Robots-Tag"] == "noindex" and "Austausch" in response.content.decode()
    client.post(url, {f"question_{q.pk}": "Förderung"})
    assert first.answers.get().text == "Förderung"
    mail.outbox.clear()
    assert "absagen" in client.get(reverse("events:registration_cancel", args=[first.token])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:registration_cancel", args=[first.token]))
    second.refresh_from_db()
    assert second.status == "confirmed"
    assert {m.to[0] for m in mail.outbox} == {"e@x.example", "z@x.example"}
    client.post(reverse("events:registration_delete", args=[first.token]))
    assert not Registration.objects.filter(pk=first.pk).exists()
    assert client.get(url).status_code == 404


def test_ical_files(client, make_event):
    event = make_event(title_de="Netzwerktreffen Energie")
    response = client.get(reverse("events:ical", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Netzwerktreffen Energie" in response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="veranstaltung-{event.pk}.ics"'
    english = client.get(reverse("events:ical", args=[event.pk]).replace("/veranstaltungen/", "/en/veranstaltungen/"))
    assert english["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
    feed = client.get(reverse("events:feed")).content.decode()
    assert feed.count("BEGIN:VEVENT") == 1


def test_api_list_and_register(client, make_event, settings):
    event = make_event(capacity=1)
    q = Question.objects.create(event=event, kind="yes_no", label_de="Vegetarisch?", required=True)
    make_event(status=Event.Status.DRAFT)
    data = client.get("/api/v1/events").json()
    assert [e["id"] for e in data] == [event.pk]
    assert set(data[0]) == {"id", "title", "starts_at", "ends_at", "venue", "format", "capacity", "seats_taken",
                            "waitlist_length", "registration_open", "url"}
    url = f"/api/v1/events/{event.pk}/registrations"
    body = {"first_name": "A", "last_name": "B", "email": "a@b.example", "organisation": "X",
            "answers": {str(q.pk): True}, "privacy_consent": True}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json() == {"status": "confirmed", "waitlist_position": None}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "email"
    response = client.post(url, body | {"email": "c@d.example", "answers": {}, "privacy_consent": False},
                           content_type="application/json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {f"answers.{q.pk}", "privacy_consent"}
    response = client.post(url, body | {"email": "c@d.example"}, content_type="application/json")
    assert response.json() == {"status": "waitlisted", "waitlist_position": 1}
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CLOSED)
    response = client.post(url, body | {"email": "e@f.example"}, content_type="application/json")
    assert response.status_code == 409
    partners = make_event(audience=Event.Audience.PARTNERS)
    response = client.post(f"/api/v1/events/{partners.pk}/registrations", body, content_type="application/json")
    assert response.status_code == 403
    assert client.post("/api/v1/events/999999/registrations", body, content_type="application/json").status_code == 404


def test_api_is_throttled_per_client_with_the_setting(client, make_event, settings):
    settings.API_THROTTLE_RATE = "2/m"
    event = make_event(capacity=10)
    url = f"/api/v1/events/{event.pk}/registrations"
    codes = [client.post(url, {"first_name": "A", "last_name": "B", "email": f"{i}@b.example",
                               "organisation": "X", "privacy_consent": True}, content_type="application/json").status_code
             for i in range(3)]
    assert codes == [201, 201, 429]
    other = client.post(url, {}, content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 400  # another client is not throttled


# ------------------------------------------------------------------ organiser side

@pytest.fixture
def full_event(make_event, pact):
    event = make_event(capacity=2, title_de="Netzwerktreffen PV")
    event.organisers.set([pact.initial_partners.get(short_name="IHK")])
    q1 = Question.objects.create(event=event, position=1, kind="single_choice", label_de="Größe",
                                 choices_de="klein\nmittel\ngroß")
    q2 = Question.objects.create(event=event, position=2, kind="long_text", label_de="Erwartungen")
    for n, (choice, text) in enumerate([(0, "=SUMME(A1)"), (2, "Förderung"), (2, "Netzwerk")], 1):
        services.registration_create(event=event, answers={q1.pk: choice, q2.pk: text}, person=services.PersonData(
            first_name=f"V{n}", last_name=f"Nach-{n}",  # a hyphen never occurs in a CSRF token
            email=f"p{n}@x.example", organisation=f"Org {n}",
            privacy_consent=True))
    return event


def test_organiser_pages_render(client_for, world, full_event):
    office = client_for(world["users"]["office"])
    for name in ("overview", "edit", "questions", "registrations", "check_in", "message", "evaluation"):
        response = office.get(reverse(f"event_office:{name}", args=[full_event.pk]))
        assert response.status_code == 200, name
    html = office.get(reverse("event_office:registrations", args=[full_event.pk]) + "?status=waitlisted").content.decode()
    assert "Nach-3" in html and "Nach-1" not in html
    html = office.get(reverse("event_office:registrations", args=[full_event.pk]) + "?q=org 2").content.decode()
    assert "Nach-2" in html and "Nach-1" not in html
    html = office.get(reverse("event_office:evaluation", args=[full_event.pk])).content.decode()
    assert "<svg" in html and "<table" in html and "Förderung" in html
    html = office.get(reverse("event_office:evaluation", args=[full_event.pk]) + "?q=netz").content.decode()
    assert "Netzwerk" in html and "Förderung" not in html


def test_advisor_of_another_institution_is_refused(client_for, world, full_event, pact):
    from klimapakt.core.models import InitialPartner

    full_event.organisers.set([pact.initial_partners.exclude(short_name="IHK").first()])
    advisor = client_for(world["users"]["advisor"])
    assert advisor.get(reverse("event_office:overview", args=[full_event.pk])).status_code == 403
    assert advisor.get(reverse("event_office:export_csv", args=[full_event.pk])).status_code == 403
    assert full_event.title_de not in advisor.get(reverse("event_office:list")).content.decode()
    assert InitialPartner.objects.exists()


def test_exports_contain_all_fields_and_answers(client_for, world, full_event):
    office = client_for(world["users"]["office"])
    csv_text = office.get(reverse("event_office:export_csv", args=[full_event.pk])).content.decode("utf-8-sig")
    header = csv_text.splitlines()[0].split(";")
    assert {"Vorname", "Nachname", "E-Mail-Adresse", "Organisation", "Status", "Größe", "Erwartungen",
            "Einwilligung (Fassung)"} <= set(header)
    assert "'=SUMME(A1)" in csv_text  # no formula injection
    assert "großer" not in csv_text and ";groß;" in csv_text
    from openpyxl import load_workbook

    response = office.get(reverse("event_office:export_xlsx", args=[full_event.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert len(rows) == 4 and "Erwartungen" in rows[0]
    pdf = office.get(reverse("event_office:attendance_pdf", args=[full_event.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ev = office.get(reverse("event_office:evaluation_csv", args=[full_event.pk])).content.decode("utf-8-sig")
    assert "Größe;Einfachauswahl;groß;2" in ev


def test_check_in_toggle_with_htmx_and_without(client_for, world, full_event):
    office = client_for(world["users"]["office"])
    registration = full_event.registrations.filter(status="confirmed").first()
    url = reverse("event_office:check_in_toggle", args=[full_event.pk, registration.pk])
    response = office.post(url, {"attended": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "kp-checkin__row--present" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended
    response = office.post(url, {"attended": "0"})
    assert response.status_code == 302 and response["Location"].endswith(f"#r{registration.pk}")
    registration.refresh_from_db()
    assert not registration.attended


def test_organiser_creates_publishes_and_edits_questionnaire(client_for, world, pact):
    office = client_for(world["users"]["office"])
    ihk = pact.initial_partners.get(short_name="IHK")
    response = office.post(reverse("event_office:create"), {
        "kind": "network", "title_de": "Neues Treffen", "starts_at": "2031-05-06T16:00", "ends_at": "2031-05-06T18:00",
        "venue_name": "Rathaus", "organisers": [ihk.pk], "audience": "open", "capacity": "20",
        "agenda_de": "Begrüßung\nVortrag\n\nDiskussion", "agenda_en": "Welcome\nTalk\nDiscussion"})
    event = Event.objects.get(title_de="Neues Treffen")
    assert response.status_code == 302 and event.status == "draft"
    assert [a.title_de for a in event.agenda_items.all()] == ["Begrüßung", "Vortrag", "Diskussion"]
    bad = office.post(reverse("event_office:edit", args=[event.pk]), {
        "kind": "network", "title_de": "Neues Treffen", "starts_at": "2031-05-06T16:00",
        "ends_at": "2031-05-06T15:00", "audience": "open"})
    assert "Das Ende muss nach dem Beginn liegen" in bad.content.decode()
    office.post(reverse("event_office:questions", args=[event.pk]), {
        "kind": "multiple_choice", "label_de": "Themen", "choices_de": "PV\nWärme", "required": "on"})
    office.post(reverse("event_office:questions", args=[event.pk]), {"kind": "number", "label_de": "Wie viele?"})
    q_number = event.questions.get(label_de="Wie viele?")
    office.post(reverse("event_office:question_move", args=[event.pk, q_number.pk]), {"direction": "up"})
    assert [q.label_de for q in event.questions.all()] == ["Wie viele?", "Themen"]
    office.post(reverse("event_office:status", args=[event.pk]), {"status": "published"})
    event.refresh_from_db()
    assert event.status == "published"
    response = office.post(reverse("event_office:duplicate", args=[event.pk]))
    copy = Event.objects.exclude(pk=event.pk).get(title_de__startswith="Neues Treffen")
    assert response["Location"] == reverse("event_office:edit", args=[copy.pk])


def test_message_and_registration_actions(client_for, world, full_event, django_capture_on_commit_callbacks):
    office = client_for(world["users"]["office"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("event_office:message", args=[full_event.pk]),
                    {"to_status": "confirmed", "subject": "Anfahrt", "body": "Bitte den Seiteneingang nutzen.",
                     "confirm": "1"})
    assert len(mail.outbox) == 2 and mail.outbox[0].subject == "Anfahrt"
    waiting = full_event.registrations.get(status="waitlisted")
    confirmed = full_event.registrations.filter(status="confirmed").first()
    office.post(reverse("event_office:registration_action", args=[full_event.pk, confirmed.pk]),
                {"action": "decline", "message": "Die Veranstaltung richtet sich an Unternehmen.", "confirm": "1"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


# ------------------------------------------------------------------ query counts

def _queries(client, url):
    client.get(url)  # warm the pact cache and the content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(event, n, start=0):
    Registration.objects.bulk_create([
        Registration(event=event, status="confirmed" if i % 3 else "waitlisted", waitlist_order=i,
                     first_name=f"V{i}", last_name=f"N{i}", email=f"q{i}@x.example", organisation="Org")
        for i in range(start, start + n)])


def test_query_counts_do_not_grow_with_data(client_for, world, make_event, pact):
    office = client_for(world["users"]["office"])
    anonymous = client_for(None)
    event = make_event(capacity=500)
    event.organisers.set(pact.initial_partners.all())
    for i in range(3):
        Question.objects.create(event=event, position=i, kind="short_text", label_de=f"F{i}")
    _fill(event, 3)
    urls = [(anonymous, reverse("events:list")), (anonymous, reverse("events:detail", args=[event.pk])),
            (anonymous, reverse("events:register", args=[event.pk])), (anonymous, "/api/v1/events"),
            (office, reverse("event_office:list")), (office, reverse("event_office:registrations", args=[event.pk])),
            (office, reverse("event_office:check_in", args=[event.pk])),
            (office, reverse("event_office:evaluation", args=[event.pk])),
            (office, reverse("event_office:export_csv", args=[event.pk]))]
    small = [_queries(c, u) for c, u in urls]
    for i in range(8):
        other = make_event(title_de=f"Treffen {i}")
        other.organisers.set(pact.initial_partners.all())
        _fill(other, 5, start=1000 + 10 * i)
    _fill(event, 60, start=100)
    large = [_queries(c, u) for c, u in urls]
    assert small == large, list(zip([u for _, u in urls], small, large, strict=True))


def _registered(event, n):
    return services.registration_create(event=event, person=services.PersonData(
        first_name="Vorname", last_name=f"Person{n}", email=f"p{n}@x.example", organisation="X",
        privacy_consent=True))


def test_cancel_page_promises_the_seat_to_the_waitlist_only_when_someone_waits(client, make_event):
    event = make_event(capacity=1)
    first = _registered(event, 1)
    page = client.get(reverse("events:registration_cancel", args=[first.token])).content.decode()
    assert "Warteliste" not in page and "Ihr Platz wird frei." in page
    _registered(event, 2)
    page = client.get(reverse("events:registration_cancel", args=[first.token])).content.decode()
    assert "Ihr Platz geht an die erste Person auf der Warteliste." in page
    # The way back is not a second "cancel" next to "Yes, cancel".
    assert "Abbrechen" not in page and "Zurück zur Anmeldung" in page
    page = client.get(reverse("events:registration_delete", args=[first.token])).content.decode()
    assert "Abbrechen" not in page and "Zurück zur Anmeldung" in page


def test_leaving_the_waitlist_is_not_called_a_cancelled_registration(
        client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    _registered(event, 1)
    waiting = _registered(event, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:registration_cancel", args=[waiting.token]), follow=True)
    page = response.content.decode()
    assert "storniert" not in page and "Sie stehen nicht mehr auf der Warteliste." in page
    (message,) = mail.outbox
    assert "storniert" not in message.subject + message.body and "Schade" not in message.body
    assert "Sie stehen nicht mehr auf der Warteliste." in message.body
    assert message.subject == "Von der Warteliste abgemeldet: Netzwerktreffen"


def test_cancelling_a_seat_says_abgesagt_not_storniert(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    first = _registered(event, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:registration_cancel", args=[first.token]), follow=True)
    page = response.content.decode()
    assert "storniert" not in page and "Sie haben Ihre Teilnahme abgesagt." in page
    (message,) = mail.outbox
    assert "storniert" not in message.subject + message.body
    assert "Sie haben Ihre Teilnahme abgesagt. Schade, dass Sie nicht dabei sein können." in message.body
    assert message.subject == "Ihre Absage: Netzwerktreffen"  # not the subject of a cancelled event


def test_waitlisted_people_get_no_calendar_file(make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        _registered(event, 1)
        waiting = _registered(event, 2)
    confirmed_mail, waiting_mail = mail.outbox
    assert "STATUS:CONFIRMED" in confirmed_mail.attachments[0][1]
    assert not waiting_mail.attachments
    # Nor does the personal page offer the calendar file to someone waiting.
    ical = reverse("events:ical", args=[event.pk])
    assert ical not in Client().get(reverse("events:registration", args=[waiting.token])).content.decode()
    first = Registration.objects.get(email="p1@x.example")
    assert ical in Client().get(reverse("events:registration", args=[first.token])).content.decode()
    assert "Die Kalenderdatei erhalten Sie mit der Bestätigung." in waiting_mail.body
    mail.outbox.clear()
    from django.core.cache import cache
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_link_resend(registration=waiting)
    assert not mail.outbox[0].attachments
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=Registration.objects.get(email="p1@x.example"))
    promoted = next(m for m in mail.outbox if m.to == ["p2@x.example"])
    assert "STATUS:CONFIRMED" in promoted.attachments[0][1]  # the confirmation brings it


def test_the_privacy_hint_is_one_sentence_with_the_link_in_it(client, make_event):
    page = client.get(reverse("events:register", args=[make_event().pk])).content.decode()
    assert "finden Sie unter" not in page
    assert ('Mehr dazu in den <a class="kern-link" href="/datenschutz/" target="_blank" rel="noopener">'
            'Datenschutzhinweisen</a>.') in page
