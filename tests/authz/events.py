"""Authorization matrix of the events app. Organiser pages: the pact office for every event,
advisors for events their institution co-organises (the world's advisor is from the IHK, which
co-organises the event made here; tests/events/test_views.py checks the other case)."""

from .registry import DENY, LOGIN, OK, REDIRECT, Route, public, staff_and_advisors


def _event(world):
    import datetime

    from django.utils import timezone

    from klimapakt.events.models import Event, Question, Registration

    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(pact=world["pact"], title_de="Netzwerktreffen", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), capacity=1,
                                 status=Event.Status.PUBLISHED)
    event.organisers.set([world["pact"].initial_partners.get(short_name="IHK")])
    question = Question.objects.create(event=event, kind="short_text", label_de="Frage", position=1)
    question2 = Question.objects.create(event=event, kind="yes_no", label_de="Frage 2", position=2)
    registration = Registration.objects.create(event=event, status="confirmed", first_name="Ada", last_name="A",
                                               email="ada@example.org", organisation="A GmbH")
    waiting = Registration.objects.create(event=event, status="waitlisted", waitlist_order=1, first_name="Bo",
                                          last_name="B", email="bo@example.org", organisation="B GmbH")
    return {"event": event, "question": question, "question2": question2, "registration": registration,
            "waiting": waiting}


def organiser(**overrides):
    """Pages of one event: the office and the co-organising advisor."""
    return staff_and_advisors(**overrides)


def organiser_post():
    return {"anonymous": LOGIN, "member_a": DENY, "member_b": DENY, "advisor": REDIRECT, "office": REDIRECT}


E = lambda w: {"pk": w["event"].pk}  # noqa: E731
Q = lambda w: {"pk": w["event"].pk, "question_pk": w["question"].pk}  # noqa: E731
R = lambda w: {"pk": w["event"].pk, "registration_pk": w["registration"].pk}  # noqa: E731

ROUTES = {
    "events:list": Route(public()),
    "events:feed": Route(public()),
    "events:detail": Route(public(), setup=_event, kwargs=E),
    "events:register": Route(public(), setup=_event, kwargs=E),
    "events:ical": Route(public(), setup=_event, kwargs=E),
    # The personal link: whoever holds the token (no account needed).
    "events:registration": Route(public(), setup=_event, kwargs=lambda w: {"token": w["registration"].token}),
    "events:registration_cancel": Route(public(), setup=_event,
                                        kwargs=lambda w: {"token": w["registration"].token}),
    "events:registration_delete": Route(public(), setup=_event,
                                        kwargs=lambda w: {"token": w["registration"].token}),
    # API (the matrix client sends form data, not JSON: every role gets the same 400)
    "api-1.0.0:events_list": Route(public()),
    "api-1.0.0:events_detail": Route(public(), setup=_event, kwargs=lambda w: {"event_id": w["event"].pk}),
    "api-1.0.0:events_register": Route({r: 400 for r in ("anonymous", "member_a", "member_b", "advisor", "office")},
                                       method="POST", setup=_event, kwargs=lambda w: {"event_id": w["event"].pk}),
    # Organiser side
    "event_office:list": Route(staff_and_advisors()),
    "event_office:create": Route(staff_and_advisors()),
    "event_office:overview": Route(organiser(), setup=_event, kwargs=E),
    "event_office:edit": Route(organiser(), setup=_event, kwargs=E),
    "event_office:status": Route(organiser_post(), method="POST", setup=_event, kwargs=E,
                                 data=lambda w: {"status": "closed"}),
    "event_office:duplicate": Route(organiser_post(), method="POST", setup=_event, kwargs=E),
    "event_office:questions": Route(organiser(), setup=_event, kwargs=E),
    "event_office:question_edit": Route(organiser(), setup=_event, kwargs=Q),
    "event_office:question_delete": Route(organiser_post(), method="POST", setup=_event, kwargs=Q),
    "event_office:question_move": Route(organiser_post(), method="POST", setup=_event, kwargs=Q,
                                        data=lambda w: {"direction": "down"}),
    "event_office:registrations": Route(organiser(), setup=_event, kwargs=E),
    "event_office:export_csv": Route(organiser(), setup=_event, kwargs=E),
    "event_office:export_xlsx": Route(organiser(), setup=_event, kwargs=E),
    "event_office:registration": Route(organiser(), setup=_event, kwargs=R),
    "event_office:registration_action": Route(organiser_post(), method="POST", setup=_event, kwargs=R,
                                              data=lambda w: {"action": "to_waitlist"}),
    "event_office:attendance_pdf": Route(organiser(), setup=_event, kwargs=E),
    "event_office:check_in": Route(organiser(), setup=_event, kwargs=E),
    # The QR scanner: GET the page, POST a code (a forged one here: refused, but the page answers).
    "event_office:check_in_scan": Route(organiser(), setup=_event, kwargs=E),
    "event_office:check_in_toggle": Route(organiser_post(), method="POST", setup=_event, kwargs=R,
                                          data=lambda w: {"attended": "1"}),
    "event_office:message": Route(organiser(), setup=_event, kwargs=E),
    "event_office:evaluation": Route(organiser(), setup=_event, kwargs=E),
    "event_office:evaluation_csv": Route(organiser(), setup=_event, kwargs=E),
}
_ = OK
