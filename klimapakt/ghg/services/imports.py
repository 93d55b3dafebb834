"""Spreadsheet import, all or nothing: an upload is validated completely and previewed, then
imported whole (small files at once, large ones as a task) or not at all."""

from __future__ import annotations

import logging
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .. import calculation
from ..models import ActivityLine, BalanceLine
from ..selectors import (
    factor_table,
    factor_version,
    frozen_years,
    import_failure_message,
    import_has_failed,
)
from .balances import MAX_LINES_PER_BALANCE, _ensure_not_frozen, ensure_room_for_lines
from .bulk import balances_store_year, fast_insert

SYNC_IMPORT_ROWS = 2000
MAX_STORED_ERRORS = 500
PROGRESS_UPDATES = 10        # at most this many progress writes per import

logger = logging.getLogger(__name__)


def _validate_job_file(job, table):  # noqa: D103
    from .. import spreadsheet

    with job.file.open("rb") as handle:
        header, rows = spreadsheet.read_rows(handle, job.filename)
    return rows, spreadsheet.validate(header, rows, table, frozen_years=frozen_years(job.organisation))


def import_upload(*, organisation, upload, actor):
    """Store the upload privately and validate it completely; nothing is imported yet.

    Not atomic as a whole: reading and checking a large file takes seconds, and on SQLite an
    open transaction would hold the write lock all that time (registrations and logins waited
    18 s). The file is parsed and checked with no transaction open; the job row and its audit
    entry are written in one short transaction at the end."""
    from .. import spreadsheet
    from ..models import ImportJob

    filename = upload.name.rsplit("/", 1)[-1][:200]
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Bitte laden Sie eine XLSX- oder CSV-Datei hoch.")})
    if upload.size > spreadsheet.MAX_FILE_BYTES:
        raise ValidationError({"file": _("Die Datei ist zu groß (höchstens %(mb)s MB).")
                                       % {"mb": spreadsheet.MAX_FILE_BYTES // 2**20}})
    job = ImportJob(organisation=organisation, filename=filename, created_by=actor)
    job.file.save(filename, upload, save=False)
    try:
        table = factor_table()
        try:
            rows, validation = _validate_job_file(job, table)
        except spreadsheet.SpreadsheetError as error:
            raise ValidationError({"file": str(error)}) from None
        job.total_rows = len(rows)
        job.errors = [e.as_dict() for e in validation.errors[:MAX_STORED_ERRORS]]
        job.rows = [] if validation.errors else [spreadsheet.job_row(r) for r in validation.rows]
        job.status = ImportJob.Status.INVALID if validation.errors else ImportJob.Status.READY
        version = factor_version()
        job.preview = {
            "error_count": len(validation.errors),
            "factor_version": version,
            "years": [] if validation.errors else _year_outcomes(organisation, validation.results, table, version),
        }
        job.preview["has_existing"] = any(y["existing_lines"] for y in job.preview["years"])
        if not rows:
            job.status = ImportJob.Status.INVALID
            job.errors = [{"row": None, "column": None, "field": None,
                           "message": _("Die Datei enthält keine Daten.")}]
        with transaction.atomic():
            job.save()
            log_action("ghg.import.uploaded", obj=organisation, actor=actor,
                       data={"filename": filename, "rows": len(rows), "errors": len(validation.errors)})
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def _year_outcomes(organisation, results: dict, table, version) -> list[dict]:
    """Per year of the file: its lines and t CO2e now, after "ersetzen" (the file's lines alone)
    and after "ergänzen" (the file's lines on top of the stored ones). Computed once, at upload,
    and stored with the job. The file's part is the validation's result; the stored part is the
    balance's exact values when it was computed with the current factors (one query for every
    year), else the calculation over its lines (at most MAX_LINES_PER_BALANCE per year). The
    calculation is linear and exact, so "ergänzen" is the sum of the two."""
    from ..models import Balance

    years = sorted(results)
    counts = dict(ActivityLine.objects.filter(organisation=organisation, year__in=years).order_by()
                  .values_list("year").annotate(n=Count("pk")))
    balances = {b.year: b for b in Balance.objects.filter(organisation=organisation, year__in=years)
                .only("year", "exact_t", "factor_set_id", "factor_set_version", "scope1_t", "scope2_location_t",
                      "scope2_market_t", "scope3_t")}
    outcomes = []
    for year in years:
        result, existing = results[year], counts.get(year, 0)
        new = result.emissions
        now = _stored_emissions(organisation, year, existing, balances.get(year), table, version)
        add_possible = existing + len(result.lines) <= MAX_LINES_PER_BALANCE
        outcomes.append({
            "year": year, "rows": len(result.lines),
            "totals": {k: str(v) for k, v in result.totals_rounded().items()},
            "existing_lines": existing,
            "now": {"lines": existing, "total_location": _total(now)},
            "replace": {"lines": len(result.lines), "total_location": _total(new)},
            "add": {"lines": existing + len(result.lines), "possible": add_possible,
                    "total_location": _total(now + new) if now is not None and add_possible else None},
        })
    return outcomes


def _total(emissions) -> str | None:
    return None if emissions is None else str(emissions.rounded_total("total_location"))


def _stored_emissions(organisation, year: int, existing: int, balance, table, version):
    """The exact emissions of the year's stored lines with the current factors (None when they no
    longer pass the calculation)."""
    if not existing:
        return calculation.Emissions()
    exact = calculation.Emissions.decode(balance.exact_t) if balance is not None else None
    if exact is not None and version and [balance.factor_set_id, balance.factor_set_version] == version:
        return exact
    rows = [a.as_calculation_input() for a in ActivityLine.objects.filter(organisation=organisation, year=year)
            .order_by("pk")[:MAX_LINES_PER_BALANCE]]
    try:
        return calculation.calculate(table, year, rows).emissions
    except calculation.CalculationError:
        return None


def import_start(*, job, actor, replace: bool | None = None) -> None:
    """Import a validated upload: small files at once, large ones as a background task.
    `replace`: the years in the file replace the stored lines of those years ("ersetzen") or
    the file's lines come on top ("ergänzen"); None keeps the job's choice (a retry)."""
    from ..models import ImportJob

    if replace is False and any(not y.get("add", {}).get("possible", True) for y in job.preview.get("years", [])):
        raise ValidationError({"mode": _("Ergänzen ist nicht möglich: Eine Bilanz kann höchstens %(n)s Zeilen "
                                         "haben. Wählen Sie „Ersetzen“ oder teilen Sie die Datei auf.")
                                       % {"n": MAX_LINES_PER_BALANCE}})
    choice = {} if replace is None else {"replace_years": replace}
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.IMPORTING, processed_rows=0, started_at=timezone.now(), finished_at=None,
        task_id="", errors=[], **choice)
    if not started:
        raise ValidationError(_("Dieser Import kann nicht (mehr) ausgeführt werden."))
    job.status = ImportJob.Status.IMPORTING
    if replace is not None:
        job.replace_years = replace
    actor_id = getattr(actor, "pk", None)
    if job.total_rows <= SYNC_IMPORT_ROWS:
        import_execute(job_id=job.pk, actor_id=actor_id)
    else:
        transaction.on_commit(lambda: _enqueue(job.pk, actor_id))


def _enqueue(job_id: int, actor_id: int | None) -> None:
    """Queue the import task and remember its id; a queue that cannot be reached makes the import
    fail visibly (it can be retried) instead of the page failing."""
    from ..models import ImportJob
    from ..tasks import import_run

    try:
        result = import_run.enqueue(job_id=job_id, actor_id=actor_id)
    except Exception:  # noqa: BLE001 - the queue (Redis, the database) is down: the person sees it
        logger.exception("import %s could not be queued", job_id)
        _fail(job_id, _("Der Import konnte nicht gestartet werden, weil die Hintergrundverarbeitung nicht "
                        "erreichbar ist."))
        return
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(task_id=str(result.id))


def _fail(job_id: int, reason: str) -> int:
    """Mark an import that is still running as failed, with a German message; nothing of it was
    saved (the write is one transaction)."""
    from ..models import ImportJob

    message = import_failure_message(reason)
    return ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now(),
        errors=[{"row": None, "column": None, "field": None, "message": message}])


def import_task_failed(*, job_id: int, reason: str = "") -> bool:
    """The import's task failed (an error, or the reaper found its worker dead): show it as
    failed. Called from django-tasks' task_finished signal (apps.py)."""
    return bool(_fail(job_id, reason or _("Die Verarbeitung im Hintergrund wurde abgebrochen.")))


def import_retry(*, job, actor) -> None:
    """Start a failed import again: the validated rows are still stored; they are checked again
    if the factors changed or a year was frozen since."""
    from ..models import ImportJob

    job = ImportJob.objects.select_related("organisation").get(pk=job.pk)  # as stored, not as shown
    if not import_has_failed(job):
        raise ValidationError(_("Nur ein fehlgeschlagener Import kann erneut gestartet werden."))
    if job.status == ImportJob.Status.IMPORTING:
        _fail(job.pk, _("Die Verarbeitung im Hintergrund wurde abgebrochen."))
    if not job.rows:  # failed because the rows were invalid when it ran: upload a corrected file
        raise ValidationError(_("Dieser Import kann nicht (mehr) ausgeführt werden."))
    reset = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
        status=ImportJob.Status.READY, errors=[], finished_at=None)
    if not reset:
        raise ValidationError(_("Nur ein fehlgeschlagener Import kann erneut gestartet werden."))
    job.status = ImportJob.Status.READY
    log_action("ghg.import.retried", obj=job.organisation, actor=actor, data={"filename": job.filename})
    import_start(job=job, actor=actor)


