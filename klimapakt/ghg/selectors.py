"""Reads of the CO2 balance: the factor table from the database, balances, activity lines.
Built for a constant number of queries."""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from . import calculation
from .models import ActivityLine, Balance, BalanceLine, EmissionFactor, FactorSet, UnitConversion

logger = logging.getLogger(__name__)

_TABLES: dict[tuple, calculation.FactorTable] = {}
_LOCK = threading.Lock()


def current_factor_set() -> FactorSet | None:
    return FactorSet.objects.current()


def factor_table(factor_set: FactorSet | None = None) -> calculation.FactorTable:
    """The current factors of the (default) set as a calculation table. One query when the
    set's version is cached in this process; the version changes with every factor change."""
    if factor_set is None:
        row = (FactorSet.objects.filter(is_default=True).order_by("pk")
               .values_list("pk", "version", "updated_at").first())
    else:
        row = (factor_set.pk, factor_set.version, factor_set.updated_at)
    if row is None:
        return calculation.FactorTable([], [])
    table = _TABLES.get(row)
    if table is not None:
        return table
    factors = [
        calculation.Factor(id=f.pk, carrier=f.carrier, name_de=f.name_de, name_en=f.name_en or f.name_de,
                           scope=f.scope, unit=f.unit, value=f.value, year=f.year, source=f.source, note=f.note,
                           variant=f.variant, composition=_composition(f.composition), status=f.status,
                           rank=f.edition)
        for f in EmissionFactor.objects.filter(factor_set_id=row[0], is_current=True).order_by("pk")
    ]
    conversions = [
        calculation.Conversion(carrier=c.carrier, from_unit=c.from_unit, to_unit=c.to_unit,
                               numerator=c.numerator, denominator=c.denominator, source=c.source)
        for c in UnitConversion.objects.filter(factor_set_id=row[0]).order_by("pk")
    ]
    table = calculation.FactorTable(factors, conversions)
    with _LOCK:
        if len(_TABLES) > 32:
            _TABLES.clear()
        _TABLES[row] = table
    return table


def _composition(text: str) -> tuple:
    try:
        return calculation.parse_composition(text)
    except (ValueError, ArithmeticError):  # checked when saved; an unreadable one counts as none
        logger.warning("unreadable composition %r", text)
        return ()


def factor_version() -> list[int] | None:
    """The current set and its version: an import validated against another must be checked again."""
    factor_set = FactorSet.objects.current()
    return [factor_set.pk, factor_set.version] if factor_set else None


def frozen_years(organisation) -> set[int]:
    """The years whose balance is frozen (submitted with an accepted report)."""
    return set(Balance.objects.filter(organisation=organisation, is_frozen=True).values_list("year", flat=True))


def carrier_choices(table: calculation.FactorTable, *, language: str = "de") -> list[tuple[str, str]]:
    out = []
    for carrier in table.carriers():
        info = table.carrier_info(carrier)
        out.append((carrier, info.name_en if language == "en" and info.name_en else info.name_de))
    return out


def factors_by_year(factor_set: FactorSet) -> list[EmissionFactor]:
    """All factors of a set with their editions (for "Wie wir rechnen" and the back office)."""
    return list(EmissionFactor.objects.filter(factor_set=factor_set).select_related("replaces", "published_in")
                .order_by("scope", "carrier", "variant", "year", "edition"))


def recent_recalculations(limit: int = 10) -> list:
    """The latest recomputations after factor changes, with the balances that changed (the
    office's list on the factor page)."""
    from .models import Recalculation

    return list(Recalculation.objects.order_by("-created_at", "-pk")[:limit])


def activity_lines(*, organisation, year: int):
    return ActivityLine.objects.filter(organisation=organisation, year=year).order_by("pk")


def balance_for(*, organisation, year: int) -> Balance | None:
    return (Balance.objects.filter(organisation=organisation, year=year)
            .prefetch_related(Prefetch("lines", queryset=BalanceLine.objects.select_related("activity")
                                       .order_by("position")))
            .first())


def year_state(*, organisation, year: int) -> dict:
    """What a year holds before new data comes in (the entry's "Ergänzen oder ersetzen"): the
    number of lines and the stored balance (its total, whether it is frozen). Two queries."""
    balance = Balance.objects.filter(organisation=organisation, year=year).defer("warnings").first()
    lines = ActivityLine.objects.filter(organisation=organisation, year=year).count()
    return {"lines": lines, "balance": balance, "frozen": bool(balance and balance.is_frozen),
            "total_location": balance.emissions.rounded_total("total_location") if balance and lines else None}


@dataclass(frozen=True)
class LineEvidence:
    """Where a line of a stored balance comes from: its site and evidence note."""

    site: str = ""
    evidence_note: str = ""


@dataclass(frozen=True)
class BalanceResult:
    """What the downloads of a stored balance need: the calculation and, per line of it (same
    order), the line's site and evidence (``documents.result_pdf(..., evidence=...)``,
    ``spreadsheet.result_workbook(..., evidence=...)``)."""

    result: calculation.Result
    evidence: list[LineEvidence]
    balance: Balance


