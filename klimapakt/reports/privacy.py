"""DSGVO export and erasure for reports (klimapakt.core.privacy). Reports belong to the
organisation and stay; the person's link to them (who submitted, who commented) is cut by the
foreign keys (SET NULL) when the account goes, and their address leaves the reminder log."""

from __future__ import annotations

from .models import Measure, Reminder, ReportVersion, ReviewComment


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
