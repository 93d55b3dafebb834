"""The next deadline of an organisation, in one place: what the pact office or the organisation
has to do next, and by when. Before the partnership the stage decides (arrange the talk, hold
it, review the agreement); an active partner's obligations come from the apps that own them
(reports: the next report that is not in), through ``partners.registry.deadline_sources``.
The result is stored on the organisation (``next_deadline``, ``next_deadline_kind``) for the
pipeline's sorting and filters; every change that can move it calls ``deadline_refresh``."""

from __future__ import annotations

import datetime

from django.utils import timezone

from klimapakt.core import derived
from klimapakt.core.models import Pact

from .models import Agreement, Organisation, OrientationTalk
from .office_tasks import PIPELINE
from .registry import deadline_sources

Stage, Deadline = Organisation.Stage, Organisation.Deadline
INTEREST_TALK_WITHIN_DAYS = 30    # the pact office arranges the talk within 30 days of the interest
REVIEW_WITHIN_DAYS = 14           # ... and reviews a submitted agreement within 14 days
REARRANGE_TALK_WITHIN_DAYS = 14   # ... and proposes a new talk date within 14 days of a declined one


def next_deadline(organisation: Organisation, *, pact: Pact | None = None,
                  today: datetime.date | None = None) -> tuple[datetime.date | None, str]:
    """(date, Organisation.Deadline) of the next thing to do for `organisation`, or (None, "")."""
    from .selectors import open_talk

    stage = organisation.stage
    if stage == Stage.INTEREST:
        return timezone.localdate(organisation.created_at) + datetime.timedelta(INTEREST_TALK_WITHIN_DAYS), \
            Deadline.ARRANGE_TALK
    if stage == Stage.TALK_PLANNED:
        talk = open_talk(organisation)
        if talk is None:
            return None, ""
        if talk.answer == OrientationTalk.Answer.DECLINED and talk.answered_at:
            return timezone.localdate(talk.answered_at) + datetime.timedelta(REARRANGE_TALK_WITHIN_DAYS), \
                Deadline.ARRANGE_TALK
        return timezone.localdate(talk.scheduled_for), Deadline.TALK
    if stage == Stage.AGREEMENT_SUBMITTED:
        agreement = organisation.agreements.filter(status=Agreement.Status.SUBMITTED).first()
        if agreement and agreement.submitted_at:
            return timezone.localdate(agreement.submitted_at) + datetime.timedelta(REVIEW_WITHIN_DAYS), Deadline.REVIEW
        return None, ""
    if stage == Stage.ACTIVE and organisation.partner_since:
        pact = pact or Pact.objects.current()
        today = today or timezone.localdate()
        due = [found for source in deadline_sources
               if (found := source.next(organisation, pact, today)) is not None]
        if due:
            return min(due, key=lambda item: item[0])
    return None, ""


def deadline_refresh(*, organisation: Organisation, pact: Pact | None = None) -> None:
    """Store the organisation's next deadline (one UPDATE)."""
    due, kind = next_deadline(organisation, pact=pact)
    organisation.next_deadline, organisation.next_deadline_kind = due, kind
    Organisation.objects.filter(pk=organisation.pk).update(next_deadline=due, next_deadline_kind=kind)
    derived.changed(PIPELINE)
