import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from klimapakt.core.models import AuditEntry
from klimapakt.events import selectors, services
from klimapakt.events.models import Answer, Event, Question, Registration

pytestmark = pytest.mark.django_db


def register(event, person, n, **kwargs):
    return services.registration_create(event=event, person=person(n), **kwargs)


def test_confirmed_while_seats_left_then_waitlisted_in_order(make_event, person, django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        regs = [register(event, person, n) for n in range(1, 5)]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_order for r in regs] == [None, None, 1, 2]
    assert [r.waitlist_position for r in regs] == [None, None, 1, 2]
    assert regs[0].consent_version and regs[0].consent_at
    assert len(mail.outbox) == 4
    confirmed = mail.outbox[0]
    assert "bestätigt" in confirmed.subject
    assert regs[0].token in confirmed.body
    assert confirmed.attachments[0][0].endswith(".ics")
    assert "BEGIN:VEVENT" in confirmed.attachments[0][1]
    assert "Position 2" in mail.outbox[3].body
    assert AuditEntry.objects.filter(action="events.registration.created").count() == 4


def test_mail_in_english_when_chosen(make_event, person, django_capture_on_commit_callbacks):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, person=person(1, language="en"))
    assert registration.language == "en"
    assert "/en/veranstaltungen/anmeldung/" in mail.outbox[0].body
    assert "Network meeting" in mail.outbox[0].body


def test_same_email_cannot_register_twice_and_gets_the_link_again(make_event, person,
                                                                   django_capture_on_commit_callbacks):
    event = make_event()
    first = register(event, person, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.AlreadyRegistered):
        services.registration_create(event=event, person=person(1, email="PERSON1@firma.example "))
    assert Registration.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1 and first.token in mail.outbox[0].body
    # A second attempt within five minutes does not flood the inbox.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.AlreadyRegistered):
        register(event, person, 1)
    assert len(mail.outbox) == 1


def test_cancelled_person_may_register_again(make_event, person):
    event = make_event()
    first = register(event, person, 1)
    services.registration_cancel(registration=first)
    again = register(event, person, 1)
    assert again.pk != first.pk and again.status == "confirmed"


@pytest.mark.parametrize("status", [Event.Status.CLOSED, Event.Status.CANCELLED, Event.Status.DRAFT])
def test_registration_closed_by_status(make_event, person, status):
    event = make_event(status=status)
    with pytest.raises(services.RegistrationClosed):
        register(event, person, 1)


def test_registration_closed_after_deadline(make_event, person):
    event = make_event(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.RegistrationClosed) as exc:
        register(event, person, 1)
    assert "Anmeldeschluss" in exc.value.reason


def test_partners_only_event_needs_an_active_partner(make_event, person, world):
    from klimapakt.partners.models import Organisation

    event = make_event(audience=Event.Audience.PARTNERS)
    with pytest.raises(services.RegistrationClosed) as exc:
        register(event, person, 1)
    assert exc.value.forbidden
    member = world["users"]["member_a"]
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(event=event, person=person(1, user=member))
    Organisation.objects.filter(pk=world["org_a"].pk).update(stage=Organisation.Stage.ACTIVE)
    assert services.registration_create(event=event, person=person(1, user=member)).user == member


def test_person_fields_and_consent_are_checked(make_event, person):
    event = make_event()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(event=event, person=person(1, email="kein-mail", first_name=" ",
                                                                privacy_consent=False))
    assert set(exc.value.message_dict) == {"email", "first_name", "privacy_consent"}
    assert not Registration.objects.exists()


def test_per_organisation_limit(make_event, person):
    event = make_event(capacity=10, per_organisation_limit=2)
    register(event, person, 1, )
    services.registration_create(event=event, person=person(2, organisation="firma 1"))
    with pytest.raises(ValidationError) as exc:
        services.registration_create(event=event, person=person(3, organisation="Firma 1 "))
    assert "organisation" in exc.value.message_dict


def _questions(event):
    return [
        Question.objects.create(event=event, position=1, kind="short_text", label_de="Kurz", required=True),
        Question.objects.create(event=event, position=2, kind="number", label_de="Zahl"),
        Question.objects.create(event=event, position=3, kind="yes_no", label_de="Ja/Nein"),
        Question.objects.create(event=event, position=4, kind="single_choice", label_de="Eins",
                                choices_de="rot\ngrün\nblau", choices_en="red\ngreen\nblue"),
        Question.objects.create(event=event, position=5, kind="multiple_choice", label_de="Viele",
                                choices_de="a\nb\nc"),
        Question.objects.create(event=event, position=6, kind="long_text", label_de="Lang"),
    ]


