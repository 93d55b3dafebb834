"""Every write of the events app: events, registrations (with capacity and waitlist),
questionnaires and answers. Keyword-only, atomic, audited; mails go out after commit.

Capacity is enforced in the database transaction: `Event.objects.select_for_update()` locks
the event row on PostgreSQL; on SQLite the settings open every transaction with
``BEGIN IMMEDIATE``, which takes the database write lock before the first read. Either way
one writer per event counts the seats and inserts, so confirmed registrations never exceed
the capacity, also under simultaneous requests (tests/events/test_concurrency.py)."""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.mail import inline_attachment, queue_mail

from . import formatting, ical, selectors
from .models import CONSENT_VERSION, AgendaItem, Answer, Event, Question, Registration

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# --------------------------------------------------------------------------- errors


class RegistrationClosed(Exception):
    """Registration is not possible (closed, cancelled, past the deadline, not public)."""

    def __init__(self, reason: str, *, forbidden: bool = False):
        self.reason = reason
        self.forbidden = forbidden  # True: this person may not register (audience), not "closed"
        super().__init__(reason)


class AlreadyRegistered(Exception):
    """The e-mail address already has an active registration for the event. The personal
    link has been sent to that address again (never shown to whoever typed it)."""

    def __init__(self, registration: Registration):
        self.registration = registration
        super().__init__(registration.pk)


@dataclass
class PersonData:
    first_name: str
    last_name: str
    email: str
    organisation: str
    phone: str = ""
    language: str = "de"
    user: Any = None
    privacy_consent: bool = False
    extra: dict = field(default_factory=dict)

    def normalised(self) -> PersonData:
        return PersonData(
            first_name=self.first_name.strip(), last_name=self.last_name.strip(),
            email=(self.email or "").strip().lower(), organisation=self.organisation.strip(),
            phone=(self.phone or "").strip(), language=self.language if self.language in ("de", "en") else "de",
            user=self.user, privacy_consent=bool(self.privacy_consent),
        )


# --------------------------------------------------------------------------- answers


def _choice_index(question: Question, value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        index = value
    else:
        text = str(value).strip()
        if text.isdigit():
            index = int(text)
        else:
            labels_de, labels_en = question.choice_list("de"), question.choice_list("en")
            lowered = text.casefold()
            for i, (de, en) in enumerate(zip(labels_de, labels_en, strict=False)):
                if lowered in (de.casefold(), en.casefold()):
                    return i
            raise ValueError
    if not 0 <= index < len(question.choice_list("de")):
        raise ValueError
    return index


def clean_answers(*, questions: list[Question], answers: dict) -> dict[int, dict]:
    """Check raw answers (keyed by question id, as ints or strings) against the questions.
    Returns {question_id: answer fields}; raises ValidationError keyed ``question_<id>``."""
    raw = {str(k): v for k, v in (answers or {}).items()}
    known = {str(q.pk) for q in questions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(raw) - known)
    if unknown:
        errors["answers"] = [_("Unbekannte Frage: %(ids)s") % {"ids": ", ".join(unknown)}]
    cleaned: dict[int, dict] = {}
    for q in questions:
        key = f"question_{q.pk}"
        value = raw.get(str(q.pk))
        if isinstance(value, str):
            value = value.strip()
        empty = value is None or value == "" or value == [] or value == ()
        if empty:
            if q.required:
                errors[key] = [_("Bitte beantworten Sie diese Frage.")]
            continue
        try:
            if q.kind in Question.TEXT_KINDS:
                text = str(value)
                limit = 200 if q.kind == Question.Kind.SHORT_TEXT else 5000
                if len(text) > limit:
                    errors[key] = [_("Bitte höchstens %(n)s Zeichen.") % {"n": limit}]
                    continue
                cleaned[q.pk] = {"text": text}
            elif q.kind == Question.Kind.NUMBER:
                number = Decimal(str(value).replace(",", ".")) if not isinstance(value, bool) else None
                if number is None or not number.is_finite() or abs(number) >= Decimal("1e12"):
                    raise ValueError
                cleaned[q.pk] = {"number": number.quantize(Decimal("0.01"))}
            elif q.kind == Question.Kind.YES_NO:
                if isinstance(value, bool):
                    flag = value
                elif str(value).lower() in ("yes", "ja", "true", "1"):
                    flag = True
                elif str(value).lower() in ("no", "nein", "false", "0"):
                    flag = False
                else:
                    raise ValueError
                cleaned[q.pk] = {"boolean": flag}
            elif q.kind == Question.Kind.SINGLE_CHOICE:
                if isinstance(value, list | tuple):
                    if len(value) != 1:
                        raise ValueError
                    value = value[0]
                cleaned[q.pk] = {"choices": [_choice_index(q, value)]}
            else:
                values = value if isinstance(value, list | tuple) else [value]
                cleaned[q.pk] = {"choices": sorted({_choice_index(q, v) for v in values})}
        except (ValueError, InvalidOperation, TypeError):
            errors[key] = [{
                Question.Kind.NUMBER: _("Bitte geben Sie eine Zahl ein."),
                Question.Kind.YES_NO: _("Bitte wählen Sie „Ja“ oder „Nein“."),
            }.get(q.kind, _("Bitte wählen Sie eine der angebotenen Möglichkeiten."))]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _validate_person(person: PersonData) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("first_name", _("Vorname")), ("last_name", _("Nachname")),
                        ("organisation", _("Organisation"))):
        value = getattr(person, name)
        if not value:
            errors[name] = [_("Bitte geben Sie %(field)s an.") % {"field": label}]
        elif len(value) > (200 if name == "organisation" else 150):
            errors[name] = [_("Die Angabe ist zu lang.")]
    try:
        validate_email(person.email)
    except ValidationError:
        errors["email"] = [_("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@firma.de.")]
    if len(person.phone) > 50:
        errors["phone"] = [_("Die Angabe ist zu lang.")]
    if not person.privacy_consent:
        errors["privacy_consent"] = [_("Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben.")]
    if errors:
        raise ValidationError(errors)


