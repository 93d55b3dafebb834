"""Check-in at the door with the code of a registration's QR code (events.checkin): only an
organiser of the same event, only a confirmed registration, once. Every attempt is audited:
a check-in on the registration, a refusal on the event (a forged or foreign code is worth
knowing about)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from klimapakt.core.audit import log_action

from .. import checkin
from ..models import Event, Registration


@dataclass(frozen=True)
class CheckInResult:
    """outcome: "checked_in", "already" (present since `registration.checked_in_at`), or why
    the code was refused: "invalid", "other_event", "cancelled" (the event was called off),
    "unknown", "not_confirmed"."""

    outcome: str
    registration: Registration | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("checked_in", "already")


def _refuse(event: Event, reason: str, actor, registration: Registration | None = None) -> CheckInResult:
    log_action("events.checkin.refused", obj=event, actor=actor, data={"reason": reason})
    return CheckInResult(reason, registration)


@transaction.atomic
def check_in_by_code(*, event: Event, code: str, actor) -> CheckInResult:
    read = checkin.read_code(code)
    if read is None:
        return _refuse(event, "invalid", actor)
    if read.event_id != event.pk:
        return _refuse(event, "other_event", actor)
    if event.status == Event.Status.CANCELLED:
        return _refuse(event, "cancelled", actor)
    registration = (Registration.objects.select_for_update().filter(pk=read.registration_id, event=event)
                    .first())
    if registration is None:
        return _refuse(event, "unknown", actor)
    if registration.status != Registration.Status.CONFIRMED:
        return _refuse(event, "not_confirmed", actor, registration)
    if registration.attended:
        return CheckInResult("already", registration)
    now = timezone.now()
    Registration.objects.filter(pk=registration.pk).update(attended=True, checked_in_at=now, updated_at=now)
    registration.attended, registration.checked_in_at = True, now
    log_action("events.registration.checked_in", obj=registration, actor=actor,
               data={"event": event.pk, "attended": True})
    return CheckInResult("checked_in", registration)