def test_answers_are_validated_and_stored(make_event, person):
    event = make_event()
    q = _questions(event)
    with pytest.raises(ValidationError) as exc:
        register(event, person, 1, answers={q[1].pk: "viel", q[2].pk: "vielleicht", q[3].pk: "lila",
                                            q[4].pk: [0, 9], 9999: "x"})
    assert set(exc.value.message_dict) == {f"question_{q[0].pk}", f"question_{q[1].pk}", f"question_{q[2].pk}",
                                           f"question_{q[3].pk}", f"question_{q[4].pk}", "answers"}
    r = register(event, person, 1, answers={str(q[0].pk): "Hallo", q[1].pk: "12,5", q[2].pk: "ja",
                                            q[3].pk: "green", q[4].pk: ["c", 0]})
    answers = {a.question_id: a for a in Answer.objects.filter(registration=r).select_related("question")}
    assert answers[q[0].pk].text == "Hallo"
    assert str(answers[q[1].pk].number) == "12.50"
    assert answers[q[2].pk].boolean is True
    assert answers[q[3].pk].choices == [1] and answers[q[3].pk].display("de") == "grün"
    assert answers[q[4].pk].choices == [0, 2]
    assert q[5].pk not in answers
    services.answers_update(registration=r, answers={q[0].pk: "Neu", q[5].pk: "Langer Text"})
    assert {a.question_id: a.text for a in r.answers.all()} == {q[0].pk: "Neu", q[5].pk: "Langer Text"}
    assert AuditEntry.objects.filter(action="events.registration.answers_updated").exists()


