"""Report periods: starting a report and opening the periods that began."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action
from klimapakt.core.models import Pact
from klimapakt.partners.models import Organisation

from ..models import (
    Report,
    Section,
    TargetProgress,
)
from ..selectors import report_periods
from ._base import K, S, _refuse

# --- Report periods ---------------------------------------------------------------------


def _baseline_year(organisation: Organisation) -> int:
    target = organisation.targets.current().order_by("base_year", "pk").first()
    if target is not None:
        return target.base_year
    return organisation.partner_since.year - 1


def _last_report(organisation: Organisation, *, before: Report | None = None) -> Report | None:
    qs = organisation.reports.filter(status__in=[S.SUBMITTED, S.ACCEPTED])
    if before is not None and before.pk:
        qs = qs.exclude(pk=before.pk)
    return qs.order_by("-year", "-pk").first()


def _prefill(report: Report) -> None:
    """Monitoring and final reports start from the last report: notes and target progress."""
    last = _last_report(report.organisation, before=report)
    if last is None:
        return
    report.prefilled_from = last
    report.notes = {k: v for k, v in (last.notes or {}).items() if k in Section.values}
    report.save(update_fields=["prefilled_from", "notes"])
    current = set(report.organisation.targets.current().values_list("pk", flat=True))
    TargetProgress.objects.bulk_create([
        TargetProgress(report=report, target_id=p.target_id, status=p.status, justification=p.justification)
        for p in last.progress.all() if p.target_id in current
    ])


@transaction.atomic
def report_start(*, organisation: Organisation, kind: str, year: int, actor=None, pact: Pact | None = None) -> Report:
    """Open the report of one period (idempotent): baseline with the base year of the targets;
    monitoring and final prefilled from the last report."""
    pact = pact or Pact.objects.current()
    period = next((p for p in report_periods(organisation, pact) if p["kind"] == kind and p["year"] == year), None)
    if period is None:
        _refuse(_("Für diesen Zeitraum ist kein Bericht vorgesehen."))
    existing = Report.objects.filter(organisation=organisation, kind=kind, year=year).first()
    if existing is not None:
        return existing
    balance_year = period["balance_year"] or _baseline_year(organisation)
    report = Report.objects.create(organisation=organisation, kind=kind, year=year, balance_year=balance_year,
                                   opens_on=period["opens_on"], due_on=period["due_on"])
    if kind != K.BASELINE:
        _prefill(report)
    log_action("reports.report.created", obj=report, actor=actor,
               data={"organisation": organisation.pk, "kind": kind, "year": year, "due_on": report.due_on,
                     "prefilled_from": report.prefilled_from_id})
    return report


def reports_schedule(*, today: datetime.date | None = None, pact: Pact | None = None) -> list[Report]:
    """Open every report whose period has begun for every active partner (idempotent)."""
    today = today or timezone.localdate()
    pact = pact or Pact.objects.current()
    existing = set(Report.objects.values_list("organisation_id", "kind", "year"))
    created = []
    for org in Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, partner_since__isnull=False):
        for period in report_periods(org, pact):
            if period["opens_on"] > today or (org.pk, period["kind"], period["year"]) in existing:
                continue
            if period["kind"] != K.BASELINE and org.partner_since > period["opens_on"]:
                continue  # not active by then
            try:
                created.append(report_start(organisation=org, kind=period["kind"], year=period["year"], pact=pact))
            except IntegrityError:
                continue  # a concurrent run opened it a moment ago
    return created
