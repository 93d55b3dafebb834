"""Writes of one organisation's balance: activity lines (checked by the calculation, the
field named in every message), the stored balance and its key figures, freezing."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core.audit import log_action

from .. import calculation
from ..models import ActivityLine, Balance, BalanceLine, FactorSet
from ..selectors import factor_table

# Engine field -> model/form field
FIELD_NAMES = {"supplier_factor_kg_per_kwh": "supplier_factor", "year": "year", "carrier": "carrier",
               "quantity": "quantity", "unit": "unit", "refrigerant": "refrigerant", "category": "category",
               "calorific_value_kwh_per_m3": "calorific_value_kwh_per_m3", "z_number": "z_number"}
ATTACHMENT_TYPES = {  # suffix -> (magic bytes, content type)
    "pdf": ([b"%PDF-"], "application/pdf"),
    "png": ([b"\x89PNG\r\n\x1a\n"], "image/png"),
    "jpg": ([b"\xff\xd8\xff"], "image/jpeg"),
    "jpeg": ([b"\xff\xd8\xff"], "image/jpeg"),
}
MAX_DECIMAL_PLACES = 6
MAX_LINES_PER_BALANCE = 50_000  # activity lines of one organisation and year (= rows of one import)


def ensure_room_for_lines(*, organisation, year: int, adding: int) -> None:
    """Every loop over a balance's lines (calculation, page, PDF, XLSX) is bounded by this."""
    existing = ActivityLine.objects.filter(organisation=organisation, year=year).count()
    if existing + adding > MAX_LINES_PER_BALANCE:
        raise ValidationError(_("Eine Bilanz kann höchstens %(n)s Zeilen haben.") % {"n": MAX_LINES_PER_BALANCE})


def translate_message(message: calculation.Message) -> str:
    from django.utils.translation import get_language

    return message.message(_, get_language())


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


def validate_activity(*, year, carrier, quantity, unit, supplier_factor=None, refrigerant="", category="",
                      calorific_value_kwh_per_m3=None, z_number=None, table=None) -> calculation.LineResult:
    """Run one line through the engine; ValidationError names the field."""
    from ..forms import localized_number

    table = table or factor_table()
    try:
        result = calculation.calculate(table, year, [{
            "carrier": carrier, "quantity": localized_number(quantity), "unit": unit,
            "supplier_factor_kg_per_kwh": localized_number(supplier_factor), "refrigerant": refrigerant or None,
            # Brennwert (about 10-12) and Zustandszahl (about 0.95) are never grouped: "11.254" is a decimal
            "category": category or None, "calorific_value_kwh_per_m3": calorific_value_kwh_per_m3,
            "z_number": z_number}])
    except calculation.CalculationError as error:
        raise calculation_error_to_validation(error) from None
    line = result.lines[0]
    _check_places(line.quantity, "quantity")
    _check_places(line.supplier_factor_kg_per_kwh, "supplier_factor")
    _check_places(line.calorific_value_kwh_per_m3, "calorific_value_kwh_per_m3")
    _check_places(line.z_number, "z_number")
    return line


def line_fields(line: calculation.LineResult) -> dict:
    """The fields of an activity line as the engine read them (canonical unit and refrigerant)."""
    return {"carrier": line.carrier, "quantity": line.quantity, "unit": line.unit,
            "supplier_factor": line.supplier_factor_kg_per_kwh, "refrigerant": line.refrigerant,
            "category": line.category, "calorific_value_kwh_per_m3": line.calorific_value_kwh_per_m3,
            "z_number": line.z_number}


@transaction.atomic
def activity_create(*, organisation, year: int, carrier: str, quantity, unit: str, actor, site: str = "",
                    supplier_factor=None, evidence_note: str = "", attachment=None, refrigerant: str = "",
                    category: str = "", calorific_value_kwh_per_m3=None, z_number=None,
                    recompute: bool = True) -> ActivityLine:
    _ensure_not_frozen(organisation=organisation, year=year)
    ensure_room_for_lines(organisation=organisation, year=year, adding=1)
    line = validate_activity(year=year, carrier=carrier, quantity=quantity, unit=unit, supplier_factor=supplier_factor,
                             refrigerant=refrigerant, category=category,
                             calorific_value_kwh_per_m3=calorific_value_kwh_per_m3, z_number=z_number)
    activity = ActivityLine(organisation=organisation, year=year, site=site or "", evidence_note=evidence_note or "",
                            created_by=actor if actor and actor.is_authenticated else None, **line_fields(line))
    if attachment:
        _store_attachment(activity, attachment)
    activity.full_clean()
    activity.save()
    log_action("ghg.activity.created", obj=organisation, actor=actor,
               data={"year": year, "carrier": activity.carrier, "quantity": activity.quantity, "unit": activity.unit,
                     **({"refrigerant": activity.refrigerant} if activity.refrigerant else {})})
    if recompute:
        balance_compute(organisation=organisation, year=year, actor=actor)
    return activity