def test_cancel_promotes_first_waitlisted_and_tells_them(make_event, person, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    first, second, third = (register(event, person, n) for n in (1, 2, 3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "confirmed" and second.waitlist_order is None
    assert third.status == "waitlisted" and selectors.waitlist_position(third) == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2 and any("Platz ist frei" in s for s in subjects)
    promoted_mail = next(m for m in mail.outbox if m.to == [second.email])
    assert second.token in promoted_mail.body
    assert AuditEntry.objects.filter(action="events.registration.promoted", object_id=str(second.pk)).exists()


def test_delete_by_participant_removes_data_and_frees_the_seat(make_event, person):
    event = make_event(capacity=1)
    first, second = register(event, person, 1), register(event, person, 2)
    services.registration_delete(registration=first)
    assert not Registration.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.status == "confirmed"
    entry = AuditEntry.objects.get(action="events.registration.deleted")
    assert "Vorname1" not in entry.object_repr and "person1" not in str(entry.data)


def test_manual_promote_decline_and_waitlist_moves(make_event, person, world, django_capture_on_commit_callbacks):
    office = world["users"]["office"]
    event = make_event(capacity=1)
    a, b, c, d = (register(event, person, n) for n in (1, 2, 3, 4))
    with pytest.raises(ValidationError):
        services.registration_promote(registration=b, actor=office)  # no seat free
    services.waitlist_move(registration=d, actor=office, direction="up")
    assert [r.pk for r in Registration.objects.filter(event=event, status="waitlisted")
            .order_by("waitlist_order")] == [b.pk, d.pk, c.pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_to_waitlist(registration=a, actor=office, message="Bitte um Geduld.")
    a.refresh_from_db()
    assert a.status == "waitlisted" and selectors.waitlist_position(a) == 1
    assert "Bitte um Geduld." in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_promote(registration=d, actor=office, message="Sie sind dabei!")
    d.refresh_from_db()
    assert d.status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decline(registration=d, actor=office, message="Leider nicht.")
    d.refresh_from_db()
    a.refresh_from_db()
    assert d.status == "declined"
    assert a.status == "confirmed"  # the freed seat went to the first on the waitlist
    actions = set(AuditEntry.objects.filter(actor=office).values_list("action", flat=True))
    assert {"events.registration.promoted", "events.registration.declined", "events.registration.waitlist_moved",
            "events.registration.moved_to_waitlist"} <= actions


def test_more_seats_move_the_waitlist_up(make_event, person, world):
    event = make_event(capacity=1)
    register(event, person, 1)
    waiting = register(event, person, 2)
    services.event_update(event=event, actor=world["users"]["office"], capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    with pytest.raises(ValidationError):
        services.event_update(event=event, actor=world["users"]["office"], capacity=1)


def test_cancel_event_tells_everybody(make_event, person, world, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    register(event, person, 1)
    register(event, person, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_set_status(event=event, status=Event.Status.CANCELLED, actor=world["users"]["office"],
                                  message="Der Saal ist nicht verfügbar.")
    assert len(mail.outbox) == 2 and all("Abgesagt" in m.subject for m in mail.outbox)
    assert "Der Saal ist nicht verfügbar." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.event_set_status(event=event, status=Event.Status.PUBLISHED, actor=world["users"]["office"])


def test_message_to_waitlisted(make_event, person, world, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    for n in (1, 2, 3):
        register(event, person, n)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = services.event_message_send(event=event, to_status="waitlisted", subject="Neuigkeiten",
                                            body="Wir suchen einen größeren Raum.", actor=world["users"]["office"])
    assert count == 2 and {m.subject for m in mail.outbox} == {"Neuigkeiten"}


def test_duplicate_copies_agenda_organisers_and_questions(make_event, pact, person, world):
    office = world["users"]["office"]
    event = services.event_create(
        pact=pact, actor=office, title_de="Workshop", starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2), capacity=5,
        organisers=list(pact.initial_partners.all()[:2]), agenda_de=["Begrüßung", "Vortrag"], agenda_en=["Welcome"])
    _questions(event)
    event = services.event_set_status(event=event, status="published", actor=office)
    register(event, person, 1, answers={event.questions.first().pk: "x"})
    copy = services.event_duplicate(event=event, actor=office)
    assert copy.status == "draft" and copy.registrations.count() == 0
    assert copy.starts_at - event.starts_at == datetime.timedelta(days=7)
    assert [a.title_de for a in copy.agenda_items.all()] == ["Begrüßung", "Vortrag"]
    assert [a.title_en for a in copy.agenda_items.all()] == ["Welcome", ""]
    assert copy.questions.count() == 6 and copy.organisers.count() == 2


def test_advisor_creating_an_event_co_organises_it(pact, world):
    advisor = world["users"]["advisor"]
    event = services.event_create(pact=pact, actor=advisor, title_de="IHK-Sprechstunde",
                                  starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(hours=1))
    assert list(event.organisers.all()) == [advisor.advisor_for]
    assert advisor.has_perm("events.manage_event", event)
    assert not world["users"]["member_a"].has_perm("events.manage_event", event)


def test_choice_question_needs_two_choices(make_event, world):
    event = make_event()
    with pytest.raises(ValidationError):
        services.question_save(event=event, actor=world["users"]["office"], kind="single_choice", label_de="X",
                               choices_de="nur eine")


def test_retention_anonymises_after_the_configured_days(make_event, person, settings):
    settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS = 90
    past = timezone.now() - datetime.timedelta(days=91)
    old = make_event(starts_at=past - datetime.timedelta(hours=2), ends_at=past)
    recent = make_event(starts_at=timezone.now() - datetime.timedelta(days=10),
                        ends_at=timezone.now() - datetime.timedelta(days=10) + datetime.timedelta(hours=1))
    q = Question.objects.create(event=old, kind="short_text", label_de="Frage")
    r_old = Registration.objects.create(event=old, status="confirmed", first_name="Ada", last_name="Alt",
                                        email="ada@alt.example", organisation="Alt GmbH", phone="123")
    Answer.objects.create(registration=r_old, question=q, text="Mehr Förderung")
    r_recent = Registration.objects.create(event=recent, status="confirmed", first_name="Bo", last_name="Neu",
                                           email="bo@neu.example", organisation="Neu GmbH")
    token = r_old.token
    call_command("events_retention", verbosity=0)
    r_old.refresh_from_db()
    r_recent.refresh_from_db()
    assert (r_old.first_name, r_old.last_name, r_old.email, r_old.phone, r_old.organisation) == ("",) * 5
    assert r_old.anonymised_at and r_old.token != token
    assert r_recent.email == "bo@neu.example" and r_recent.anonymised_at is None
    assert Answer.objects.get(registration=r_old).text == "Mehr Förderung"  # the evaluation survives
    from klimapakt.events.selectors import evaluation

    assert evaluation(event=old)[0]["texts"] == ["Mehr Förderung"]


def test_ical_escapes_and_folds():
    from klimapakt.events import ical

    class E:
        pk = 7
        title = "Workshop; Teil 1, mit Umlauten äöü " * 4
        description = "Zeile 1\nZeile 2"
        venue_name, venue_address = "VHS", "Von-der-Leyen-Platz 2, 47798 Krefeld"
        starts_at = timezone.now()
        ends_at = starts_at + datetime.timedelta(hours=1)
        status = "published"

        class Status:
            CANCELLED = "cancelled"

    text = ical.calendar([E()], name="Kalender", url_for=lambda e: "https://example.org/7/")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "Workshop\\; Teil 1\\, mit" in text.replace("\r\n ", "")
    assert "Zeile 1\\nZeile 2" in text.replace("\r\n ", "")


def test_with_the_database_task_backend_the_mail_is_an_outbox_row_of_the_same_transaction(
        make_event, person, settings):
    """Queued if and only if the registration commits; no second write transaction."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from klimapakt.core.mail import tasks_in_database
    from klimapakt.core.models import OutboxMail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    assert tasks_in_database()
    event = make_event(capacity=1)
    with transaction.atomic():
        registration = register(event, person, 1)
        # written before the commit, inside the transaction: the mail and the task that sends it
        assert OutboxMail.objects.count() == 1 and DBTaskResult.objects.count() == 1
    outbox = OutboxMail.objects.get()
    assert outbox.to == [registration.email]
    assert outbox.context["personal_path"].endswith(f"/{registration.token}/")
    assert DBTaskResult.objects.get().args_kwargs["args"] == [outbox.pk]
    with pytest.raises(services.RegistrationClosed):
        with transaction.atomic():
            register(event, person, 2)
            raise services.RegistrationClosed("rolled back")
    assert OutboxMail.objects.count() == 1 and DBTaskResult.objects.count() == 1