# --------------------------------------------------------------------------- mail


def _event_context(event: Event, language: str) -> dict:
    with translation.override(language):
        return {
            "event_title": event.title,
            "event_when": formatting.when(event.starts_at, event.ends_at),
            "event_venue": ", ".join(p for p in (event.venue_name, event.venue_address) if p),
            "event_path": reverse("events:detail", args=[event.pk]),
        }


def _ics_attachment(event: Event, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        text = ical.calendar([event], name=event.title)
        return (ical.file_name(event), text, "text/calendar")


def _mail_parts(event: Event):
    """For mails to many registrants of one event: (event context, .ics attachment) by
    language, each built once (call it with the registration's language)."""
    return functools.cache(lambda language: (_event_context(event, language), _ics_attachment(event, language)))


def _mail(registration: Registration, event: Event, template: str, *, extra: dict | None = None,
          ics: bool = True, prepared: tuple[dict, tuple] | None = None) -> None:
    """Queue one mail to a registrant (in the registration's language) with its personal link,
    in the caller's transaction (core.mail's outbox).
    `prepared` = (event context, .ics attachment) computed before a lock was taken. People on
    the waitlist get no calendar file: it would enter the event as confirmed (STATUS:CONFIRMED);
    it comes with the confirmation."""
    language = registration.language or "de"
    if not registration.email:
        return
    ics = ics and registration.status != Registration.Status.WAITLISTED
    event_context, attachment = prepared or (_event_context(event, language),
                                             _ics_attachment(event, language) if ics else None)
    context = {
        "first_name": registration.first_name, "last_name": registration.last_name,
        "status": registration.status, "personal_path": selectors.personal_path(registration),
        **event_context, **(extra or {}),
    }
    queue_mail(template=template, to=[registration.email], context=context, language=language,
               attachments=[inline_attachment(*attachment)] if ics and attachment else None)


# --------------------------------------------------------------------------- registrations


@contextlib.contextmanager
def sqlite_write_gate():
    """On SQLite, queue registration writers on a blocking file lock next to the database.

    Correctness does not depend on it (BEGIN IMMEDIATE serialises the writers anyway), but
    SQLite's busy handler polls with sleeps of up to 100 ms, so under a burst most of the time
    is spent sleeping while the lock is free. Waiting in flock() wakes the next writer the
    moment the previous one has committed (and queued its mail). Works across threads and
    gunicorn worker processes; a no-op on PostgreSQL, on Windows, for in-memory databases and
    inside an outer transaction (which may already hold the SQLite lock)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if (fcntl is None or connection.vendor != "sqlite" or connection.in_atomic_block or not name
            or name == ":memory:" or name.startswith("file:")):
        yield
        return
    fd = os.open(name + ".write-gate", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _locked_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def registration_create(*, event: Event, person: PersonData, answers: dict | None = None,
                        questions: list[Question] | None = None, actor=None) -> Registration:
    """Register a person: confirmed while seats are left, else waitlisted in order.

    Validation (person, answers, audience) happens before the transaction; inside it only the
    seat count and the insert, so the write lock is held for a few milliseconds. Raises
    ValidationError (field errors), RegistrationClosed, or AlreadyRegistered (after the
    personal link has been queued again for that address)."""
    person = person.normalised()
    cleaned = registration_validate(event=event, person=person, answers=answers, questions=questions)
    # The mail's event details and calendar file are built now, not while holding the lock.
    prepared = (_event_context(event, person.language), _ics_attachment(event, person.language))
    try:
        with sqlite_write_gate():
            return _registration_insert(event_id=event.pk, person=person, cleaned=cleaned, actor=actor,
                                        prepared=prepared)
    except IntegrityError:
        # The unique constraint on (event, e-mail) of active registrations: this address is
        # registered already. The transaction was rolled back; the person gets their link again.
        _raise_if_registered(event_id=event.pk, email=person.email)
        raise


def registration_validate(*, event: Event, person: PersonData, answers: dict | None = None,
                          questions: list[Question] | None = None) -> dict[int, dict]:
    """The checks of registration_create before anything is written: audience, the event's
    early closed answer, then all field errors at once (person, consent and answers in one
    ValidationError). Returns the cleaned answers. Callers that found problems of their own
    (the API's schema errors) call it alone to report the rest in the same answer."""
    person = person.normalised()
    if not selectors.may_register(event=event, user=person.user):
        raise RegistrationClosed(_("Diese Veranstaltung ist nur für Klimapartner. Bitte melden Sie sich an."),
                                 forbidden=True)
    reason = event.closed_reason()
    if reason:  # an early answer from the caller's copy; the check under the lock is the rule
        raise RegistrationClosed(reason)
    if questions is None:
        questions = list(event.questions.all())
    try:
        errors = {}
        for check in (lambda: _validate_person(person),
                      lambda: clean_answers(questions=questions, answers=answers or {})):
            try:
                cleaned = check()
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
    except ValidationError:
        # Someone already registered who sends an incomplete form again is told that they are
        # registered (and gets the link), not asked to fill in the answers.
        if person.email:
            _raise_if_registered(event_id=event.pk, email=person.email)
        raise
    return cleaned


def _raise_if_registered(*, event_id: int, email: str) -> None:
    """The address has an active registration for the event: send its personal link again and
    raise AlreadyRegistered. Returns when there is none."""
    existing = Registration.objects.filter(event_id=event_id, email=email, status__in=Registration.ACTIVE).first()
    if existing is not None:
        registration_link_resend(registration=existing)
        raise AlreadyRegistered(existing) from None


@transaction.atomic
def _registration_insert(*, event_id: int, person: PersonData, cleaned: dict[int, dict], actor,
                         prepared=None) -> Registration:
    """The critical section: lock, count, the inserts and the counters, so the lock is short.
    Everything that can happen before (validation, the mail's contents) or after does. A
    second registration of the same address fails at its insert (unique constraint)."""
    now = timezone.now()
    registration = Registration(
        event_id=event_id, first_name=person.first_name, last_name=person.last_name, email=person.email,
        organisation=person.organisation, phone=person.phone, language=person.language,
        user=person.user if getattr(person.user, "is_authenticated", False) else None,
        consent_version=CONSENT_VERSION, consent_at=now, created_at=now)
    # Lock the event row (PostgreSQL; on SQLite the transaction already holds the write lock)
    # and read only what the rule needs.
    row = Event.objects.select_for_update().filter(pk=event_id).values_list(
        "status", "starts_at", "registration_deadline", "capacity", "per_organisation_limit").get()
    event = Event(pk=event_id, status=row[0], starts_at=row[1], registration_deadline=row[2], capacity=row[3],
                  per_organisation_limit=row[4])
    reason = event.closed_reason(now)
    if reason:
        raise RegistrationClosed(reason)
    counts = selectors.seat_counts(event_id)
    confirmed = counts.get(Registration.Status.CONFIRMED, (0, None))[0]
    waitlisted, last_order = counts.get(Registration.Status.WAITLISTED, (0, None))
    if event.per_organisation_limit is not None:
        same_org = Registration.objects.filter(event_id=event_id, status__in=Registration.ACTIVE,
                                               organisation__iexact=person.organisation).count()
        if same_org >= event.per_organisation_limit:
            raise ValidationError({"organisation": translation.ngettext(
                "Für diese Organisation ist bereits %(n)s Person angemeldet; mehr lässt die Veranstaltung nicht zu.",
                "Für diese Organisation sind bereits %(n)s Personen angemeldet; mehr lässt die Veranstaltung "
                "nicht zu.", same_org) % {"n": same_org}})
    # Nobody jumps the queue: with people waiting, a newcomer waits too.
    has_seat = not event.newcomer_waits(confirmed=confirmed, waitlisted=waitlisted)
    registration.status = Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITLISTED
    registration.waitlist_order = None if has_seat else (last_order or 0) + 1
    registration.save(force_insert=True)
    Event.objects.filter(pk=event_id).update(seats_taken=confirmed + (1 if has_seat else 0),
                                             waitlist_length=waitlisted + (0 if has_seat else 1))
    if cleaned:
        Answer.objects.bulk_create([Answer(registration=registration, question_id=qid, **values)
                                    for qid, values in cleaned.items()])
    registration.waitlist_position = None if has_seat else waitlisted + 1
    log_action("events.registration.created", obj=registration, actor=actor,
               data={"event": event_id, "status": registration.status})
    _mail(registration, event, "events/email/registration",
          extra={"waitlist_position": registration.waitlist_position}, prepared=prepared)
    return registration


LINK_RESEND_INTERVAL = 300


def registration_link_resend(*, registration: Registration) -> bool:
    """Send the personal link again (at most once per registration every five minutes, so a
    form cannot be used to flood someone's inbox). Returns whether a mail was queued."""
    if not cache.add(f"events:link-resent:{registration.pk}", 1, LINK_RESEND_INTERVAL):
        return False
    with transaction.atomic():
        log_action("events.registration.link_resent", obj=registration, data={"event": registration.event_id})
        _mail(registration, registration.event, "events/email/link",
              extra={"waitlist_position": selectors.waitlist_position(registration)})
    return True


def recount_events(event_ids=None) -> int:
    """Set the counters seats_taken / waitlist_length from the registrations (after bulk
    imports, demo data, and nightly as a safety net). Returns the number of events updated."""
    def counted(status):
        return Coalesce(Subquery(Registration.objects.filter(event=OuterRef("pk"), status=status).order_by()
                                 .values("event").annotate(n=Count("pk")).values("n")), 0)

    qs = Event.objects.all() if event_ids is None else Event.objects.filter(pk__in=list(event_ids))
    return qs.update(seats_taken=counted(Registration.Status.CONFIRMED),
                     waitlist_length=counted(Registration.Status.WAITLISTED))


def _fill_free_seats(event: Event, *, actor=None) -> list[Registration]:
    """Promote the first waitlisted people into free seats (inside the caller's lock)."""
    if event.capacity is None:
        free = None
    else:
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
        free = event.capacity - confirmed
        if free <= 0:
            return []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by(
        "waitlist_order", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_order = None
        registration.save(update_fields=["status", "waitlist_order", "updated_at"])
        log_action("events.registration.promoted", obj=registration, actor=actor,
                   data={"event": event.pk, "automatic": True})
        _mail(registration, event, "events/email/promoted")
    return promoted


def _reload(registration: Registration) -> tuple[Event, Registration]:
    event = _locked_event(registration.event_id)
    return event, Registration.objects.get(pk=registration.pk)


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """The participant cancels: the seat goes to the first on the waitlist, who is told."""
    event, registration = _reload(registration)
    if not registration.is_active:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.cancelled", obj=registration, actor=actor,
               data={"event": event.pk, "was_confirmed": was_confirmed})
    _mail(registration, event, "events/email/cancelled", ics=False, extra={"was_waitlisted": not was_confirmed})
    if was_confirmed and event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED) and not event.is_past:
        _fill_free_seats(event, actor=actor)
    recount_events([event.pk])
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor=None) -> None:
    """The participant deletes the registration with all answers (DSGVO). A freed seat goes
    to the waitlist. The audit log keeps the fact, not the person."""
    event, registration = _reload(registration)
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.deleted", obj=registration, actor=actor,
               data={"event": event.pk, "status": registration.status})
    registration.delete()
    if was_confirmed and event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED) and not event.is_past:
        _fill_free_seats(event, actor=actor)
    recount_events([event.pk])


