"""The event's status as one transition table (core.transitions): which action moves an event
from which status to which, who may take it and under which audit key it is logged.
``services.event_set_status`` asks the table instead of comparing statuses by hand; the back
office's overview asks it which status buttons to offer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from klimapakt.core.transitions import Transition, TransitionTable

from .models import Event

Status = Event.Status
MANAGE = "events.manage_event"
AUDIT = "events.event.status"  # one key for every change of status, with {"from", "to"}
# One refusal for every change the table does not allow (also a change to the same status).
REFUSAL = _("Dieser Statuswechsel ist nicht möglich.")

EVENT_STATUS = TransitionTable("event", [
    Transition("publish", sources=[Status.DRAFT], target=Status.PUBLISHED, permission=MANAGE, audit=AUDIT,
               refusal=REFUSAL),
    Transition("close", sources=[Status.PUBLISHED], target=Status.CLOSED, permission=MANAGE, audit=AUDIT,
               refusal=REFUSAL),
    Transition("reopen", sources=[Status.CLOSED], target=Status.PUBLISHED, permission=MANAGE, audit=AUDIT,
               refusal=REFUSAL),
    # Only without registrations (services.event_set_status checks that); no button offers it.
    Transition("unpublish", sources=[Status.PUBLISHED], target=Status.DRAFT, permission=MANAGE, audit=AUDIT,
               refusal=REFUSAL),
    Transition("cancel", sources=[Status.DRAFT, Status.PUBLISHED, Status.CLOSED], target=Status.CANCELLED,
               permission=MANAGE, audit=AUDIT, refusal=REFUSAL),
], labels=Status)


def step_to(status: str, target: str) -> Transition:
    """The transition from `status` to `target`; ValidationError with the refusal when the table
    has none."""
    transition = EVENT_STATUS.by_target(status, target)
    if transition is None:
        raise ValidationError(str(REFUSAL))  # one refusal for every change the table lacks
    return transition
