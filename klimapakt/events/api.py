"""Events in the JSON API: the list of upcoming events and registration (same service and
rules as the web form). Mounted under /api/v1/ by klimapakt/api/urls.py."""

from __future__ import annotations

import datetime
import time
from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.throttling import BaseThrottle

from klimapakt.api.caching import cacheable_json, json_body
from klimapakt.api.errors import ApiError, error, parse_body
from klimapakt.api.schemas import ErrorOut
from klimapakt.core.selectors import current_pact_or_404 as _pact

from . import selectors, services
from .models import Event, Question
from .throttling import hit, parse_rate, registration_by_address_allowed, too_many_for_address


class SettingsRateThrottle(BaseThrottle):
    """Per client (IP address) fixed-window limit with the rate from settings.API_THROTTLE_RATE,
    read on every request so tests and benchmarks can change it. Thread-safe: no state on
    the instance (the throttle object is shared by all threads of a worker)."""

    scope = "events"

    def allow_request(self, request) -> bool:
        limit, seconds = parse_rate(settings.API_THROTTLE_RATE)
        return hit(f"api-throttle:{self.scope}:{self.get_ident(request)}", limit=limit, seconds=seconds)

    def wait(self) -> float | None:
        _, seconds = parse_rate(settings.API_THROTTLE_RATE)
        return seconds - (time.time() % seconds)


router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    format: Literal[tuple(Event.Format.values)] = Field(description=(
        "in_person, online or hybrid. The meeting link of an online or hybrid event is not in the API: "
        "confirmed participants get it by mail and on their personal page"))
    capacity: int | None
    seats_taken: int
    waitlist_length: int
    registration_open: bool
    url: str = Field(description="The event in this API, with its agenda and questions: GET /api/v1/events/{id}")


class ChoiceOut(Schema):
    id: int = Field(description="The answer to send for this choice (its position, from 0)")
    label: str


class QuestionOut(Schema):
    id: int = Field(description="The key of the answer in `answers` of the registration")
    kind: Literal[tuple(Question.Kind.values)] = Field(description=(
        "What to send as the answer: short_text, long_text: a string (at most 200 or 5000 characters); "
        "number: a number; yes_no: true or false; single_choice: one choice `id`; multiple_choice: a list of "
        "choice `id`s"))
    label: str
    help: str
    required: bool = Field(description="A registration without an answer to it is refused (400)")
    choices: list[ChoiceOut] = Field(description="The choices of single_choice and multiple_choice questions")


class AgendaItemOut(Schema):
    title: str


class OrganiserOut(Schema):
    name: str
    short_name: str


class EventDetailOut(EventOut):
    kind: Literal[tuple(Event.Kind.values)]
    status: Literal["published", "closed", "cancelled"]
    description: str
    audience: Literal[tuple(Event.Audience.values)] = Field(description=(
        "partners: only members of Klimapartner may register, through the website; the API answers 403"))
    registration_deadline: datetime.datetime | None
    closed_reason: str = Field(description="Why registration is closed, in words; empty while it is open")
    agenda: list[AgendaItemOut]
    organisers: list[OrganiserOut]
    questions: list[QuestionOut]
    registrations_url: str = Field(description="POST a registration here (answers keyed by question `id`)")
    page_url: str = Field(description="The event's page on the website")


# The languages of the mails: those the site is configured for (settings.LANGUAGES).
LanguageCode = Literal[tuple(code for code, _name in settings.LANGUAGES)]


_REQUIRED = ("first_name", "last_name", "email", "organisation", "privacy_consent")


def _document_required(schema: dict) -> None:
    # The schema's defaults only let a body with gaps reach the service; for the client these
    # fields are required (the service says so), and the documentation says it too.
    for name in _REQUIRED:
        schema["properties"][name].pop("default", None)
    schema["required"] = list(_REQUIRED)


# Every field has a default so that a body with gaps still reaches the service, which names all
# missing fields, the consent and the required answers in one answer, in the form's wording.
class RegistrationIn(Schema):
    model_config = {"json_schema_extra": _document_required}

    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    organisation: str = Field("", max_length=200)
    phone: str = Field("", max_length=50)
    language: LanguageCode = Field("de", description="Language of the mails")
    answers: dict[str, Any] = {}
    privacy_consent: bool = False


class RegistrationOut(Schema):
    status: str
    waitlist_position: int | None


EVENTS_PAGE = 100       # events per answer unless ?limit= says otherwise
EVENTS_PAGE_MAX = 500


@router.get("/events", response=list[EventOut], url_name="events_list", summary="Published upcoming events",
            description=f"Soonest first, at most `limit` events (default {EVENTS_PAGE}, at most {EVENTS_PAGE_MAX}) "
                        "from `offset`; when more follow, a `Link` header with `rel=\"next\"` gives their address.")
def events(request, response: HttpResponse, limit: int = Query(EVENTS_PAGE, ge=1, le=EVENTS_PAGE_MAX),
           offset: int = Query(0, ge=0, le=1_000_000)):
    now = timezone.now()
    found = selectors.events_api(pact=_pact(), limit=limit + 1, offset=offset)  # one more: is there a next page?
    if len(found) > limit:
        following = request.build_absolute_uri(f"{request.path}?{urlencode({'limit': limit, 'offset': offset + limit})}")
        response["Link"] = f'<{following}>; rel="next"'
    return [_summary(request, e, now) for e in found[:limit]]