@transaction.atomic
def registration_promote(*, registration: Registration, actor, message: str = "") -> Registration:
    """The organiser confirms a waitlisted person (only while a seat is free)."""
    event, registration = _reload(registration)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    if registration.anonymised_at:
        raise ValidationError(_("Diese Anmeldung ist anonymisiert."))
    if event.capacity is not None and Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED).count() >= event.capacity:
        raise ValidationError(_("Es ist kein Platz frei. Erhöhen Sie die Platzzahl oder verschieben Sie zuerst "
                                "eine bestätigte Person auf die Warteliste."))
    old = registration.status
    registration.status = Registration.Status.CONFIRMED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.promoted", obj=registration, actor=actor,
               data={"event": event.pk, "automatic": False, "from": old, "message": bool(message)})
    _mail(registration, event, "events/email/promoted", extra={"message": message})
    recount_events([event.pk])
    return registration


@transaction.atomic
def registration_to_waitlist(*, registration: Registration, actor, message: str = "",
                             front: bool = True) -> Registration:
    """The organiser moves a person to the waitlist (first place by default)."""
    event, registration = _reload(registration)
    if registration.status == Registration.Status.WAITLISTED or registration.anonymised_at:
        return registration
    orders = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).aggregate(
        low=Min("waitlist_order"), high=Max("waitlist_order"))
    if front:
        if orders["low"] is not None and orders["low"] <= 1:
            # make room at the front
            Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).update(
                waitlist_order=F("waitlist_order") + 1)
            order = 1
        else:
            order = (orders["low"] or 2) - 1
    else:
        order = (orders["high"] or 0) + 1
    old = registration.status
    registration.status = Registration.Status.WAITLISTED
    registration.waitlist_order = order
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.moved_to_waitlist", obj=registration, actor=actor,
               data={"event": event.pk, "from": old, "message": bool(message)})
    _mail(registration, event, "events/email/waitlisted",
          extra={"message": message, "waitlist_position": selectors.waitlist_position(registration)}, ics=False)
    recount_events([event.pk])
    return registration


