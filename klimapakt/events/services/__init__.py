"""Every write of the events app, by sub-domain: events (events), registrations with capacity
(registrations, waitlist, locking), questionnaires, mails to registrants (mails), reminders and
retention. Keyword-only, atomic, audited; mails are written to the outbox in the same
transaction, so they go out only after the change committed. Reads are in ``selectors``.

Callers use ``from klimapakt.events import services`` and ``services.registration_create(...)``;
the names below are the public interface."""

from .checkin import CheckInResult, check_in_by_code
from .events import (
    EVENT_FIELDS,
    event_check,
    event_create,
    event_duplicate,
    event_message_send,
    event_set_status,
    event_update,
)
from .questionnaires import question_delete, question_move, question_save
from .registrations import (
    AlreadyRegistered,
    RegistrationClosed,
    answers_update,
    attendance_set,
    registration_cancel,
    registration_create,
    registration_delete,
    registration_link_resend,
    registration_validate,
    registrations_exported,
)
from .reminders import send_event_reminders
from .retention import anonymise_registrations
from .validation import PersonData
from .waitlist import (
    recount_events,
    registration_decline,
    registration_promote,
    registration_to_waitlist,
    waitlist_move,
)

__all__ = [
    "EVENT_FIELDS", "AlreadyRegistered", "PersonData", "RegistrationClosed", "anonymise_registrations", "answers_update",
    "attendance_set", "CheckInResult", "check_in_by_code", "event_check", "event_create", "event_duplicate", "event_message_send",
    "event_set_status", "event_update", "question_delete", "question_move", "question_save", "recount_events",
    "registration_cancel", "registration_create", "registration_decline", "registration_delete",
    "registration_link_resend", "registration_promote", "registration_to_waitlist", "registration_validate",
    "registrations_exported", "send_event_reminders", "waitlist_move",
]
