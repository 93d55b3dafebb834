"""Reminders before an event, once per registration (scheduled job send_event_reminders)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from klimapakt.core.audit import log_action

from .. import selectors
from ..models import Registration
from .mails import mail_parts, mail_registrant

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
        parts = mail_parts(event)
        with transaction.atomic():
            # skip_locked: a simultaneous run takes the rows this one holds, and the other way round.
            due = list(Registration.objects.select_for_update(skip_locked=True).filter(
                event=event, status=Registration.Status.CONFIRMED, reminded_at__isnull=True,
                created_at__lt=now - datetime.timedelta(hours=REMINDER_QUIET_HOURS)).exclude(email=""))
            if not due:
                continue
            Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
            for registration in due:
                mail_registrant(registration, event, "events/email/reminder",
                                prepared=parts(registration.language or "de"))
            log_action("events.reminders.sent", obj=event, data={"count": len(due)})
        sent += len(due)
    return sent
