"""Every write of reports and measures, by sub-domain: measures, report periods, editing and
review, reminders. Keyword-only, atomic, audit-logged; mails are written to the outbox in the
same transaction. What a report says and what stops its submission are reads
(`reports.snapshots`)."""

from .measures import consent_update, kwh_to_t, measure_delete, measure_save, measure_template_save
from .periods import report_start, reports_schedule
from .reminders import reminder_step, send_due_reminders
from .review import report_accept, report_reopen, report_return, report_submit, report_update

__all__ = [
    "consent_update", "kwh_to_t", "measure_delete", "measure_save", "measure_template_save", "reminder_step",
    "report_accept", "report_reopen", "report_return", "report_start", "report_submit", "report_update", "reports_schedule",
    "send_due_reminders",
]
