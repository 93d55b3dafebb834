"""Reminders of due and overdue reports (daily, `manage.py send_report_reminders`)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from klimapakt.core.audit import log_action
from klimapakt.core.notifications import mail_path as _path
from klimapakt.partners.models import Organisation
from klimapakt.partners.selectors import organisation_recipients

from ..models import (
    Reminder,
    Report,
)
from ._base import _notify
from .periods import reports_schedule

# --- Reminders ------------------------------------------------------------------------------

STEP_OFFSETS = [  # (step, days relative to the deadline; None: the period's start)
    (Reminder.Step.OPENED, None),
    (Reminder.Step.WEEKS_8, -56),
    (Reminder.Step.WEEKS_4, -28),
    (Reminder.Step.WEEKS_1, -7),
    (Reminder.Step.OVERDUE, 1),
]


def reminder_step(report: Report, today: datetime.date) -> str | None:
    """The latest reminder step that has come for this report (None before the period opens).
    A scheduler that missed days sends only the current step, never a backlog."""
    current = None
    for step, offset in STEP_OFFSETS:
        start = report.opens_on if offset is None else report.due_on + datetime.timedelta(days=offset)
        if today >= start and (offset is not None or today >= report.opens_on):
            current = step
    return current


def send_due_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Open the reports whose period began, then send each open report its current reminder
    step once. Safe to run any number of times a day, also twice at once."""
    today = today or timezone.localdate()
    reports_schedule(today=today)
    sent = []
    sent_steps = set(Reminder.objects.values_list("report_id", "step"))
    for report in (Report.objects.filter(status__in=Report.EDITABLE, opens_on__lte=today,
                                         organisation__stage=Organisation.Stage.ACTIVE)
                   .select_related("organisation").order_by("pk")):
        step = reminder_step(report, today)
        if step is None or (report.pk, step) in sent_steps:
            continue
        reminder = _reminder_send(report=report, step=step, today=today)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _reminder_send(*, report: Report, step: str, today: datetime.date) -> Reminder | None:
    recipients = organisation_recipients(report.organisation)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(report=report, step=step, sent_on=today,
                                               recipients=[e for e, _l in recipients])
            log_action("reports.reminder.sent", obj=report, data={"step": step, "due_on": report.due_on})
            _notify("reminder", recipients, {
                "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
                "step": step, "due_on": report.due_on.isoformat(),
                "days_left": (report.due_on - today).days,
                "path": _path("reports:report", report.organisation_id, report.pk)})
    except IntegrityError:
        return None  # another run sent this step already
    return reminder
