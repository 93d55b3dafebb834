"""Registrations from the participant's side: register (confirmed while seats are left, else
waitlisted in order), the personal link again, change answers, cancel, delete; and the
organiser's check-in and the record of an export. Keyword-only, atomic, audited; mails go to
the outbox in the same transaction."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .. import selectors
from ..models import CONSENT_VERSION, Answer, Event, Question, Registration
from .locking import locked_registration, sqlite_write_gate
from .mails import event_context, ics_attachment, mail_registrant
from .validation import PersonData, clean_answers, validate_person
from .waitlist import fill_free_seats, recount_events


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
    prepared = (event_context(event, person.language), ics_attachment(event, person.language))
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
        for check in (lambda: validate_person(person),
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
    mail_registrant(registration, event, "events/email/registration",
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
        mail_registrant(registration, registration.event, "events/email/link",
                        extra={"waitlist_position": selectors.waitlist_position(registration)})
    return True


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """The participant cancels: the seat goes to the first on the waitlist, who is told."""
    event, registration = locked_registration(registration)
    if not registration.is_active:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.waitlist_order = None
    registration.save(update_fields=["status", "waitlist_order", "updated_at"])
    log_action("events.registration.cancelled", obj=registration, actor=actor,
               data={"event": event.pk, "was_confirmed": was_confirmed})
    mail_registrant(registration, event, "events/email/cancelled", ics=False,
                    extra={"was_waitlisted": not was_confirmed})
    if was_confirmed and event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED) and not event.is_past:
        fill_free_seats(event, actor=actor)
    recount_events([event.pk])
    return registration


@transaction.atomic
def registration_delete(*, registration: Registration, actor=None) -> None:
    """The participant deletes the registration with all answers (DSGVO). A freed seat goes
    to the waitlist. The audit log keeps the fact, not the person."""
    event, registration = locked_registration(registration)
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    log_action("events.registration.deleted", obj=registration, actor=actor,
               data={"event": event.pk, "status": registration.status})
    registration.delete()
    if was_confirmed and event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED) and not event.is_past:
        fill_free_seats(event, actor=actor)
    recount_events([event.pk])


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
    """Mark a person present or not. Only a confirmed registration can be marked present (as with
    the check-in code): the waitlisted and cancelled have no seat, and the pact's figures count
    every registration marked present as a participant. Taking a mark away is always possible."""
    now = timezone.now()
    if attended and not registration.attended:
        status, event_status = (Registration.objects.filter(pk=registration.pk)
                                .values_list("status", "event__status").first() or (None, None))
        if event_status == Event.Status.CANCELLED:
            raise ValidationError(_("Die Veranstaltung ist abgesagt. Niemand kann als anwesend markiert werden."))
        if status != Registration.Status.CONFIRMED:
            raise ValidationError(_("Die Anmeldung von %(name)s ist nicht bestätigt (Status: %(status)s). Sie kann "
                                    "nicht als anwesend markiert werden.") % {
                "name": registration.full_name, "status": Registration.Status(status).label if status else "–"})
    # The time of the check-in (the code scanner says "bereits eingecheckt um …"); a person
    # marked present again keeps the first time.
    checked_in_at = (registration.checked_in_at or now) if attended else None
    Registration.objects.filter(pk=registration.pk).update(attended=attended, checked_in_at=checked_in_at,
                                                           updated_at=now)
    registration.attended = attended
    registration.checked_in_at = checked_in_at
    log_action("events.registration.attendance", obj=registration, actor=actor,
               data={"event": registration.event_id, "attended": attended})
    return registration


@transaction.atomic
def registrations_exported(*, event: Event, actor, file_format: str) -> None:
    """Record that the organiser took the registrations out of the platform (CSV, XLSX or the
    attendance list as PDF): personal data left, so the audit log says who and when."""
    log_action("events.registrations.exported", obj=event, actor=actor, data={"format": file_format})