# What an edit may change, and what its audit entry records before and after (the year stays:
# a line of another year is a new line there).
EDITABLE_FIELDS = ("carrier", "quantity", "unit", "supplier_factor", "refrigerant", "category",
                   "calorific_value_kwh_per_m3", "z_number", "site", "evidence_note")


def _store_attachment(activity: ActivityLine, attachment) -> None:
    validate_attachment(attachment)
    activity.attachment_name = attachment.name.rsplit("/", 1)[-1][:200]
    activity.attachment.save(attachment.name, attachment, save=False)


def _delete_file_on_commit(field) -> None:
    """Remove a stored bill once the transaction that dropped it has committed (never before:
    a rollback keeps the line and needs its file)."""
    if field:
        name, storage = field.name, field.storage
        transaction.on_commit(lambda: storage.delete(name))


def _differs(old, new) -> bool:
    """Whether an edit changed a value (empty text and None are the same; 1.0 == 1.000000)."""
    if old in (None, "") and new in (None, ""):
        return False
    return old != new


@transaction.atomic
def activity_update(*, activity: ActivityLine, actor, attachment=None, **fields) -> ActivityLine:
    """Correct one line: the given fields replace the line's (the others stay), checked by the
    calculation like a new line; a new bill replaces the old one (``attachment=False`` removes
    it, None keeps it). Audited with every changed field before and after; the year's balance
    is recomputed. Refused for a frozen year."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"activity_update: unknown fields {sorted(unknown)}")
    activity = ActivityLine.objects.select_for_update().select_related("organisation").get(pk=activity.pk)
    organisation, year = activity.organisation, activity.year
    _ensure_not_frozen(organisation=organisation, year=year)
    before = {name: getattr(activity, name) for name in EDITABLE_FIELDS} | {"attachment_name": activity.attachment_name}
    values = {name: fields.get(name, before[name]) for name in EDITABLE_FIELDS}
    line = validate_activity(year=year, carrier=values["carrier"], quantity=values["quantity"], unit=values["unit"],
                             supplier_factor=values["supplier_factor"], refrigerant=values["refrigerant"],
                             category=values["category"],
                             calorific_value_kwh_per_m3=values["calorific_value_kwh_per_m3"],
                             z_number=values["z_number"])
    for name, value in line_fields(line).items():
        setattr(activity, name, value)
    activity.site = values["site"] or ""
    activity.evidence_note = values["evidence_note"] or ""
    old_file = None
    if attachment is False or attachment:  # replaced or removed; None keeps the bill
        if activity.attachment:
            old_file = (activity.attachment.storage, activity.attachment.name)
        activity.attachment, activity.attachment_name = "", ""
        if attachment:
            _store_attachment(activity, attachment)
    activity.full_clean()
    after = {name: getattr(activity, name) for name in EDITABLE_FIELDS} | {"attachment_name": activity.attachment_name}
    changes = {name: [before[name], after[name]] for name in after if _differs(before[name], after[name])}
    if not changes:
        return activity
    activity.save()
    if old_file is not None:
        storage, name = old_file
        transaction.on_commit(lambda: storage.delete(name))
    log_action("ghg.activity.changed", obj=organisation, actor=actor,
               data={"year": year, "line": activity.pk, "changes": changes})
    balance_compute(organisation=organisation, year=year, actor=actor)
    return activity


def _lines_create(*, organisation, year: int, lines: list[dict], actor, site: str, evidence_note: str) -> int:
    """The lines of one entry (engine or model field names; a line's own evidence note, e.g. a
    commuting estimate's arithmetic, before the entry's)."""
    known = set(FIELD_NAMES) | set(FIELD_NAMES.values())
    for line in lines:
        fields = {FIELD_NAMES.get(key, key): value for key, value in line.items()
                  if key in known and key != "year" and value not in (None, "")}
        activity_create(organisation=organisation, year=year, actor=actor, site=site,
                        evidence_note=line.get("evidence_note") or evidence_note, recompute=False, **fields)
    return len(lines)


@transaction.atomic
def year_add(*, organisation, year: int, lines: list[dict], actor, site: str = "",
             evidence_note: str = "") -> Balance:
    """"Ergänzen": the entry's lines come on top of the year's lines; one transaction."""
    _ensure_not_frozen(organisation=organisation, year=year)
    ensure_room_for_lines(organisation=organisation, year=year, adding=len(lines))
    _lines_create(organisation=organisation, year=year, lines=lines, actor=actor, site=site,
                  evidence_note=evidence_note)
    return balance_compute(organisation=organisation, year=year, actor=actor)


@transaction.atomic
def year_replace(*, organisation, year: int, lines: list[dict], actor, site: str = "",
                 evidence_note: str = "") -> Balance:
    """"Ersetzen": the year's lines are deleted (their bills once the transaction has committed)
    and the entry's lines take their place, in one transaction; audited with what was there."""
    _ensure_not_frozen(organisation=organisation, year=year)
    old = ActivityLine.objects.filter(organisation=organisation, year=year)
    for activity in old.exclude(attachment="").only("pk", "organisation_id", "year", "attachment"):
        _delete_file_on_commit(activity.attachment)
    previous = Balance.objects.filter(organisation=organisation, year=year).values_list(
        "total_location_t", flat=True).first()
    _deleted, per_model = old.delete()
    removed = per_model.get(ActivityLine._meta.label, 0)
    ensure_room_for_lines(organisation=organisation, year=year, adding=len(lines))
    log_action("ghg.year.replaced", obj=organisation, actor=actor,
               data={"year": year, "removed": removed, "added": len(lines), "total_location_t": previous})
    _lines_create(organisation=organisation, year=year, lines=lines, actor=actor, site=site,
                  evidence_note=evidence_note)
    return balance_compute(organisation=organisation, year=year, actor=actor)


