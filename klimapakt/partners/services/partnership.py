"""Leaving, pausing, resuming and ending a partnership."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import office_recipients

from ..lifecycle import LIFECYCLE
from ..models import (
    Agreement,
    Organisation,
)
from ..selectors import organisation_recipients
from ._base import (
    _lock,
    _notify,
    _pact,
    _refuse,
    _set_stage,
)

# --- leaving, pausing, ending ------------------------------------------------------------

def _end_agreement(organisation: Organisation) -> None:
    organisation.agreements.exclude(status=Agreement.Status.ENDED).update(
        status=Agreement.Status.ENDED, ended_on=timezone.localdate())


@transaction.atomic
def partnership_leave(*, organisation: Organisation, actor, reason: str = "") -> Organisation:
    """The organisation leaves the pact (at any stage). History stays; the listing disappears."""
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "leave")
    was = organisation.stage
    _end_agreement(organisation)
    _set_stage(organisation, step.target, actor=actor, reason=reason.strip())
    log_action(step.audit, obj=organisation, actor=actor, data={"from": was, "reason": reason})
    _notify("partnership_left_office", office_recipients(_pact()), {
        "organisation": organisation.name, "reason": reason, "path": _path("backoffice:organisation", organisation.pk)})
    _notify("partnership_left", organisation_recipients(organisation), {"organisation": organisation.name})
    return organisation


@transaction.atomic
def partnership_pause(*, organisation: Organisation, actor, reason: str) -> Organisation:
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "pause")
    if not reason.strip():
        _refuse(_("Geben Sie einen Grund an."), "reason")
    _set_stage(organisation, step.target, actor=actor, reason=reason.strip())
    log_action(step.audit, obj=organisation, actor=actor, data={"reason": reason.strip()})
    _notify("partnership_paused", organisation_recipients(organisation), {
        "organisation": organisation.name, "reason": reason.strip()})
    return organisation


@transaction.atomic
def partnership_resume(*, organisation: Organisation, actor, reason: str = "") -> Organisation:
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "resume")
    _set_stage(organisation, step.target, actor=actor, reason=reason.strip())
    log_action(step.audit, obj=organisation, actor=actor, data={"reason": reason.strip()})
    _notify("partnership_resumed", organisation_recipients(organisation), {"organisation": organisation.name})
    return organisation


@transaction.atomic
def partnership_end(*, organisation: Organisation, actor, reason: str) -> Organisation:
    """The pact office ends a partnership (or closes an interest) with a reason."""
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "end")
    if not reason.strip():
        _refuse(_("Geben Sie einen Grund an."), "reason")
    was = organisation.stage
    _end_agreement(organisation)
    _set_stage(organisation, step.target, actor=actor, reason=reason.strip())
    log_action(step.audit, obj=organisation, actor=actor, data={"from": was,
                                                                                   "reason": reason.strip()})
    _notify("partnership_ended", organisation_recipients(organisation), {
        "organisation": organisation.name, "reason": reason.strip()})
    return organisation