def balance_result(*, organisation, year: int) -> BalanceResult | None:
    """The calculation behind a stored balance, for its PDF and spreadsheet, with each line's
    site and evidence. A frozen balance is recomputed with the factors its lines recorded (value,
    unit, year, source, status), never with newer editions; an open one with the current
    factors. None without a balance or lines, or when the data no longer passes the calculation.
    Three or four queries, however many lines."""
    balance = Balance.objects.filter(organisation=organisation, year=year).first()
    if balance is None:
        return None
    table = factor_table()
    if balance.is_frozen:
        lines = list(BalanceLine.objects.filter(balance=balance).select_related("activity", "factor")
                     .order_by("position"))
        factors = {line.factor_id: _recorded_factor(line) for line in lines}
        table = calculation.FactorTable(list(factors.values()), table.conversions)
        rows = [{"carrier": line.carrier, "quantity": line.quantity, "unit": line.unit,
                 "supplier_factor_kg_per_kwh": line.supplier_factor, "refrigerant": line.refrigerant,
                 "category": line.category, "calorific_value_kwh_per_m3": line.calorific_value_kwh_per_m3,
                 "z_number": line.z_number} for line in lines]
        evidence = [LineEvidence(site=line.site or (line.activity.site if line.activity else ""),
                                 evidence_note=line.activity.evidence_note if line.activity else "")
                    for line in lines]
    else:
        activities = list(activity_lines(organisation=organisation, year=year))
        rows = [a.as_calculation_input() for a in activities]
        evidence = [LineEvidence(site=a.site, evidence_note=a.evidence_note) for a in activities]
    if not rows:
        return None
    try:
        result = calculation.calculate(table, year, rows)
    except calculation.CalculationError:
        return None
    return BalanceResult(result=result, evidence=evidence, balance=balance)


def _recorded_factor(line: BalanceLine) -> calculation.Factor:
    """The factor a frozen line used, as it recorded it; names and note from its factor row."""
    row = line.factor
    name_de = row.name_de if row else line.carrier_name
    return calculation.Factor(
        id=line.factor_id, carrier=line.carrier, name_de=name_de, name_en=(row.name_en if row else "") or name_de,
        scope=line.scope, unit=line.factor_unit, value=line.factor_value, year=line.factor_year,
        source=line.factor_source, note=row.note if row else "", variant=line.refrigerant,
        status=line.factor_status)


def method_factors(factor_set: FactorSet) -> list[EmissionFactor]:
    """Every factor of a set with the edition it was published in, in one query ("Wie wir rechnen")."""
    return list(EmissionFactor.objects.filter(factor_set=factor_set).select_related("published_in")
                .order_by("scope", "carrier", "variant", "year", "edition"))


def factor_editions(factor_set: FactorSet) -> list:
    """The editions loaded after the default set, oldest first."""
    from .models import FactorEdition

    return list(FactorEdition.objects.filter(factor_set=factor_set).order_by("loaded_at", "pk"))


def target_path(organisation, balances: list[Balance]) -> dict | None:
    """A straight line from the base-year emissions to the target (the partners' targets)."""
    try:
        target = organisation.targets.current().first()
    except Exception:  # noqa: BLE001 - targets belong to the partners app; no target, no path
        return None
    if target is None:
        return None
    base = next((b for b in balances if b.year == target.base_year), None)
    if base is None:
        return None
    start = base.emissions.rounded_total("total_location")
    if target.reduction_percent is not None:
        end = start * (1 - target.reduction_percent / 100)
    else:
        end = max(start - target.reduction_t_co2e, Decimal(0))
    span = target.target_year - target.base_year
    if span <= 0:
        return None
    points = [(str(b.year), start + (end - start) * Decimal(b.year - target.base_year) / span)
              for b in balances if target.base_year <= b.year <= target.target_year]
    return {"target": target, "start": start, "end": end, "points": points}


def balances_of(organisation) -> list[Balance]:
    return list(Balance.objects.filter(organisation=organisation).defer("warnings").order_by("year"))


def years_with_data(organisation) -> list[int]:
    years = set(ActivityLine.objects.filter(organisation=organisation).order_by().values_list("year", flat=True)
                .distinct())
    years |= set(Balance.objects.filter(organisation=organisation).order_by().values_list("year", flat=True))
    return sorted(years, reverse=True)


BIGINT_SAFE = 9_000_000_000_000  # x 1,000,000 still fits a bigint (9.22 x 10^18)


