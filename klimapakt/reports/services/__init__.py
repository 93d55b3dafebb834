"""Every write of reports and measures, by sub-domain: measures, report periods, editing and
review, reminders. Keyword-only, atomic, audit-logged; mails are written to the outbox in the
same transaction. What a report says and what stops its submission are reads
(`reports.snapshots`)."""

from .measures import Saving, consent_update, measure_delete, measure_save, measure_template_save, saving_to_t
from .periods import report_start, reports_schedule
from .reminders import reminder_step, send_due_reminders
from .review import report_accept, report_reopen, report_return, report_submit, report_update

__all__ = [
    "Saving", "consent_update", "measure_delete", "measure_save", "measure_template_save", "reminder_step",
    "report_accept", "report_reopen", "report_return", "report_start", "report_submit", "report_update",
    "reports_schedule", "saving_to_t", "send_due_reminders",
]
