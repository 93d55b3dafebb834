"""Every write of the council report: create it, save its texts, request an export, retry a
failed one, and build an export (called by the background task). Keyword-only, atomic, audited.

An export is queued in the same transaction as the request and handed to the task queue after
commit; when the worker is down the request still succeeds and the export waits, visibly
("Wartet auf die Verarbeitung"), until a worker takes it (see selectors.export_state)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import CouncilExport, CouncilReport

logger = logging.getLogger(__name__)

TASK = "klimapakt.insights.council.tasks.build_council_export"


@transaction.atomic
def council_report_create(*, pact, year: int, actor) -> CouncilReport:
    """Start the council report of `year` (one per pact and year); its texts begin empty."""
    if CouncilReport.objects.filter(pact=pact, year=year).exists():
        raise ValidationError({"year": _("Für %(year)s gibt es bereits einen Sachstandsbericht.") % {"year": year}})
    report = CouncilReport(pact=pact, year=year, created_by=actor, updated_by=actor)
    report.full_clean()
    report.save()
    log_action("insights.council_report.created", obj=report, actor=actor, data={"year": year})
    return report


@transaction.atomic
def council_report_save(*, report: CouncilReport, introduction: str, highlights: str, outlook: str,
                        actor) -> CouncilReport:
    """Save the office's texts. Versions already exported keep the texts they were built with."""
    report = CouncilReport.objects.select_for_update().get(pk=report.pk)
    changed = [name for name, value in (("introduction", introduction), ("highlights", highlights),
                                        ("outlook", outlook)) if getattr(report, name) != value]
    report.introduction, report.highlights, report.outlook = introduction, highlights, outlook
    report.updated_at, report.updated_by = timezone.now(), actor
    report.full_clean()
    report.save()
    log_action("insights.council_report.saved", obj=report, actor=actor, data={"fields": changed})
    return report


@transaction.atomic
def council_export_request(*, report: CouncilReport, actor) -> CouncilExport:
    """Queue a new version (PDF and XLSX) of the report. One export at a time per report."""
    report = CouncilReport.objects.select_for_update().get(pk=report.pk)  # one writer numbers versions
    if report.exports.filter(status__in=[CouncilExport.Status.QUEUED, CouncilExport.Status.RUNNING]).exists():
        raise ValidationError(_("Für diesen Bericht wird bereits eine Fassung erstellt. Bitte warten Sie, bis sie "
                                "fertig ist."))
    number = (report.exports.aggregate(n=Max("number"))["n"] or 0) + 1
    export = CouncilExport.objects.create(report=report, number=number, created_by=actor)
    log_action("insights.council_export.requested", obj=report, actor=actor, data={"version": number})
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


@transaction.atomic
def council_export_retry(*, export: CouncilExport, actor) -> CouncilExport:
    """Queue a failed (or stuck) export again, as the same version."""
    from .selectors import export_state

    export = CouncilExport.objects.select_for_update().select_related("report").get(pk=export.pk)
    if not export_state(export).retryable:
        raise ValidationError(_("Nur eine fehlgeschlagene oder hängende Fassung kann erneut gestartet werden."))
    now = timezone.now()
    CouncilExport.objects.filter(pk=export.pk).update(
        status=CouncilExport.Status.QUEUED, progress=0, error="", task_id="", queued_at=now, started_at=None,
        finished_at=None, attempts=export.attempts + 1)
    export.refresh_from_db()
    log_action("insights.council_export.retried", obj=export.report, actor=actor, data={"version": export.number})
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    """Hand the export to the task queue and remember the task's id. A queue that cannot be
    reached (Redis down) fails the export visibly, with a retry, instead of the page failing."""
    from .tasks import build_council_export

    try:
        result = build_council_export.enqueue(export_id=export_id)
    except Exception:  # noqa: BLE001 - the queue is unreachable: the office sees it and can retry
        logger.exception("council export %s could not be queued", export_id)
        council_export_fail(export_id=export_id, reason=_(
            "Die Hintergrundverarbeitung war nicht erreichbar, daher wurde die Erstellung nicht gestartet."))
        return
    CouncilExport.objects.filter(pk=export_id, task_id="").update(task_id=str(result.id))


def council_export_fail(*, export_id: int, reason: str = "") -> bool:
    """Mark an open export as failed with a German message for the office."""
    message = _("Die Fassung konnte nicht erstellt werden: %(reason)s Sie können die Erstellung erneut "
                "starten.") % {"reason": reason or _("Die Verarbeitung im Hintergrund wurde abgebrochen.")}
    with transaction.atomic():
        updated = CouncilExport.objects.filter(
            pk=export_id, status__in=[CouncilExport.Status.QUEUED, CouncilExport.Status.RUNNING]).update(
            status=CouncilExport.Status.FAILED, finished_at=timezone.now(), error=message)
        if updated:
            export = CouncilExport.objects.select_related("report__pact").get(pk=export_id)
            log_action("insights.council_export.failed", obj=export.report, data={"version": export.number})
    return bool(updated)


def _progress(export_id: int, percent: int) -> None:
    """Progress is written outside any transaction, so the office's page sees it while it builds."""
    CouncilExport.objects.filter(pk=export_id, status=CouncilExport.Status.RUNNING).update(progress=percent)


def council_export_build(*, export_id: int) -> bool:
    """Build the PDF and the XLSX of a queued export and archive them. Runs for a queued export,
    or again for a running one whose worker died (the reaper queues the task again): the files
    are written only at the end, in one transaction, so a second run replaces nothing. Returns
    whether it built."""
    from . import document, workbook
    from .selectors import council_progress

    now = timezone.now()
    claimed = CouncilExport.objects.filter(
        pk=export_id, status__in=[CouncilExport.Status.QUEUED, CouncilExport.Status.RUNNING]).update(
        status=CouncilExport.Status.RUNNING, started_at=now, progress=5, error="")
    if not claimed:
        return False
    export = CouncilExport.objects.select_related("report__pact", "report__updated_by").get(pk=export_id)
    report = export.report
    try:
        progress = council_progress(report.pact, report.year)
        _progress(export_id, 35)
        content = document.council_document(report, progress, version=export.number, generated_at=now)
        _progress(export_id, 45)
        pdf = document.council_pdf(content)
        _progress(export_id, 85)
        xlsx = workbook.council_xlsx(content)
        _progress(export_id, 95)
    except Exception:
        logger.exception("council export %s failed", export_id)
        council_export_fail(export_id=export_id, reason=_("Beim Erstellen ist ein Fehler aufgetreten."))
        raise
    base = document.file_stem(report, export.number)
    with transaction.atomic():
        export = CouncilExport.objects.select_for_update().get(pk=export_id)
        if export.status != CouncilExport.Status.RUNNING:  # failed meanwhile (the reaper): leave it
            return False
        export.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
        export.xlsx.save(f"{base}.xlsx", ContentFile(xlsx), save=False)
        export.status, export.progress, export.finished_at = CouncilExport.Status.DONE, 100, timezone.now()
        export.save(update_fields=["pdf", "xlsx", "status", "progress", "finished_at"])
        log_action("insights.council_export.finished", obj=report, data={"version": export.number})
    return True