def balances_for_year(*, year: int, table: calculation.FactorTable | None = None) -> dict[int, calculation.KeyTotals]:
    """The balance totals of every organisation for one year, exact, from ONE SQL GROUP BY:
    quantities summed per organisation, carrier, unit and supplier factor (in millionths, as
    integers, so SQLite's sum is exact too), then one coefficient per carrier/unit from the
    calculation (linear: see the property tests). Rows too large for the integer sum are
    summed exactly in Python instead."""
    from django.db import connection

    table = table or factor_table()
    is_sqlite = connection.vendor == "sqlite"
    if is_sqlite:  # the integer sum, and the largest line to find sums too large for it
        sums = "SUM(CAST(ROUND(quantity * 1000000) AS INTEGER)), MAX(ABS(quantity))"
    else:
        # PostgreSQL sums numeric exactly: in millionths as a bigint where it fits (below 9
        # trillion units; an int, much cheaper to fetch than a Decimal), else the numeric sum
        sums = (f"CASE WHEN ABS(SUM(quantity)) < {BIGINT_SAFE} THEN (SUM(quantity) * 1000000)::bigint END, "
                f"CASE WHEN ABS(SUM(quantity)) >= {BIGINT_SAFE} THEN SUM(quantity) END")
    keys = "organisation_id, carrier, unit, supplier_factor, refrigerant, category, calorific_value_kwh_per_m3, z_number"
    sql = f"SELECT {keys}, {sums} FROM {ActivityLine._meta.db_table} WHERE year = %s GROUP BY {keys}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        fetched = cursor.fetchall()
    exact: dict = {}

    def decimal(value):
        """A stored decimal (SQLite hands back floats) as the exact value with its 6 places."""
        found = exact.get(value)
        if found is None:
            found = exact[value] = Decimal(repr(value) if isinstance(value, float) else value
                                           ).quantize(Decimal("0.000001"))
        return found

    rows, too_large = [], []
    for org_id, carrier, unit, supplier, refrigerant, category, hs, z, total, other in fetched:
        key = (org_id, carrier, unit, supplier if supplier is None else decimal(supplier), refrigerant, category,
               hs if hs is None else decimal(hs), z if z is None else decimal(z))
        if is_sqlite:
            if other is not None and abs(other) >= 1e9:  # the largest line: a sum that may not fit
                too_large.append(key)
                continue
            rows.append((*key, int(total)))
        else:
            rows.append((*key, total if total is not None else int(other.scaleb(6))))
    for key in too_large:  # exact Decimal sum of the single rows
        org_id, carrier, unit, supplier, refrigerant, category, hs, z = key
        quantities = ActivityLine.objects.filter(
            year=year, organisation_id=org_id, carrier=carrier, unit=unit, supplier_factor=supplier,
            refrigerant=refrigerant, category=category, calorific_value_kwh_per_m3=hs, z_number=z,
        ).values_list("quantity", flat=True)
        rows.append((*key, sum(int(q.scaleb(6)) for q in quantities)))
    totals, _rejected = calculation.totals_by_key(table, year, rows)
    return totals


# --- Imports -----------------------------------------------------------------------------

IMPORT_TASK = "klimapakt.ghg.tasks.import_run"
STALE_SYNC_IMPORT = datetime.timedelta(minutes=10)  # an import run in a request this long ago died


def import_has_failed(job) -> bool:
    """Whether an import that says "importing" has in truth died: its task FAILED or is gone
    (a finished task's row is pruned only after it finished, and a finished import is DONE), or,
    run in a request, it started longer ago than any request lives."""
    from .models import ImportJob

    if job.status != ImportJob.Status.IMPORTING:
        return job.status == ImportJob.Status.FAILED
    if job.task_id:
        from django_tasks.exceptions import TaskResultDoesNotExist

        from .tasks import import_run

        try:
            status = import_run.get_result(job.task_id).status
            return str(getattr(status, "value", status)) == "FAILED"
        except (TaskResultDoesNotExist, ValueError):
            return True
        except Exception:  # noqa: BLE001 - the queue is unreachable: we cannot know, keep waiting
            logger.warning("status of import task %s unknown", job.task_id, exc_info=True)
            return False
    return job.started_at is not None and (
        timezone.now() - job.started_at > STALE_SYNC_IMPORT)


def import_failure_message(reason: str) -> str:
    from django.utils.translation import gettext as _

    return _("Der Import ist fehlgeschlagen: %(reason)s Es wurde nichts gespeichert. Sie können ihn erneut "
             "starten.") % {"reason": reason}


def import_job_for(*, organisation, pk: int):
    """The import as its page shows it: one that says "importing" but whose task failed or
    vanished is shown as failed (with the German message), so it can be retried."""
    from django.shortcuts import get_object_or_404
    from django.utils.translation import gettext as _

    from .models import ImportJob

    job = get_object_or_404(ImportJob, pk=pk, organisation=organisation)
    if job.status == ImportJob.Status.IMPORTING and import_has_failed(job):
        job.status = ImportJob.Status.FAILED
        job.errors = [{"row": None, "column": None, "field": None,
                       "message": import_failure_message(_("Die Verarbeitung im Hintergrund wurde abgebrochen."))}]
    return job
