"""Editing, submitting and reviewing a report (return with comments, acceptance)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import Pact
from klimapakt.core.notifications import mail_path as _path
from klimapakt.core.notifications import office_recipients
from klimapakt.ghg.services import balance_freeze, balance_unfreeze
from klimapakt.partners.deadlines import deadline_refresh
from klimapakt.partners.selectors import organisation_recipients

from ..models import (
    Measure,
    Report,
    ReportVersion,
    ReviewComment,
    Section,
    TargetProgress,
)
from ..snapshots import _balance_with_lines, build_snapshot, submission_problems
from ..transitions import REPORT_STATUS
from ._base import K, S, _notify, _refuse

# --- Editing, submitting, reviewing ---------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)


@transaction.atomic
def report_update(*, report: Report, actor, notes: dict[str, str] | None = None, balance_year: int | None = None,
                  progress: dict[int, tuple[str, str]] | None = None) -> Report:
    """Save the draft: notes per section, the balance year, the progress of each target."""
    report = _lock(report)
    if not report.is_editable:
        _refuse(_("Ein eingereichter Bericht kann nicht mehr geändert werden."))
    if notes is not None:
        report.notes = {k: (v or "").strip() for k, v in notes.items() if k in Section.values}
    if balance_year is not None:
        if report.kind != K.BASELINE and balance_year != report.balance_year:
            _refuse(_("Das Bilanzjahr eines Monitoringberichts ist festgelegt."), "balance_year")
        report.balance_year = balance_year
    report.updated_at = timezone.now()
    report.save(update_fields=["notes", "balance_year", "updated_at"])
    if progress is not None:
        targets = {t.pk for t in report.organisation.targets.current()}
        errors = {}
        for target_id, (status, justification) in progress.items():
            if target_id not in targets:
                continue
            justification = (justification or "").strip()
            if status == TargetProgress.Status.BEHIND and not justification:
                errors[f"progress_{target_id}_justification"] = [
                    _("Bitte begründen Sie, warum Sie bei diesem Ziel im Rückstand sind.")]
                continue
            TargetProgress.objects.update_or_create(report=report, target_id=target_id,
                                                    defaults={"status": status, "justification": justification})
        if errors:
            raise ValidationError(errors)
    log_action("reports.report.saved", obj=report, actor=actor, data={"balance_year": report.balance_year})
    return report


@transaction.atomic
def report_submit(*, report: Report, actor) -> ReportVersion:
    """Submit (or resubmit after a return): refused with a clear message while something is
    missing; stores an immutable snapshot as a new version."""
    report = _lock(report)
    REPORT_STATUS.check(report.status, "submit")
    problems = submission_problems(report)
    if problems:
        raise ValidationError(problems)
    snapshot = build_snapshot(report)
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion.objects.create(report=report, number=number, snapshot=snapshot,
                                           submitted_at=timezone.now(), submitted_by=actor)
    balance = _balance_with_lines(report)
    measures = snapshot["measures"]
    report.balance = balance
    report.scope1_t, report.scope2_location_t = balance.scope1_t, balance.scope2_location_t
    report.scope2_market_t, report.scope3_t = balance.scope2_market_t, balance.scope3_t
    report.exact_t = balance.emissions.encode()  # totals of the report sum these, never the rounded figures
    report.measures_total = len(measures)
    report.measures_implemented = sum(1 for m in measures if m["status"] == Measure.Status.IMPLEMENTED)
    report.expected_savings_t = sum((Decimal(m["expected_t_co2e"] or 0) for m in measures
                                     if m["status"] != Measure.Status.DROPPED), Decimal(0))
    report.realised_savings_t = sum((Decimal(m["realised_t_co2e"] or 0) for m in measures), Decimal(0))
    was = report.status
    report.status = S.SUBMITTED
    report.submitted_at = version.submitted_at
    report.updated_at = timezone.now()
    report.save()
    deadline_refresh(organisation=report.organisation)
    log_action("reports.report.resubmitted" if was == S.RETURNED else "reports.report.submitted", obj=report,
               actor=actor, data={"organisation": report.organisation_id, "version": number,
                                  "total_location_t": balance.total_location_t})
    from ..tasks import archive_version_pdf

    transaction.on_commit(lambda: archive_version_pdf.enqueue(version.pk))
    pact = Pact.objects.current()
    _notify("report_submitted_office", office_recipients(pact), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "version": number, "path": _path("reports_office:review", report.pk)})
    _notify("report_submitted", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "path": _path("reports:report", report.organisation_id, report.pk)})
    return version


@transaction.atomic
def report_return(*, report: Report, actor, comments: dict[str, str]) -> Report:
    """The pact office returns a submitted report with comments per section."""
    report = _lock(report)
    step = REPORT_STATUS.check(report.status, "return")
    comments = {k: v.strip() for k, v in comments.items() if k in Section.values and (v or "").strip()}
    if not comments:
        _refuse(_("Schreiben Sie mindestens zu einem Abschnitt, was geändert werden soll."), "comments")
    version = report.versions.order_by("-number").first()
    ReviewComment.objects.bulk_create([ReviewComment(report=report, version=version, section=s, text=t, author=actor)
                                       for s, t in comments.items()])
    report.status = step.target
    report.updated_at = timezone.now()
    report.save(update_fields=["status", "updated_at"])
    deadline_refresh(organisation=report.organisation)
    log_action(step.audit, obj=report, actor=actor,
               data={"organisation": report.organisation_id, "version": version.number if version else None,
                     "sections": sorted(comments)})
    labels = dict(Section.choices)
    _notify("report_returned", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "comments": [{"section": str(labels[s]), "text": t} for s, t in comments.items()],
        "path": _path("reports:report", report.organisation_id, report.pk)})
    return report


@transaction.atomic
def report_accept(*, report: Report, actor) -> Report:
    """The pact office accepts: the balance is frozen, the next deadline moves on."""
    report = _lock(report)
    step = REPORT_STATUS.check(report.status, "accept")
    if report.balance_id:
        balance_freeze(balance=report.balance, actor=actor)
    report.status = step.target
    report.accepted_at = timezone.now()
    report.accepted_by = actor
    report.updated_at = report.accepted_at
    report.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    log_action(step.audit, obj=report, actor=actor,
               data={"organisation": report.organisation_id, "balance": report.balance_id})
    from klimapakt.partners.services import directory_changed

    deadline_refresh(organisation=report.organisation)
    directory_changed()
    _notify("report_accepted", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "path": _path("reports:dashboard", report.organisation_id)})
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """The pact office opens an accepted report for a correction ("Zur Korrektur öffnen"): the
    reason is required and becomes the office's comment on the balance, the balance is unfrozen
    so the partner can correct its lines, and the report is returned for a corrected version (a
    new ReportVersion; the accepted version and its snapshot stay). Its owners are told by mail.
    Refused while another accepted report still holds the same balance."""
    report = _lock(report)
    step = REPORT_STATUS.check(report.status, "reopen")
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Bitte schreiben Sie, was korrigiert werden soll."), "reason")
    if report.balance_id:
        other = (Report.objects.filter(balance_id=report.balance_id, status=S.ACCEPTED).exclude(pk=report.pk)
                 .first())
        if other is not None:
            _refuse(_("Die Bilanz %(year)s gehört auch zum angenommenen Bericht „%(report)s %(report_year)s“. "
                      "Öffnen Sie zuerst diesen zur Korrektur.")
                    % {"year": report.balance_year, "report": other.get_kind_display(), "report_year": other.year})
        balance_unfreeze(balance=report.balance, actor=actor, reason=reason)
    version = report.versions.order_by("-number").first()
    ReviewComment.objects.create(report=report, version=version, section=Section.BALANCE, text=reason, author=actor)
    report.status = step.target
    report.accepted_at = None
    report.accepted_by = None
    report.updated_at = timezone.now()
    report.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    log_action(step.audit, obj=report, actor=actor,
               data={"organisation": report.organisation_id, "version": version.number if version else None,
                     "reason": reason, "balance": report.balance_id})
    from klimapakt.partners.services import directory_changed

    deadline_refresh(organisation=report.organisation)
    directory_changed()  # its figures are no longer published until it is accepted again
    _notify("report_reopened", organisation_recipients(report.organisation), {
        "organisation": report.organisation.name, "report": report.get_kind_display(), "year": report.year,
        "balance_year": report.balance_year, "reason": reason,
        "path": _path("reports:report", report.organisation_id, report.pk)})
    return report