@transaction.atomic
def waitlist_move(*, registration: Registration, actor, direction: str) -> Registration:
    """Swap a waitlisted person with the neighbour before ("up") or after ("down")."""
    event, registration = _reload(registration)
    if registration.status != Registration.Status.WAITLISTED:
        raise ValidationError(_("Nur Personen auf der Warteliste können verschoben werden."))
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
    if direction == "up":
        other = waiting.filter(waitlist_order__lt=registration.waitlist_order).order_by("-waitlist_order").first()
    else:
        other = waiting.filter(waitlist_order__gt=registration.waitlist_order).order_by("waitlist_order").first()
    if other is None:
        return registration
    registration.waitlist_order, other.waitlist_order = other.waitlist_order, registration.waitlist_order
    Registration.objects.bulk_update([registration, other], ["waitlist_order"])
    log_action("events.registration.waitlist_moved", obj=registration, actor=actor,
               data={"event": event.pk, "direction": direction, "position": selectors.waitlist_position(registration)})
    return registration


@transaction.atomic
def registration_decline(*, registration: Registration, actor, message: str = "") -> Registration:
    """The organiser declines a registration (told by e-mail); a freed seat is filled."""
    event, registration = _reload(registration)
    if registration.status == Registration.Status.DECLINED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.DECLINED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.declined", obj=registration, actor=actor,
               data={"event": event.pk, "was_confirmed": was_confirmed, "message": bool(message)})
    _mail(registration, event, "events/email/declined", extra={"message": message}, ics=False)
    if was_confirmed and not event.is_past:
        _fill_free_seats(event, actor=actor)
    recount_events([event.pk])
    return registration