def import_execute(*, job_id: int, actor_id: int | None) -> None:
    """Write every validated row and recompute the affected balances in one transaction: all or
    nothing. The rows were validated at upload; they are validated again only if the factors
    changed or a year was frozen since. Runs only for a job that is importing (a task run twice
    imports once). Progress is the rows prepared so far, written at most PROGRESS_UPDATES
    times, outside the write transaction (so others see it); 100 % once written."""
    from django.contrib.auth import get_user_model

    from .. import spreadsheet
    from ..models import ImportJob

    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    organisation = job.organisation
    table = factor_table()
    years = sorted({row[1] for row in job.rows})
    stale = job.preview.get("factor_version") != factor_version() or (frozen_years(organisation) & set(years))
    if stale:
        header, rows = spreadsheet.job_sheet(job.rows)  # older jobs' shorter rows are padded
        validation = spreadsheet.validate(header, rows, table, frozen_years=frozen_years(organisation), grouping=False)
        if validation.errors:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.INVALID, finished_at=timezone.now(),
                errors=[e.as_dict() for e in validation.errors[:MAX_STORED_ERRORS]])
            return
    now = timezone.now()
    total = len(job.rows)
    step = max(1000, math.ceil(total / PROGRESS_UPDATES))
    records = []
    for index, stored in enumerate(job.rows, start=1):
        (year, carrier, quantity, unit, site, supplier, note, refrigerant, category, calorific,
         z_number) = spreadsheet.job_values(stored)
        records.append((organisation.pk, year, carrier, Decimal(quantity), unit, site,
                        None if supplier is None else Decimal(supplier), note, "", "", ActivityLine.Source.IMPORT,
                        now, getattr(actor, "pk", None), refrigerant or "", category or "",
                        None if calorific is None else Decimal(calorific), None if z_number is None else Decimal(z_number)))
        if index % step == 0 and index < total:
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(processed_rows=index)
    try:
        with transaction.atomic():
            for year in years:
                _ensure_not_frozen(organisation=organisation, year=year)
            if job.replace_years:
                BalanceLine.objects.filter(balance__organisation=organisation, balance__year__in=years).delete()
                ActivityLine.objects.filter(organisation=organisation, year__in=years).delete()
            for year in years:
                ensure_room_for_lines(organisation=organisation, year=year,
                                      adding=sum(1 for record in records if record[1] == year))
            fast_insert(ActivityLine, ["organisation", "year", "carrier", "quantity", "unit", "site",
                                       "supplier_factor", "evidence_note", "attachment", "attachment_name", "source",
                                       "created_at", "created_by", "refrigerant", "category",
                                       "calorific_value_kwh_per_m3", "z_number"], records)
            for year in years:
                balances_store_year(year=year, table=table, organisation_ids=[organisation.pk])
            done = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
                status=ImportJob.Status.DONE, processed_rows=total, finished_at=timezone.now())
            if not done:  # failed or retried meanwhile (the reaper gave up on this run): write nothing
                transaction.set_rollback(True)
                return
            log_action("ghg.import.done", obj=organisation, actor=actor,
                       data={"filename": job.filename, "rows": total, "years": years,
                             "mode": "replace" if job.replace_years else "add"})
    except ValidationError as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            errors=[{"row": None, "column": None, "field": None, "message": " ".join(error.messages)}])