def _url(request, name: str, event_id: int) -> str:
    return request.build_absolute_uri(reverse(f"api-1.0.0:{name}", kwargs={"event_id": event_id}))


def _summary(request, e: Event, now) -> dict:
    return {"id": e.pk, "title": e.title, "starts_at": e.starts_at, "ends_at": e.ends_at,
            "venue": ", ".join(p for p in (e.venue_name, e.venue_address) if p), "format": e.format,
            "capacity": e.capacity,
            "seats_taken": e.seats_taken, "waitlist_length": e.waitlist_length,
            "registration_open": e.registration_open(now), "url": _url(request, "events_detail", e.pk)}


def _question(q: Question) -> dict:
    return {"id": q.pk, "kind": q.kind, "label": q.label, "help": q.help, "required": q.required,
            "choices": [{"id": i, "label": label} for i, label in enumerate(q.choice_list())] if q.is_choice else []}


DETAIL_CACHE_SECONDS = 60


@router.get("/events/{event_id}", response={200: EventDetailOut, 304: None, 404: ErrorOut}, url_name="events_detail",
            summary="One public event with its agenda and registration questions",
            description="Everything a client needs to register: answer each `required` question in `answers` of "
                        "POST `registrations_url`, keyed by the question's `id` (choices by their `id`). Drafts are "
                        "404; cancelled and past events are shown with `registration_open` false. Cached for a "
                        "minute; supports ETag (If-None-Match gives 304).")
def event_detail(request, event_id: int):
    event = selectors.event_api(pact=_pact(), pk=event_id)
    if event is None:
        raise ApiError([error(_("Veranstaltung nicht gefunden."))], status=404)
    now = timezone.now()
    payload = _summary(request, event, now) | {
        "kind": event.kind, "status": event.status, "description": event.description, "audience": event.audience,
        "registration_deadline": event.registration_deadline, "closed_reason": event.closed_reason(now),
        "agenda": [{"title": item.title} for item in event.agenda_items.all()],
        "organisers": [{"name": o.name, "short_name": o.short_name} for o in event.organisers.all()],
        "questions": [_question(q) for q in event.questions.all()],
        "registrations_url": _url(request, "events_register", event.pk),
        "page_url": request.build_absolute_uri(reverse("events:detail", args=[event.pk])),
    }
    return cacheable_json(request, json_body(EventDetailOut.model_validate(payload).model_dump(mode="json")),
                          max_age=DETAIL_CACHE_SECONDS)


def _field(name: str) -> str:
    return f"answers.{name.removeprefix('question_')}" if name.startswith("question_") else name


@router.post("/events/{event_id}/registrations", response={201: RegistrationOut, 400: ErrorOut, 403: ErrorOut,
                                                          404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
             throttle=[SettingsRateThrottle()], url_name="events_register", summary="Register for an event",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": RegistrationIn.model_json_schema()}}}})
def register(request, event_id: int):
    # The body is validated after the event is found: an unknown event is a 404 whatever was sent.
    event = Event.objects.filter(pact=_pact(), pk=event_id).exclude(status=Event.Status.DRAFT).first()
    if event is None:
        raise ApiError([error(_("Veranstaltung nicht gefunden."))], status=404)
    # Fields of the wrong type come back as problems (and as their defaults in the payload); the
    # service still checks the rest, so the client learns everything in one answer.
    payload, problems = parse_body(request, RegistrationIn, partial=True)
    person = services.PersonData(
        first_name=payload.first_name, last_name=payload.last_name, email=payload.email,
        organisation=payload.organisation, phone=payload.phone, language=payload.language,
        privacy_consent=payload.privacy_consent, user=None)
    if not registration_by_address_allowed(payload.email):
        raise ApiError([error(too_many_for_address(), field="email")], status=429)
    try:
        if problems:
            services.registration_validate(event=event, person=person, answers=payload.answers)
            raise ApiError(problems, status=400)
        registration = services.registration_create(event=event, person=person, answers=payload.answers)
    except ValidationError as exc:
        # A field with a schema problem was replaced by its default: its problem is the one to tell.
        failed = {item["field"] for item in problems}
        raise ApiError(problems + [error(m, field=_field(f) if f != "__all__" else None)
                                   for f, ms in exc.message_dict.items() if _field(f) not in failed
                                   for m in ms], status=400) from None
    except services.AlreadyRegistered:
        raise ApiError([error(_("Diese E-Mail-Adresse ist für die Veranstaltung bereits angemeldet. Der persönliche "
                                "Link wurde noch einmal an sie geschickt."), field="email")], status=409) from None
    except services.RegistrationClosed as closed:
        if closed.forbidden:  # the service's "please sign in" is for the web form; the API has no sign-in
            raise ApiError([error(_("Diese Veranstaltung ist nur für Klimapartner; über die API ist keine "
                                    "Anmeldung möglich."))], status=403) from None
        raise ApiError([error(closed.reason)], status=409) from None
    return Status(201, RegistrationOut(status=registration.status, waitlist_position=registration.waitlist_position))