@transaction.atomic
def answers_update(*, registration: Registration, answers: dict, actor=None) -> Registration:
    """Replace a registration's answers (the participant through the personal link)."""
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if registration.anonymised_at:
        raise ValidationError(_("Diese Anmeldung ist anonymisiert."))
    questions = list(registration.event.questions.all())
    cleaned = clean_answers(questions=questions, answers=answers)
    registration.answers.all().delete()
    Answer.objects.bulk_create([Answer(registration=registration, question_id=qid, **values)
                                for qid, values in cleaned.items()])
    registration.save(update_fields=["updated_at"])
    log_action("events.registration.answers_updated", obj=registration, actor=actor,
               data={"event": registration.event_id, "questions": sorted(cleaned)})
    return registration


@transaction.atomic
def attendance_set(*, registration: Registration, attended: bool, actor) -> Registration:
    Registration.objects.filter(pk=registration.pk).update(attended=attended, updated_at=timezone.now())
    registration.attended = attended
    log_action("events.registration.attendance", obj=registration, actor=actor,
               data={"event": registration.event_id, "attended": attended})
    return registration


def anonymise_registrations(*, before: datetime.datetime, actor=None) -> int:
    """Blank the personal data of registrations for events that ended before `before`.
    Answers and statuses stay (the evaluation survives without names). Returns the count."""
    import secrets

    ids = list(Registration.objects.filter(event__ends_at__lt=before, anonymised_at__isnull=True)
               .values_list("pk", flat=True))
    now = timezone.now()
    done = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        with transaction.atomic():
            items = list(Registration.objects.filter(pk__in=chunk))
            for r in items:
                r.first_name = r.last_name = r.email = r.phone = r.organisation = ""
                r.user = None
                r.token = "x" + secrets.token_urlsafe(24)
                r.anonymised_at = now
            Registration.objects.bulk_update(
                items, ["first_name", "last_name", "email", "phone", "organisation", "user", "token",
                        "anonymised_at"])
            done += len(items)
    if done:
        log_action("events.registrations.anonymised", actor=actor, data={"count": done, "before": before})
    return done


