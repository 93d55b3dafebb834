"""Reads of the council report: the reports and their versions for the office's pages (a
constant number of queries), the public figures a version is built from, and the state of an
export as the office should see it (failed, or waiting for a worker that does not run)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..figures import Progress
from ..models import CouncilExport, CouncilReport

logger = logging.getLogger(__name__)

STUCK_AFTER = datetime.timedelta(minutes=10)  # a build takes seconds; running this long: its worker is gone
WAITING_NOTICE_AFTER = datetime.timedelta(minutes=2)  # queued this long: tell the office why it waits
ARCHIVE_LIMIT = 200  # versions listed per report (newest first)


def council_progress(pact, year: int) -> Progress:
    """The pact's PUBLIC figures (privacy threshold and suppression applied), as the public
    progress page shows them; the report cuts its tables at its year."""
    from ..selectors.progress import pact_progress

    return pact_progress(pact, public=True)


def council_reports(pact) -> list[CouncilReport]:
    """Every council report of the pact, newest year first, with its number of versions and its
    latest version (two queries)."""
    reports = list(CouncilReport.objects.filter(pact=pact).select_related("updated_by")
                   .annotate(versions=Count("exports")).order_by("-year"))
    newest = CouncilExport.objects.filter(report=OuterRef("report")).order_by("-number").values("pk")[:1]
    latest = {e.report_id: e for e in CouncilExport.objects.filter(report__in=reports, pk=Subquery(newest))}
    for report in reports:
        report.latest = latest.get(report.pk)
    return reports


def council_report_for(*, pact, pk: int) -> CouncilReport:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CouncilReport.objects.select_related("pact", "updated_by").prefetch_related(
        Prefetch("exports", queryset=CouncilExport.objects.select_related("created_by").order_by("-number")
                 [:ARCHIVE_LIMIT], to_attr="archive")), pact=pact, pk=pk)


def council_export_for(*, pact, report_pk: int, pk: int) -> CouncilExport:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CouncilExport.objects.select_related("report__pact", "created_by"),
                             pk=pk, report_id=report_pk, report__pact=pact)


@dataclass(frozen=True)
class ExportState:
    """An export as the office should see it: ``failed`` (with the message), ``waiting`` (queued
    for a while: the worker may be down), ``stuck`` (running far longer than a build takes),
    ``retryable`` (failed or stuck: "Erneut versuchen")."""

    status: str
    label: str
    open: bool
    failed: bool
    waiting: bool
    stuck: bool
    no_worker: bool
    message: str

    @property
    def retryable(self) -> bool:
        return self.failed or self.stuck


def _task_failed(export: CouncilExport) -> bool:
    """Whether the export's task FAILED or vanished from the queue (the reaper or an operator
    removed it). Unknown (queue unreachable): not failed, keep waiting."""
    if not export.task_id:
        return False
    from django_tasks.exceptions import TaskResultDoesNotExist

    from .tasks import build_council_export

    try:
        status = build_council_export.get_result(export.task_id).status
    except (TaskResultDoesNotExist, ValueError):
        return True
    except Exception:  # noqa: BLE001 - queue unreachable, or a backend that keeps no results
        logger.warning("status of council export task %s unknown", export.task_id, exc_info=True)
        return False
    return str(getattr(status, "value", status)) == "FAILED"


def _no_worker(now) -> bool:
    from klimapakt.core import workers

    return workers.tasks_in_database() and not workers.live_worker_ids(now)


def export_state(export: CouncilExport, *, now: datetime.datetime | None = None) -> ExportState:
    now = now or timezone.now()
    Status = CouncilExport.Status
    failed = export.status == Status.FAILED
    message = export.error
    if export.is_open and _task_failed(export):
        failed, message = True, _("Die Fassung konnte nicht erstellt werden: Die Verarbeitung im Hintergrund wurde "
                                  "abgebrochen. Sie können die Erstellung erneut starten.")
    stuck = (not failed and export.status == Status.RUNNING and export.started_at is not None
             and now - export.started_at > STUCK_AFTER)
    waiting = not failed and export.status == Status.QUEUED and now - export.queued_at > WAITING_NOTICE_AFTER
    no_worker = export.is_open and not failed and _no_worker(now)
    label = Status.FAILED.label if failed else export.get_status_display()
    return ExportState(status=Status.FAILED if failed else export.status, label=str(label),
                       open=export.is_open and not failed, failed=failed, waiting=waiting, stuck=stuck,
                       no_worker=no_worker, message=message)