@transaction.atomic
def activity_delete(*, activity: ActivityLine, actor) -> None:
    organisation, year = activity.organisation, activity.year
    _ensure_not_frozen(organisation=organisation, year=year)
    _delete_file_on_commit(activity.attachment)
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
                    **dict(zip(LINE_RECORD_ATTRS, line_record(line), strict=True)))
        for i, (activity, line) in enumerate(zip(activities, result.lines, strict=True))
    ])
    return balance


# What a stored balance line records of its calculation: the factor it used and how (one list
# for the single and the bulk writer).
LINE_RECORD_FIELDS = ["factor", "factor_value", "factor_unit", "factor_year", "factor_source", "factor_status",
                      "fallback", "supplier_factor", "market_based_fallback", "t_location", "t_market",
                      "refrigerant", "category", "calorific_value_kwh_per_m3", "z_number"]
LINE_RECORD_ATTRS = ["factor_id", *LINE_RECORD_FIELDS[1:]]


def line_record(line: calculation.LineResult) -> tuple:
    factor = line.factor
    return (factor.id, factor.value, factor.unit, factor.year, factor.source, factor.status, line.fallback,
            line.supplier_factor_kg_per_kwh, line.market_based_fallback, calculation.round_t(line.t_location),
            calculation.round_t(line.t_market), line.refrigerant, line.category, line.calorific_value_kwh_per_m3,
            line.z_number)


@transaction.atomic
def balance_key_figures_update(*, organisation, year: int, employees: int | None, turnover_meur, actor,
                               renewable_electricity_percent=None) -> Balance:
    """Employees and turnover of the year, for the intensity figures, and the renewable share of
    the electricity bought (Stromkennzeichnung), for the energy figures of VSME B3."""
    _ensure_not_frozen(organisation=organisation, year=year)
    balance, _created = Balance.objects.get_or_create(organisation=organisation, year=year,
                                                      defaults={"employees": organisation.employees})
    balance.employees = employees
    balance.turnover_meur = turnover_meur
    balance.renewable_electricity_percent = renewable_electricity_percent
    # Only the key figures are checked here: a year without lines has no factor set yet
    # (balance_compute below gives it one).
    edited = {"employees", "turnover_meur", "renewable_electricity_percent"}
    balance.full_clean(exclude=[f.name for f in Balance._meta.fields if f.name not in edited], validate_unique=False)
    balance.save(update_fields=["employees", "turnover_meur", "renewable_electricity_percent"])
    log_action("ghg.balance.key_figures", obj=organisation, actor=actor,
               data={"year": year, "employees": employees, "turnover_meur": turnover_meur,
                     "renewable_electricity_percent": renewable_electricity_percent})
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



@transaction.atomic
def balance_unfreeze(*, balance: Balance, actor, reason: str) -> Balance:
    """Open a frozen balance for a correction (the pact office opened its accepted report again):
    its lines can be changed until the report is accepted anew, which freezes it again. An open
    balance always uses the current factors, so it is recomputed now; the audit entry records
    the reason and the totals before and after. Idempotent."""
    balance = Balance.objects.select_for_update().select_related("organisation").get(pk=balance.pk)
    if not balance.is_frozen:
        return balance
    before = balance.total_location_t
    balance.is_frozen = False
    balance.frozen_at = None
    balance.frozen_by = None
    balance.save(update_fields=["is_frozen", "frozen_at", "frozen_by"])
    balance = balance_compute(organisation=balance.organisation, year=balance.year, actor=actor)
    log_action("ghg.balance.unfrozen", obj=balance.organisation, actor=actor,
               data={"year": balance.year, "reason": reason, "total_location_t": before,
                     "total_location_t_after": balance.total_location_t})
    return balance
