"""The orientation talk: proposing a date, the answer, holding it, and the follow-up of unanswered dates."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from klimapakt.core.audit import log_action
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import office_recipients

from ..deadlines import deadline_refresh
from ..lifecycle import LIFECYCLE
from ..models import (
    Organisation,
    OrientationTalk,
    TalkReminder,
)
from ..selectors import open_talk, organisation_recipients, talks_awaiting_answer
from ._base import (
    Stage,
    _lock,
    _notify,
    _pact,
    _refuse,
    _set_stage,
)

TALK_REMINDER_DAYS_BEFORE = 3     # an unanswered talk date is followed up 3 days before the talk
TALK_IN_THE_PAST = _lazy("Der Termin liegt in der Vergangenheit. Bitte schlagen Sie einen Termin in der Zukunft vor.")


# --- orientation talk -----------------------------------------------------------------

@transaction.atomic
def talk_plan(*, organisation: Organisation, scheduled_for: datetime.datetime, actor, location: str = "",
              participants: str = "", notes: str = "") -> OrientationTalk:
    """The pact office proposes a date for the orientation talk; the organisation is told."""
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "plan_talk")
    talk = open_talk(organisation) or OrientationTalk(organisation=organisation, created_by=actor)
    if (talk.pk is None or talk.scheduled_for != scheduled_for) and scheduled_for <= timezone.now():
        _refuse(TALK_IN_THE_PAST, "scheduled_for")  # a corrected location of a past date is still saved
    # A new date asks the organisation again; a corrected location or note keeps its answer.
    answer_reset = talk.pk is not None and talk.scheduled_for != scheduled_for and talk.is_answered
    if talk.pk is None or talk.scheduled_for != scheduled_for:
        talk.answer, talk.answer_message = OrientationTalk.Answer.PROPOSED, ""
        talk.answered_at = talk.answered_by = None
        talk.proposed_at = timezone.now()
    talk.scheduled_for, talk.location, talk.participants, talk.notes = scheduled_for, location, participants, notes
    talk.full_clean()
    talk.save()
    _set_stage(organisation, step.target, actor=actor)
    log_action(step.audit, obj=organisation, actor=actor,
               data={"scheduled_for": scheduled_for, "location": location, "answer_reset": answer_reset})
    _notify("talk_planned", organisation_recipients(organisation), {
        "organisation": organisation.name, "date": _talk_date(talk),
        "location": location, "path": _path("portal:talk_answer", organisation.pk)})
    return talk


@transaction.atomic
def talk_answer(*, organisation: Organisation, actor, answer: str, message: str = "") -> OrientationTalk:
    """The organisation accepts or declines the proposed date of its orientation talk, with an
    optional message (e.g. other times that suit it). The pact office is told by mail. The answer
    can be changed while the talk is open and its date has not passed."""
    Answer = OrientationTalk.Answer
    organisation = _lock(organisation)
    if answer not in (Answer.ACCEPTED, Answer.DECLINED):
        _refuse(_("Wählen Sie, ob Sie den Termin zusagen oder ablehnen."), "answer")
    message = (message or "").strip()
    if len(message) > OrientationTalk.ANSWER_MESSAGE_MAX:
        _refuse(_("Die Nachricht ist zu lang (höchstens %(max)s Zeichen).")
                % {"max": OrientationTalk.ANSWER_MESSAGE_MAX}, "message")
    LIFECYCLE.check(organisation.stage, "answer_talk")
    talk = open_talk(organisation)
    if talk is None:
        LIFECYCLE.refuse(organisation.stage, "answer_talk")
    if not talk.can_be_answered:
        _refuse(_("Der vorgeschlagene Termin liegt bereits in der Vergangenheit. Bitte wenden Sie sich direkt an "
                  "die Geschäftsstelle."))
    if talk.answer == answer and talk.answer_message == message:
        _refuse(_("Diese Antwort haben Sie bereits gegeben."))
    previous = talk.answer
    talk.answer, talk.answer_message = answer, message
    talk.answered_at, talk.answered_by = timezone.now(), actor
    talk.full_clean()
    talk.save(update_fields=["answer", "answer_message", "answered_at", "answered_by"])
    deadline_refresh(organisation=organisation)
    accepted = answer == Answer.ACCEPTED
    log_action("partners.talk.accepted" if accepted else "partners.talk.declined", obj=organisation, actor=actor,
               data={"talk": talk.pk, "scheduled_for": talk.scheduled_for, "message": message,
                     "previous": previous})
    _notify("talk_answered_office", office_recipients(_pact()), {
        "organisation": organisation.name, "accepted": accepted, "message": message,
        "date": _talk_date(talk),
        "person": actor.get_full_name() or actor.email, "email": actor.email,
        "path": _path("backoffice:organisation", organisation.pk)})
    return talk


@transaction.atomic
def talk_mark_held(*, organisation: Organisation, actor, held_on: datetime.date, participants: str | None = None,
                   notes: str | None = None) -> OrientationTalk:
    """Mark the talk as held (or record a talk that took place without being planned here)."""
    organisation = _lock(organisation)
    step = LIFECYCLE.check(organisation.stage, "mark_talk_held")
    if held_on > timezone.localdate():
        _refuse(_("Ein Gespräch in der Zukunft kann nicht als geführt vermerkt werden."), "held_on")
    talk = open_talk(organisation)
    if talk is None:
        talk = OrientationTalk(organisation=organisation, created_by=actor,
                               scheduled_for=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(10))))
    talk.held_on = held_on
    if participants:
        talk.participants = participants
    if notes:
        talk.notes = notes if not talk.notes else f"{talk.notes}\n\n{notes}"
    talk.full_clean()
    talk.save()
    _set_stage(organisation, step.target, actor=actor)
    log_action(step.audit, obj=organisation, actor=actor, data={"held_on": held_on})
    _notify("talk_held", organisation_recipients(organisation), {
        "organisation": organisation.name, "path": _path("portal:agreement", organisation.pk)})
    return talk


# --- follow-up of unanswered talk dates (daily, `manage.py send_talk_reminders`) ---------

def _talk_date(talk: OrientationTalk) -> datetime.datetime:
    return talk.scheduled_for  # notify writes it for each recipient's language


def send_talk_reminders(*, now: datetime.datetime | None = None) -> tuple[list[TalkReminder], list[TalkReminder]]:
    """Follow up talk dates the organisation has not answered when the talk is at most
    `TALK_REMINDER_DAYS_BEFORE` days away (and has not begun; proposed on an earlier day): remind
    the organisation's members, then send the pact office one summary of these organisations.
    Each step once per talk and proposed date, however often (or however simultaneously) this runs.
    Returns (reminders to organisations, lines of the office summary) sent by this run."""
    now = now or timezone.now()
    Step = TalkReminder.Step
    reminded = []
    for talk in talks_awaiting_answer(now=now, days_before=TALK_REMINDER_DAYS_BEFORE, step=Step.ORGANISATION):
        reminder = _talk_reminder_send(talk=talk, now=now)
        if reminder is not None:
            reminded.append(reminder)
    return reminded, _talk_office_summary_send(now=now)


def _talk_reminder_send(*, talk: OrientationTalk, now: datetime.datetime) -> TalkReminder | None:
    """Remind the organisation of one proposal; None when it was answered, moved or already reminded."""
    try:
        with transaction.atomic():
            organisation = _lock(talk.organisation)  # serialises with talk_answer and talk_plan
            current = open_talk(organisation)
            if (not LIFECYCLE.allows(organisation.stage, "answer_talk") or current is None or current.pk != talk.pk
                    or current.scheduled_for != talk.scheduled_for or current.is_answered
                    or current.scheduled_for <= now):
                return None
            recipients = organisation_recipients(organisation, all_members=True)
            reminder = TalkReminder.objects.create(talk=current, step=TalkReminder.Step.ORGANISATION,
                                                   scheduled_for=current.scheduled_for, sent_at=now,
                                                   recipients=[e for e, _l in recipients])
            log_action("partners.talk.reminder_sent", obj=organisation,
                       data={"talk": current.pk, "scheduled_for": current.scheduled_for,
                             "recipients": len(recipients)})
            _notify("talk_reminder", recipients, {
                "organisation": organisation.name, "date": _talk_date(current), "location": current.location,
                "path": _path("portal:talk_answer", organisation.pk)})
    except IntegrityError:
        return None  # another run reminded of this date already
    return reminder


@transaction.atomic
def _talk_office_summary_send(*, now: datetime.datetime) -> list[TalkReminder]:
    """One mail to the pact office listing the organisations that have not answered and are not
    listed in an earlier summary for this date. Concurrent runs split the list, never repeat it."""
    Step = TalkReminder.Step
    office = office_recipients(_pact())
    lines = []
    for talk in talks_awaiting_answer(now=now, days_before=TALK_REMINDER_DAYS_BEFORE, step=Step.OFFICE):
        try:
            with transaction.atomic():
                line = TalkReminder.objects.create(talk=talk, step=Step.OFFICE, scheduled_for=talk.scheduled_for,
                                                   sent_at=now, recipients=[e for e, _l in office])
        except IntegrityError:
            continue  # listed by another run
        log_action("partners.talk.office_notified", obj=talk.organisation,
                   data={"talk": talk.pk, "scheduled_for": talk.scheduled_for})
        lines.append(line)
    if lines:
        with_recipients = {(talk_id, on) for talk_id, on, to in TalkReminder.objects.filter(
            talk__in=[line.talk_id for line in lines], step=Step.ORGANISATION).values_list(
            "talk_id", "scheduled_for", "recipients") if to}
        _notify("talks_unanswered_office", office, {
            "days": TALK_REMINDER_DAYS_BEFORE,
            "path": _path("backoffice:organisations") + f"?stage={Stage.TALK_PLANNED.value}&sort=deadline",
            "talks": [{"organisation": line.talk.organisation.name, "date": _talk_date(line.talk),
                       "location": line.talk.location,
                       "reminded": (line.talk_id, line.scheduled_for) in with_recipients,
                       "path": _path("backoffice:organisation", line.talk.organisation_id)} for line in lines]})
    return lines
