"""DSGVO export and erasure for reports (klimapakt.core.privacy). Reports belong to the
organisation and stay; the person's link to them (who submitted, who commented) is cut by the
foreign keys (SET NULL) when the account goes, and their address leaves the reminder log.

An organisation the pact office deletes loses its reports here first (a report holds its
balance and targets by PROTECT, so the organisation's cascade alone would be refused), and the
archived PDFs leave the storage after commit. An anonymised organisation keeps its reports and
their archived versions: they are the record, and their figures count in the pact's totals."""

from __future__ import annotations

from django.db import transaction

from .models import Measure, Reminder, Report, ReportVersion, ReviewComment


def export(user) -> dict:
    email = user.email.lower()
    return {
        "report_versions_submitted": [
            {"organisation": v.report.organisation.name, "report": v.report.kind, "year": v.report.year,
             "version": v.number, "submitted_at": v.submitted_at.isoformat()}
            for v in ReportVersion.objects.filter(submitted_by=user).select_related("report__organisation")],
        "review_comments_written": [
            {"organisation": c.report.organisation.name, "report": c.report.kind, "year": c.report.year,
             "section": c.section, "text": c.text, "created_at": c.created_at.isoformat()}
            for c in ReviewComment.objects.filter(author=user).select_related("report__organisation")],
        "measures_entered": list(Measure.objects.filter(created_by=user).values("organisation__name", "title")),
        "reminders_received": [
            {"report": r.report.kind, "year": r.report.year, "step": r.step, "sent_on": r.sent_on.isoformat()}
            for r in Reminder.objects.filter(recipients__icontains=email).select_related("report")
            if email in r.recipients],
    }


def erase(user) -> None:
    email = user.email.lower()
    for reminder in Reminder.objects.filter(recipients__icontains=email).only("pk", "recipients"):
        if email in reminder.recipients:
            reminder.recipients = [e for e in reminder.recipients if e != email]
            reminder.save(update_fields=["recipients"])


def delete_organisation(organisation) -> None:
    storage = ReportVersion._meta.get_field("pdf").storage
    for name in ReportVersion.objects.filter(report__organisation=organisation).exclude(pdf="").values_list(
            "pdf", flat=True):
        transaction.on_commit(lambda name=name: storage.delete(name), robust=True)
    Report.objects.filter(organisation=organisation).delete()
