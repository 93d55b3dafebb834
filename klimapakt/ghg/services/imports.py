"""Spreadsheet import, all or nothing: an upload is validated completely and previewed, then
imported whole (small files at once, large ones as a task) or not at all."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from ..models import ActivityLine, BalanceLine
from ..selectors import factor_table, factor_version, frozen_years
from .balances import _ensure_not_frozen
from .bulk import balances_store_year, fast_insert

SYNC_IMPORT_ROWS = 2000
MAX_STORED_ERRORS = 500


def _validate_job_file(job, table):  # noqa: D103
    from .. import spreadsheet

    with job.file.open("rb") as handle:
        header, rows = spreadsheet.read_rows(handle, job.filename)
    return rows, spreadsheet.validate(header, rows, table, frozen_years=frozen_years(job.organisation))


@transaction.atomic
def import_upload(*, organisation, upload, actor):
    """Store the upload privately and validate it completely; nothing is imported yet."""
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
    table = factor_table()
    try:
        rows, validation = _validate_job_file(job, table)
    except spreadsheet.SpreadsheetError as error:
        job.file.delete(save=False)
        raise ValidationError({"file": str(error)}) from None
    job.total_rows = len(rows)
    job.errors = [e.as_dict() for e in validation.errors[:MAX_STORED_ERRORS]]
    job.rows = [] if validation.errors else [
        [r.row, r.year, r.carrier, str(r.quantity), r.unit, r.site,
         None if r.supplier_factor is None else str(r.supplier_factor), r.evidence_note] for r in validation.rows]
    job.status = ImportJob.Status.INVALID if validation.errors else ImportJob.Status.READY
    job.preview = {
        "error_count": len(validation.errors),
        "factor_version": factor_version(),
        "years": [{"year": year, "rows": len(result.lines),
                   "totals": {k: str(v) for k, v in result.totals_rounded().items()},
                   "existing_lines": ActivityLine.objects.filter(organisation=organisation, year=year).count()}
                  for year, result in sorted(validation.results.items())],
    }
    if not rows:
        job.status = ImportJob.Status.INVALID
        job.errors = [{"row": None, "column": None, "field": None, "message": _("Die Datei enthält keine Daten.")}]
    job.save()
    log_action("ghg.import.uploaded", obj=organisation, actor=actor,
               data={"filename": filename, "rows": len(rows), "errors": len(validation.errors)})
    return job


def import_start(*, job, actor) -> None:
    """Import a validated upload: small files at once, large ones as a background task."""
    from ..models import ImportJob

    if job.status != ImportJob.Status.READY:
        raise ValidationError(_("Dieser Import kann nicht (mehr) ausgeführt werden."))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, processed_rows=0)
    job.status = ImportJob.Status.IMPORTING
    if job.total_rows <= SYNC_IMPORT_ROWS:
        import_execute(job_id=job.pk, actor_id=getattr(actor, "pk", None))
    else:
        from ..tasks import import_run

        transaction.on_commit(lambda: import_run.enqueue(job_id=job.pk, actor_id=getattr(actor, "pk", None)))


def import_execute(*, job_id: int, actor_id: int | None) -> None:
    """Write every validated row and recompute the affected balances in one transaction: all or
    nothing. The rows were validated at upload; they are validated again only if the factors
    changed or a year was frozen since."""
    from django.contrib.auth import get_user_model

    from .. import spreadsheet
    from ..models import ImportJob

    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    organisation = job.organisation
    table = factor_table()
    years = sorted({row[1] for row in job.rows})
    stale = job.preview.get("factor_version") != factor_version() or (frozen_years(organisation) & set(years))
    if stale:
        header = {key: i for i, (key, _l, _e) in enumerate(spreadsheet.COLUMNS)}
        rows = [(r[0], [r[1], r[2], r[3], r[4], r[5], r[6], r[7]]) for r in job.rows]
        validation = spreadsheet.validate(header, rows, table, frozen_years=frozen_years(organisation))
        if validation.errors:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.INVALID, finished_at=timezone.now(),
                errors=[e.as_dict() for e in validation.errors[:MAX_STORED_ERRORS]])
            return
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(job.rows) // 2)
    try:
        with transaction.atomic():
            for year in years:
                _ensure_not_frozen(organisation=organisation, year=year)
            if job.replace_years:
                BalanceLine.objects.filter(balance__organisation=organisation, balance__year__in=years).delete()
                ActivityLine.objects.filter(organisation=organisation, year__in=years).delete()
            now = timezone.now()
            fast_insert(ActivityLine, ["organisation", "year", "carrier", "quantity", "unit", "site",
                                       "supplier_factor", "evidence_note", "attachment", "attachment_name", "source",
                                       "created_at", "created_by"], [
                (organisation.pk, year, carrier, Decimal(quantity), unit, site,
                 None if supplier is None else Decimal(supplier), note, "", "", ActivityLine.Source.IMPORT, now,
                 getattr(actor, "pk", None))
                for _row, year, carrier, quantity, unit, site, supplier, note in job.rows])
            for year in years:
                balances_store_year(year=year, table=table, organisation_ids=[organisation.pk])
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, processed_rows=len(job.rows),
                                                       finished_at=timezone.now())
            log_action("ghg.import.done", obj=organisation, actor=actor,
                       data={"filename": job.filename, "rows": len(job.rows), "years": years})
    except ValidationError as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            errors=[{"row": None, "column": None, "field": None, "message": " ".join(error.messages)}])

