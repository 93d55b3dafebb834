"""Every write of the CO2 balance: activity lines, balances, factor editions, imports.
Keyword-only, atomic, audit-logged."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from . import calculation
from .models import ActivityLine, Balance, BalanceLine, EmissionFactor, FactorSet
from .selectors import factor_table

# Engine field -> model/form field
FIELD_NAMES = {"supplier_factor_kg_per_kwh": "supplier_factor", "year": "year", "carrier": "carrier",
               "quantity": "quantity", "unit": "unit"}
ATTACHMENT_TYPES = {  # suffix -> (magic bytes, content type)
    "pdf": ([b"%PDF-"], "application/pdf"),
    "png": ([b"\x89PNG\r\n\x1a\n"], "image/png"),
    "jpg": ([b"\xff\xd8\xff"], "image/jpeg"),
    "jpeg": ([b"\xff\xd8\xff"], "image/jpeg"),
}
MAX_DECIMAL_PLACES = 6


def translate_message(message: calculation.Message) -> str:
    return message.message(_)


def calculation_error_to_validation(error: calculation.CalculationError) -> ValidationError:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        fields.setdefault(FIELD_NAMES.get(item.field or "", "__all__"), []).append(translate_message(item))
    return ValidationError(fields)


def validate_attachment(upload) -> str:
    """Check type (by content, not only by name) and size of a bill; returns the content type."""
    name = getattr(upload, "name", "") or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"attachment": _("Bitte laden Sie eine PDF-, PNG- oder JPEG-Datei hoch.")})
    limit = min(settings.KLIMAPAKT_MAX_UPLOAD_BYTES, 10 * 2**20)
    if upload.size > limit:
        raise ValidationError({"attachment": _("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": limit // 2**20}})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    magics, content_type = ATTACHMENT_TYPES[suffix]
    if not any(head.startswith(m) for m in magics):
        raise ValidationError({"attachment": _("Der Inhalt der Datei passt nicht zu ihrer Endung.")})
    return content_type


def _ensure_not_frozen(*, organisation, year: int) -> None:
    if Balance.objects.filter(organisation=organisation, year=year, is_frozen=True).exists():
        raise ValidationError(_("Die Bilanz %(year)s wurde mit einem Bericht eingereicht und ist eingefroren; "
                                "sie kann nicht mehr geändert werden.") % {"year": year})


def _check_places(value: Decimal | None, field: str) -> None:
    if value is not None and value.as_tuple().exponent < -MAX_DECIMAL_PLACES and value != value.quantize(
            Decimal(1).scaleb(-MAX_DECIMAL_PLACES)):
        raise ValidationError({field: _("Bitte höchstens %(n)s Nachkommastellen angeben.") % {"n": MAX_DECIMAL_PLACES}})


def validate_activity(*, year, carrier, quantity, unit, supplier_factor=None, table=None) -> calculation.LineResult:
    """Run one line through the engine; ValidationError names the field."""
    from .forms import localized_number

    table = table or factor_table()
    try:
        result = calculation.calculate(table, year, [{"carrier": carrier, "quantity": localized_number(quantity),
                                                      "unit": unit,
                                                      "supplier_factor_kg_per_kwh": localized_number(supplier_factor)}])
    except calculation.CalculationError as error:
        raise calculation_error_to_validation(error) from None
    line = result.lines[0]
    _check_places(line.quantity, "quantity")
    _check_places(line.supplier_factor_kg_per_kwh, "supplier_factor")
    return line


@transaction.atomic
def activity_create(*, organisation, year: int, carrier: str, quantity, unit: str, actor, site: str = "",
                    supplier_factor=None, evidence_note: str = "", attachment=None,
                    recompute: bool = True) -> ActivityLine:
    _ensure_not_frozen(organisation=organisation, year=year)
    line = validate_activity(year=year, carrier=carrier, quantity=quantity, unit=unit, supplier_factor=supplier_factor)
    activity = ActivityLine(organisation=organisation, year=year, carrier=line.carrier, quantity=line.quantity,
                            unit=line.unit, site=site or "", supplier_factor=line.supplier_factor_kg_per_kwh,
                            evidence_note=evidence_note or "", created_by=actor if actor and actor.is_authenticated
                            else None)
    if attachment:
        validate_attachment(attachment)
        activity.attachment_name = attachment.name.rsplit("/", 1)[-1][:200]
        activity.attachment.save(attachment.name, attachment, save=False)
    activity.full_clean()
    activity.save()
    log_action("ghg.activity.created", obj=organisation, actor=actor,
               data={"year": year, "carrier": activity.carrier, "quantity": activity.quantity, "unit": activity.unit})
    if recompute:
        balance_compute(organisation=organisation, year=year, actor=actor)
    return activity


@transaction.atomic
def activity_delete(*, activity: ActivityLine, actor) -> None:
    organisation, year = activity.organisation, activity.year
    _ensure_not_frozen(organisation=organisation, year=year)
    if activity.attachment:
        name = activity.attachment.name
        storage = activity.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))
    log_action("ghg.activity.deleted", obj=organisation, actor=actor,
               data={"year": year, "carrier": activity.carrier, "quantity": activity.quantity, "unit": activity.unit})
    activity.delete()
    balance_compute(organisation=organisation, year=year, actor=actor)


def _balance_values(result: calculation.Result, balance: Balance) -> None:
    emissions = result.emissions
    rounded = emissions.rounded()
    balance.scope1_t = rounded["scope1"]
    balance.scope2_location_t = rounded["scope2_location"]
    balance.scope2_market_t = rounded["scope2_market"]
    balance.scope3_t = rounded["scope3"]
    balance.total_location_t = rounded["total_location"]
    balance.total_market_t = rounded["total_market"]
    balance.exact_t = emissions.encode() | {
        "carriers": {carrier: str(values["location"]) for carrier, values in result.by_carrier.items()}}
    per_employee = calculation.intensity(emissions.total("total_location"), balance.employees)
    per_meur = calculation.intensity(emissions.total("total_location"), balance.turnover_meur)
    balance.intensity_employee_t = calculation.round_t(per_employee) if per_employee is not None else None
    balance.intensity_meur_t = calculation.round_t(per_meur) if per_meur is not None else None
    # One entry per kind of warning (with the number of lines), not one per line: a balance
    # imported from 10,000 rows stays small.
    summary: dict[tuple, dict] = {}
    for w in result.warnings:
        key = (w.code, tuple(sorted((k, str(v)) for k, v in w.params.items())))
        entry = summary.get(key)
        if entry is None:
            summary[key] = {"code": w.code, "template": w.template, "params": dict(w.params), "lines": 1,
                            "first_line": w.line}
        else:
            entry["lines"] += 1
    balance.warnings = list(summary.values())


@transaction.atomic
def balance_compute(*, organisation, year: int, actor=None, table=None) -> Balance:
    """(Re)compute the stored balance of a year from its activity lines with the current
    factors. A frozen balance is never recomputed."""
    # One writer per organisation: two first entries of a year must not both create the balance.
    from klimapakt.partners.models import Organisation

    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").first()
    balance = Balance.objects.select_for_update().filter(organisation=organisation, year=year).first()
    if balance is not None and balance.is_frozen:
        raise ValidationError(_("Die Bilanz %(year)s ist eingefroren.") % {"year": year})
    table = table or factor_table()
    factor_set = FactorSet.objects.current()
    activities = list(ActivityLine.objects.filter(organisation=organisation, year=year).order_by("pk"))
    try:
        result = calculation.calculate(table, year, [a.as_calculation_input() for a in activities])
    except calculation.CalculationError as error:
        raise calculation_error_to_validation(error) from None
    if balance is None:
        balance = Balance(organisation=organisation, year=year, employees=organisation.employees)
    elif balance.employees is None:
        balance.employees = organisation.employees
    balance.factor_set = factor_set
    balance.factor_set_version = factor_set.version if factor_set else 0
    balance.computed_at = timezone.now()
    _balance_values(result, balance)
    balance.save()
    balance.lines.all().delete()
    BalanceLine.objects.bulk_create([
        BalanceLine(balance=balance, position=i, activity=activity, carrier=line.carrier, carrier_name=line.name_de,
                    scope=line.scope, quantity=line.quantity, unit=line.unit, site=activity.site,
                    factor_id=line.factor.id, factor_value=line.factor.value, factor_unit=line.factor.unit,
                    factor_year=line.factor.year, factor_source=line.factor.source, fallback=line.fallback,
                    supplier_factor=line.supplier_factor_kg_per_kwh, market_based_fallback=line.market_based_fallback,
                    t_location=calculation.round_t(line.t_location), t_market=calculation.round_t(line.t_market))
        for i, (activity, line) in enumerate(zip(activities, result.lines, strict=True))
    ])
    return balance


@transaction.atomic
def balance_key_figures_update(*, organisation, year: int, employees: int | None, turnover_meur, actor) -> Balance:
    """Employees and turnover of the year, for the intensity figures."""
    _ensure_not_frozen(organisation=organisation, year=year)
    balance, _created = Balance.objects.get_or_create(organisation=organisation, year=year,
                                                      defaults={"employees": organisation.employees})
    balance.employees = employees
    balance.turnover_meur = turnover_meur
    balance.full_clean()
    balance.save(update_fields=["employees", "turnover_meur"])
    log_action("ghg.balance.key_figures", obj=organisation, actor=actor,
               data={"year": year, "employees": employees, "turnover_meur": turnover_meur})
    return balance_compute(organisation=organisation, year=year, actor=actor)


@transaction.atomic
def balance_freeze(*, balance: Balance, actor) -> Balance:
    """Freeze a balance that is submitted in a report: from now on neither data changes nor
    new factor editions change it. Idempotent."""
    balance = Balance.objects.select_for_update().get(pk=balance.pk)
    if balance.is_frozen:
        return balance
    balance.is_frozen = True
    balance.frozen_at = timezone.now()
    balance.frozen_by = actor if actor and getattr(actor, "is_authenticated", False) else None
    balance.save(update_fields=["is_frozen", "frozen_at", "frozen_by"])
    log_action("ghg.balance.frozen", obj=balance.organisation, actor=actor,
               data={"year": balance.year, "total_location_t": balance.total_location_t})
    return balance


# --- Factor library (pact office) -------------------------------------------------------


def _bump(factor_set: FactorSet) -> None:
    FactorSet.objects.filter(pk=factor_set.pk).update(version=factor_set.version + 1, updated_at=timezone.now())
    factor_set.refresh_from_db(fields=["version", "updated_at"])
    transaction.on_commit(lambda: recompute_open_balances.enqueue())


@transaction.atomic
def factor_edition_create(*, factor: EmissionFactor, value, source: str, note: str = "", actor) -> EmissionFactor:
    """Correct a factor: the old row stays (balances that used it keep saying so), a new
    edition becomes current."""
    old = EmissionFactor.objects.select_for_update().get(pk=factor.pk)
    if not old.is_current:
        raise ValidationError(_("Von diesem Faktor gibt es bereits eine neuere Ausgabe."))
    new = EmissionFactor(
        factor_set=old.factor_set, carrier=old.carrier, name_de=old.name_de, name_en=old.name_en, scope=old.scope,
        unit=old.unit, value=value, year=old.year, source=source, note=note, edition=old.edition + 1, replaces=old,
        is_custom=old.is_custom, created_by=actor,
    )
    new.full_clean(exclude=["replaces"])
    EmissionFactor.objects.filter(pk=old.pk).update(is_current=False)
    new.save()
    _bump(old.factor_set)
    log_action("ghg.factor.edition_created", obj=new, actor=actor,
               data={"carrier": new.carrier, "year": new.year, "old_value": old.value, "value": new.value,
                     "edition": new.edition, "source": source})
    return new


@transaction.atomic
def factor_create(*, factor_set: FactorSet, carrier: str, name_de: str, scope: int, unit: str, value, source: str,
                  actor, year: int | None = None, name_en: str = "", note: str = "") -> EmissionFactor:
    """A factor for a new year of a known carrier (e.g. next year's grid mix) or a custom
    factor for a new carrier (Scope 3: business travel, commuting, purchased goods; a
    supplier's district heating)."""
    table = factor_table(factor_set)
    if table.has_carrier(carrier):
        info = table.carrier_info(carrier)
        if info.scope != scope or info.unit != unit:
            raise ValidationError(_("Für „%(carrier)s“ gelten Scope %(scope)s und die Einheit %(unit)s; ein neuer "
                                    "Faktor muss dazu passen.") % {"carrier": carrier, "scope": info.scope,
                                                                    "unit": info.unit})
        if EmissionFactor.objects.filter(factor_set=factor_set, carrier=carrier, year=year, is_current=True).exists():
            raise ValidationError(_("Für dieses Jahr gibt es schon einen Faktor. Legen Sie eine neue Ausgabe an."))
    factor = EmissionFactor(factor_set=factor_set, carrier=carrier, name_de=name_de, name_en=name_en, scope=scope,
                            unit=unit, value=value, year=year, source=source, note=note,
                            is_custom=not table.has_carrier(carrier) or scope == 3, created_by=actor)
    factor.full_clean()
    factor.save()
    _bump(factor_set)
    log_action("ghg.factor.created", obj=factor, actor=actor,
               data={"carrier": carrier, "year": year, "value": factor.value, "unit": unit, "scope": scope})
    return factor


def recompute_open_balances_now(*, table=None) -> int:
    """Recompute every balance that is not frozen with the current factors (in bulk, per year)."""
    table = table or factor_table()
    years = Balance.objects.filter(is_frozen=False).values_list("year", flat=True).distinct()
    return sum(balances_store_year(year=year, table=table) for year in sorted(set(years)))


from .tasks import recompute_open_balances  # noqa: E402  (tasks import services lazily)

# --- Spreadsheet import (all or nothing) ------------------------------------------------

SYNC_IMPORT_ROWS = 2000
MAX_STORED_ERRORS = 500


def _frozen_years(organisation) -> set[int]:
    return set(Balance.objects.filter(organisation=organisation, is_frozen=True).values_list("year", flat=True))


def _validate_job_file(job, table):  # noqa: D103
    from . import spreadsheet

    with job.file.open("rb") as handle:
        header, rows = spreadsheet.read_rows(handle, job.filename)
    return rows, spreadsheet.validate(header, rows, table, frozen_years=_frozen_years(job.organisation))


@transaction.atomic
def import_upload(*, organisation, upload, actor):
    """Store the upload privately and validate it completely; nothing is imported yet."""
    from . import spreadsheet
    from .models import ImportJob

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
        "factor_version": _factor_version(),
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
    from .models import ImportJob

    if job.status != ImportJob.Status.READY:
        raise ValidationError(_("Dieser Import kann nicht (mehr) ausgeführt werden."))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, processed_rows=0)
    job.status = ImportJob.Status.IMPORTING
    if job.total_rows <= SYNC_IMPORT_ROWS:
        import_execute(job_id=job.pk, actor_id=getattr(actor, "pk", None))
    else:
        from .tasks import import_run

        transaction.on_commit(lambda: import_run.enqueue(job_id=job.pk, actor_id=getattr(actor, "pk", None)))


def _factor_version():
    factor_set = FactorSet.objects.current()
    return [factor_set.pk, factor_set.version] if factor_set else None


def import_execute(*, job_id: int, actor_id: int | None) -> None:
    """Write every validated row and recompute the affected balances in one transaction: all or
    nothing. The rows were validated at upload; they are validated again only if the factors
    changed or a year was frozen since."""
    from django.contrib.auth import get_user_model

    from . import spreadsheet
    from .models import ImportJob

    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    organisation = job.organisation
    table = factor_table()
    years = sorted({row[1] for row in job.rows})
    stale = job.preview.get("factor_version") != _factor_version() or (_frozen_years(organisation) & set(years))
    if stale:
        header = {key: i for i, (key, _l, _e) in enumerate(spreadsheet.COLUMNS)}
        rows = [(r[0], [r[1], r[2], r[3], r[4], r[5], r[6], r[7]]) for r in job.rows]
        validation = spreadsheet.validate(header, rows, table, frozen_years=_frozen_years(organisation))
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


# --- Every organisation at once ------------------------------------------------------------


@transaction.atomic
def balances_store_year(*, year: int, table=None, organisation_ids=None) -> int:
    """Compute and store the balances of every organisation (or the given ones) for one year
    in bulk: one read of the activity rows, the calculation per organisation, bulk writes.
    Frozen balances are left alone. Returns the number of balances written."""
    from collections import defaultdict

    table = table or factor_table()
    factor_set = FactorSet.objects.current()
    frozen = set(Balance.objects.filter(year=year, is_frozen=True).values_list("organisation_id", flat=True))
    rows = ActivityLine.objects.filter(year=year).order_by("organisation_id", "pk")
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    by_org: dict[int, list] = defaultdict(list)
    for row in rows.values_list("pk", "organisation_id", "carrier", "quantity", "unit", "supplier_factor",
                                "site").iterator(chunk_size=5000):
        if row[1] not in frozen:
            by_org[row[1]].append(row)
    from klimapakt.partners.models import Organisation

    employees = dict(Organisation.objects.filter(pk__in=list(by_org)).values_list("pk", "employees"))
    existing = {b.organisation_id: b for b in Balance.objects.filter(year=year, organisation_id__in=list(by_org))}
    now = timezone.now()
    results = {}
    balances = []
    for org_id, lines in by_org.items():
        try:
            result = calculation.calculate(table, year, [
                calculation.Activity(carrier, quantity, unit, supplier)
                for _pk, _org, carrier, quantity, unit, supplier, _site in lines])
        except calculation.CalculationError:
            continue
        balance = existing.get(org_id) or Balance(organisation_id=org_id, year=year, employees=employees.get(org_id))
        balance.factor_set = factor_set
        balance.factor_set_version = factor_set.version if factor_set else 0
        balance.computed_at = now
        _balance_values(result, balance)
        balances.append(balance)
        results[org_id] = (lines, result)
    fields = ["factor_set", "factor_set_version", "computed_at", "scope1_t", "scope2_location_t", "scope2_market_t",
              "scope3_t", "total_location_t", "total_market_t", "exact_t", "intensity_employee_t",
              "intensity_meur_t", "warnings"]
    # An upsert keeps the primary keys of existing balances (reports refer to them).
    Balance.objects.bulk_create(balances, batch_size=500, update_conflicts=True,
                                unique_fields=["organisation", "year"], update_fields=fields)
    ids = dict(Balance.objects.filter(year=year, organisation_id__in=list(results)).values_list("organisation_id",
                                                                                                "pk"))
    BalanceLine.objects.filter(balance_id__in=list(ids.values())).delete()
    new_lines = []
    for org_id, (lines, result) in results.items():
        balance_id = ids[org_id]
        for i, (row, line) in enumerate(zip(lines, result.lines, strict=True)):
            factor = line.factor
            new_lines.append((
                balance_id, i, row[0], line.carrier, line.name_de, line.scope, line.quantity, line.unit, row[6],
                factor.id, factor.value, factor.unit, factor.year, factor.source, line.fallback,
                line.supplier_factor_kg_per_kwh, line.market_based_fallback,
                calculation.round_t(line.t_location), calculation.round_t(line.t_market)))
    fast_insert(BalanceLine, ["balance", "position", "activity", "carrier", "carrier_name", "scope", "quantity",
                              "unit", "site", "factor", "factor_value", "factor_unit", "factor_year", "factor_source",
                              "fallback", "supplier_factor", "market_based_fallback", "t_location", "t_market"],
                new_lines)
    return len(results)


def fast_insert(model, field_names: list[str], rows: list[tuple], *, batch_size: int = 2000) -> None:
    """Insert many rows with one prepared statement (bulk_create spends most of its time
    building model instances and SQL for 10,000 rows). Values are adapted per column type."""
    from django.db import connection, models

    fields = [model._meta.get_field(name) for name in field_names]
    sqlite = connection.vendor == "sqlite"
    adapters = []
    for f in fields:
        if isinstance(f, models.DecimalField):
            adapters.append((lambda v: None if v is None else format(v, "f")) if sqlite else None)
        elif isinstance(f, models.DateTimeField):
            adapters.append(lambda v, ops=connection.ops: ops.adapt_datetimefield_value(v))
        elif isinstance(f, models.JSONField):
            adapters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            adapters.append(None)
    if any(adapters):
        rows = [tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) for row in rows]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[start:start + batch_size])