REMINDER_QUIET_HOURS = 24  # a confirmation younger than this is reminder enough


def send_event_reminders(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Remind confirmed participants of events that begin within `days` local days
    (settings.KLIMAPAKT_EVENT_REMINDER_DAYS; 0 switches reminders off): the event's details, the
    calendar file and the personal link, so that whoever cannot come cancels and frees the seat
    for the waitlist. Once per registration, however often or simultaneously this runs: a row is
    claimed (reminded_at) in the transaction that queues its mail. People confirmed in the last
    24 hours are skipped; they have just had their confirmation. Returns the number of mails."""
    now = now or timezone.now()
    days = settings.KLIMAPAKT_EVENT_REMINDER_DAYS if days is None else days
    if days <= 0:
        return 0
    sent = 0
    for event in selectors.events_due_for_reminder(now=now, days=days):
        parts = _mail_parts(event)
        with transaction.atomic():
            # skip_locked: a simultaneous run takes the rows this one holds, and the other way round.
            due = list(Registration.objects.select_for_update(skip_locked=True).filter(
                event=event, status=Registration.Status.CONFIRMED, reminded_at__isnull=True,
                created_at__lt=now - datetime.timedelta(hours=REMINDER_QUIET_HOURS)).exclude(email=""))
            if not due:
                continue
            Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
            for registration in due:
                _mail(registration, event, "events/email/reminder", prepared=parts(registration.language or "de"))
            log_action("events.reminders.sent", obj=event, data={"count": len(due)})
        sent += len(due)
    return sent


# --------------------------------------------------------------------------- events

EVENT_FIELDS = ("kind", "title_de", "title_en", "description_de", "description_en", "starts_at", "ends_at",
                "venue_name", "venue_address", "audience", "capacity", "per_organisation_limit",
                "registration_deadline")


def _agenda_pairs(agenda_de: list[str], agenda_en: list[str]) -> list[tuple[str, str]]:
    """The agenda as (German, English) items, as stored."""
    return [(title, agenda_en[i] if i < len(agenda_en) else "") for i, title in enumerate(agenda_de)]


def _set_agenda(event: Event, agenda_de: list[str], agenda_en: list[str]) -> None:
    event.agenda_items.all().delete()
    AgendaItem.objects.bulk_create([
        AgendaItem(event=event, position=i, title_de=title_de, title_en=title_en)
        for i, (title_de, title_en) in enumerate(_agenda_pairs(agenda_de, agenda_en))])


def _check_event(event: Event) -> None:
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        errors["ends_at"] = [_("Das Ende muss nach dem Beginn liegen.")]
    if event.registration_deadline and event.starts_at and event.registration_deadline > event.starts_at:
        # Registration closes when the event begins at the latest (Event.closed_reason).
        errors["registration_deadline"] = [_("Der Anmeldeschluss darf nicht nach dem Beginn der Veranstaltung "
                                             "liegen.")]
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["pact"])


@transaction.atomic
def event_create(*, pact, actor, organisers=(), agenda_de=(), agenda_en=(), **fields) -> Event:
    event = Event(pact=pact, status=Event.Status.DRAFT, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    _check_event(event)
    event.save()
    organisers = list(organisers)
    if actor is not None and getattr(actor, "advisor_for_id", None) and \
            actor.advisor_for_id not in {o.pk for o in organisers}:
        organisers.append(actor.advisor_for)  # an advisor always co-organises what they create
    event.organisers.set(organisers)
    _set_agenda(event, list(agenda_de), list(agenda_en))
    log_action("events.event.created", obj=event, actor=actor, data={"title": event.title_de})
    return event


TIME_FIELDS = ("starts_at", "ends_at")
PLACE_FIELDS = ("venue_name", "venue_address")


def _notify_changed_time_or_place(event: Event, changed: list[str], old: dict | None = None) -> int:
    """When a published event that has not ended moves in time or place, everyone registered
    gets the new details and the previous ones (`old`: field values before the change): the
    confirmed with an updated calendar file, the waitlisted with their position (no calendar
    file, see _mail). A new start also re-arms the reminder before the event. Returns the
    number of mails."""
    time_changed = any(key in changed for key in TIME_FIELDS)
    place_changed = any(key in changed for key in PLACE_FIELDS)
    if not (time_changed or place_changed) or not selectors.notifies_time_or_place_changes(event):
        return 0
    if "starts_at" in changed:
        event.registrations.filter(reminded_at__isnull=False).update(reminded_at=None)
    old = {key: getattr(event, key) for key in TIME_FIELDS + PLACE_FIELDS} | (old or {})
    parts = _mail_parts(event)

    @functools.cache
    def previous(language: str) -> dict:
        with translation.override(language):
            return {"old_when": formatting.when(old["starts_at"], old["ends_at"]) if time_changed else "",
                    "old_venue": ", ".join(p for p in (old["venue_name"], old["venue_address"]) if p)
                    if place_changed else ""}

    registrations = list(event.registrations.filter(status__in=Registration.ACTIVE).exclude(email=""))
    for registration in registrations:
        language = registration.language or "de"
        _mail(registration, event, "events/email/event_changed", prepared=parts(language),
              extra={"time_changed": time_changed, "place_changed": place_changed, **previous(language),
                     "waitlist_position": selectors.waitlist_position(registration)})  # one query per waitlisted person
    return len(registrations)


@transaction.atomic
def event_update(*, event: Event, actor, organisers=None, agenda_de=None, agenda_en=None, **fields) -> Event:
    event = _locked_event(event.pk)
    changed, old = [], {}
    for key, value in fields.items():
        if key in EVENT_FIELDS and getattr(event, key) != value:
            old[key] = getattr(event, key)
            setattr(event, key, value)
            changed.append(key)
    if "capacity" in changed and event.capacity is not None:
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if event.capacity < confirmed:
            raise ValidationError({"capacity": translation.ngettext(
                "Es ist bereits %(n)s Person bestätigt. Verschieben Sie sie zuerst auf die Warteliste "
                "oder wählen Sie mindestens %(n)s Platz.",
                "Es sind bereits %(n)s Personen bestätigt. Verschieben Sie zuerst Personen auf die Warteliste "
                "oder wählen Sie mindestens %(n)s Plätze.", confirmed) % {"n": confirmed}})
    _check_event(event)
    if organisers is not None and {o.pk for o in organisers} != set(event.organisers.values_list("pk", flat=True)):
        event.organisers.set(organisers)
        changed.append("organisers")
    if agenda_de is not None:
        # The form always sends the agenda: it is replaced (and logged) only when it differs.
        agenda = _agenda_pairs(list(agenda_de), list(agenda_en or []))
        if agenda != [(a.title_de, a.title_en) for a in event.agenda_items.all()]:
            _set_agenda(event, list(agenda_de), list(agenda_en or []))
            changed.append("agenda")
    event.notified = 0
    if not changed:
        # Nothing differs: no save, so updated_at (the calendar files' SEQUENCE) stays, and no log entry.
        return event
    event.save()
    event.notified = _notify_changed_time_or_place(event, changed, old)
    log_action("events.event.updated", obj=event, actor=actor, data={"fields": changed, "notified": event.notified})
    if "capacity" in changed and event.status == Event.Status.PUBLISHED and not event.is_past:
        _fill_free_seats(event, actor=actor)  # more seats: the waitlist moves up
        recount_events([event.pk])
        event.refresh_from_db(fields=["seats_taken", "waitlist_length"])
    return event


@transaction.atomic
def event_set_status(*, event: Event, status: str, actor, message: str = "") -> Event:
    """Publish, close or reopen registration, or cancel the event (everyone registered is told)."""
    event = _locked_event(event.pk)
    allowed = {
        Event.Status.DRAFT: {Event.Status.PUBLISHED, Event.Status.CANCELLED},
        Event.Status.PUBLISHED: {Event.Status.CLOSED, Event.Status.CANCELLED, Event.Status.DRAFT},
        Event.Status.CLOSED: {Event.Status.PUBLISHED, Event.Status.CANCELLED},
        Event.Status.CANCELLED: set(),
    }[event.status]
    if status not in allowed:
        raise ValidationError(_("Dieser Statuswechsel ist nicht möglich."))
    if status == Event.Status.DRAFT and event.registrations.exists():
        raise ValidationError(_("Eine Veranstaltung mit Anmeldungen kann nicht zurück in den Entwurf."))
    old = event.status
    event.status = status
    if status == Event.Status.CANCELLED:
        event.cancellation_message = message  # the personal pages show it with the notice
    event.save(update_fields=["status", "cancellation_message", "updated_at"])
    log_action("events.event.status", obj=event, actor=actor, data={"from": old, "to": status})
    if status == Event.Status.CANCELLED:
        parts = _mail_parts(event)
        for registration in event.registrations.filter(status__in=Registration.ACTIVE):
            _mail(registration, event, "events/email/event_cancelled", extra={"message": message},
                  prepared=parts(registration.language or "de"))
    return event


@transaction.atomic
def event_duplicate(*, event: Event, actor, starts_at: datetime.datetime | None = None) -> Event:
    """A copy as a draft (with agenda, organisers and questionnaire, without registrations),
    moved by default to the same weekday and time one week after the original."""
    source = Event.objects.get(pk=event.pk)
    shift = (starts_at - source.starts_at) if starts_at else datetime.timedelta(days=7)
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.status = Event.Status.DRAFT
    # The mark is part of the title in each language, whatever language the organiser uses.
    with translation.override("de"):
        copy.title_de = _("%(title)s (Kopie)") % {"title": source.title_de}
    if source.title_en:
        with translation.override("en"):
            copy.title_en = _("%(title)s (Kopie)") % {"title": source.title_en}
    copy.starts_at = source.starts_at + shift
    copy.ends_at = source.ends_at + shift
    copy.registration_deadline = source.registration_deadline + shift if source.registration_deadline else None
    copy.created_at = timezone.now()
    copy.seats_taken = copy.waitlist_length = 0
    copy.cancellation_message = ""
    copy.save()
    copy.organisers.set(source.organisers.all())
    AgendaItem.objects.bulk_create([AgendaItem(event=copy, position=a.position, title_de=a.title_de,
                                               title_en=a.title_en) for a in source.agenda_items.all()])
    for q in source.questions.all():
        q.pk = None
        q.id = None
        q.event = copy
        q.save()
    log_action("events.event.duplicated", obj=copy, actor=actor, data={"source": source.pk})
    return copy


@transaction.atomic
def event_message_send(*, event: Event, to_status: str, subject: str, body: str, actor) -> int:
    """Send a message to all confirmed or all waitlisted registrants. Returns the count."""
    if to_status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        raise ValidationError({"to_status": _("Bitte wählen Sie die Empfängergruppe.")})
    recipients = list(event.registrations.filter(status=to_status, anonymised_at__isnull=True))
    for registration in recipients:
        _mail(registration, event, "events/email/message", extra={"subject": subject, "body": body}, ics=False)
    log_action("events.event.message_sent", obj=event, actor=actor,
               data={"to_status": to_status, "subject": subject, "count": len(recipients)})
    return len(recipients)


# --------------------------------------------------------------------------- questionnaire

QUESTION_FIELDS = ("kind", "label_de", "label_en", "help_de", "help_en", "choices_de", "choices_en", "required")


def _check_question(question: Question) -> None:
    if question.kind in Question.CHOICE_KINDS and len(question.choice_list("de")) < 2:
        raise ValidationError({"choices_de": _("Eine Auswahlfrage braucht mindestens zwei Möglichkeiten.")})
    question.full_clean(exclude=["event"])


@transaction.atomic
def question_save(*, event: Event, actor, question: Question | None = None, **fields) -> Question:
    created = question is None
    if created:
        last = event.questions.aggregate(m=Max("position"))["m"]
        question = Question(event=event, position=(last or 0) + 1)
    for key, value in fields.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    _check_question(question)
    question.save()
    log_action("events.question.created" if created else "events.question.updated", obj=event, actor=actor,
               data={"question": question.pk, "label": question.label_de})
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    event = question.event
    log_action("events.question.deleted", obj=event, actor=actor,
               data={"question": question.pk, "label": question.label_de, "answers": question.answers.count()})
    question.delete()


@transaction.atomic
def question_move(*, question: Question, direction: str, actor) -> None:
    questions = list(question.event.questions.all())
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, 1):
        q.position = position
    Question.objects.bulk_update(questions, ["position"])
    log_action("events.question.moved", obj=question.event, actor=actor,
               data={"question": question.pk, "direction": direction})
