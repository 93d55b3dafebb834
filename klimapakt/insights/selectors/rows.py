"""The rows the pact's figures are built from: per organisation and balance year its accepted
report (live for the office, the published copies of the closed years for the public), the
partners' main targets and planned savings, and which of them form the like-for-like cohort."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import F, Q, Sum, TextField
from django.db.models.functions import Cast

from klimapakt.ghg.calculation.totals import SCOPE_KEYS, Emissions
from klimapakt.partners.models import (
    SIZE_CLASSES,
    Target,
)
from klimapakt.reports.models import Measure, Report

from ..figures import (
    HEADLINE,
    Filters,
)

NO_SECTOR = "-"


# How many organisations' balances one call reads at most (the pact's own scale is thousands).
MAX_ROWS = 200_000


def organisation_q(filters: Filters, prefix: str = "") -> Q:
    """The office's filters as a condition on Organisation (``prefix`` for a relation)."""
    q = Q()
    if filters.kind:
        q &= Q(**{f"{prefix}kind": filters.kind})
    if filters.sector:
        q &= Q(**{f"{prefix}sector": "" if filters.sector == NO_SECTOR else filters.sector})
    if filters.size:
        bounds = next(((low, high) for key, _label, low, high in SIZE_CLASSES if key == filters.size), None)
        if bounds:
            q &= Q(**{f"{prefix}employees__gte": bounds[0]})
            if bounds[1] is not None:
                q &= Q(**{f"{prefix}employees__lte": bounds[1]})
    if filters.cohort:
        q &= Q(**{f"{prefix}partner_since__year": filters.cohort})
    return q


@dataclass
class Row:
    """One organisation's accepted report of one balance year."""

    organisation: int
    year: int
    sector: str
    stored: dict  # exact values (or the rounded figures of an older report)
    measures_total: int
    measures_implemented: int
    expected: str
    realised: str
    _emissions: Emissions | None = None
    # Published rows: the main target (a TargetRow, () for none, None when not recorded) and the
    # planned savings at the closing
    target: object = None
    planned: Fraction = Fraction(0)

    @property
    def emissions(self) -> Emissions:
        if self._emissions is None:
            self._emissions = Emissions.from_mapping(self.stored)
        return self._emissions

    def headline(self, scopes: str = HEADLINE) -> Fraction:
        return self.emissions.total(scopes)


class TargetRow(NamedTuple):
    """What the figures read of a current target (no model instances: thousands per call)."""

    pk: int
    organisation_id: int
    base_year: int
    target_year: int
    reduction_percent: Decimal | None
    reduction_t_co2e: Decimal | None
    scopes: str
    neutral_by: int | None


def accepted_rows(filters: Filters) -> list[Row]:
    """Per organisation and balance year its accepted report (the newest where there are two,
    e.g. a Monitoringbericht and an Endbilanz of the same balance year). One query."""
    figures = {f"{k}_text": Cast(f"{k}_t", TextField()) for k in SCOPE_KEYS}
    qs = (Report.objects.filter(status=Report.Status.ACCEPTED, scope1_t__isnull=False,
                                organisation__partner_since__isnull=False)
          .filter(organisation_q(filters, "organisation__"))
          .annotate(sector=F("organisation__sector"), expected=Cast("expected_savings_t", TextField()),
                    realised=Cast("realised_savings_t", TextField()), **figures)
          .order_by("organisation_id", "balance_year", "accepted_at", "pk")
          .values_list("organisation_id", "balance_year", "sector", "exact_t", "measures_total",
                       "measures_implemented", "expected", "realised", *figures)[:MAX_ROWS])
    rows: dict[tuple[int, int], Row] = {}
    for org, year, sector, exact, m_total, m_done, expected, realised, *scopes in qs:
        stored = Report.stored_emissions({"exact_t": exact, **dict(zip(SCOPE_KEYS, scopes, strict=True))}, "")
        rows[(org, year)] = Row(org, year, sector or NO_SECTOR, stored, m_total, m_done, expected or "0",
                                realised or "0")
    return list(rows.values())


def published_rows(pact) -> list[Row]:
    """The public's rows: the balances of the pact's closed balance years as they were at each
    closing (``insights.PublishedBalance``). One query."""
    from ..models import PublishedBalance

    rows = (PublishedBalance.objects.filter(closed_year__pact=pact)
            .order_by("closed_year__balance_year", "organisation_id")
            .values_list("organisation_id", "closed_year__balance_year", "sector", "exact_t", "measures_total",
                         "measures_implemented", "expected_savings_t", "realised_savings_t", "target",
                         "planned_savings_t")[:MAX_ROWS])
    return [Row(org, year, sector or NO_SECTOR, Report.stored_emissions({"exact_t": exact}, ""), m_total, m_done,
                expected or "0", realised or "0", target=_target_from_json(target),
                planned=Fraction(planned or "0"))
            for org, year, sector, exact, m_total, m_done, expected, realised, target, planned in rows]


def target_to_json(target: TargetRow | None) -> list:
    """A main target as a published row keeps it ([] for none)."""
    if target is None:
        return []
    return [target.pk, target.organisation_id, target.base_year, target.target_year,
            None if target.reduction_percent is None else str(target.reduction_percent),
            None if target.reduction_t_co2e is None else str(target.reduction_t_co2e), target.scopes,
            target.neutral_by]


def _target_from_json(value):
    if value is None:
        return None  # closed before targets were kept
    if not value:
        return ()
    pk, org, base, target_year, percent, tonnes, scopes, neutral = value
    return TargetRow(pk, org, base, target_year, None if percent is None else Decimal(percent),
                     None if tonnes is None else Decimal(tonnes), scopes, neutral)


def published_plans(rows: list[Row], live_targets, live_planned) -> tuple[dict, dict]:
    """Per organisation its main target and planned savings as of its latest published row (rows
    come ordered by year), so that the public cohort and path change only with a closing; a row
    closed before these were kept falls back to the current ones."""
    targets: dict[int, list[TargetRow]] = {}
    planned: dict[int, Fraction] = {}
    for r in rows:
        if r.target is None:
            targets[r.organisation] = list(live_targets.get(r.organisation, []))[:1]
            planned[r.organisation] = live_planned.get(r.organisation, Fraction(0))
        else:
            targets[r.organisation] = [r.target] if r.target else []
            planned[r.organisation] = r.planned
    return targets, planned


def current_targets(org_ids: set[int]) -> dict[int, list[TargetRow]]:
    """The current targets of the organisations, nearest target year first (the main target,
    as the dashboard picks it). One query over the partners' targets."""
    out: dict[int, list[TargetRow]] = defaultdict(list)
    rows = (Target.objects.filter(archived_at__isnull=True, organisation__partner_since__isnull=False)
            .order_by("organisation_id", "target_year", "pk")
            .values_list(*TargetRow._fields)[:MAX_ROWS])
    for row in rows:
        if row[1] in org_ids:
            out[row[1]].append(TargetRow(*row))
    return out


def open_measure_savings(org_ids: set[int]) -> dict[int, Fraction]:
    """Expected savings of planned and ongoing measures per organisation (the dashboard's rule)."""
    rows = (Measure.objects.filter(organisation_id__in=org_ids, status__in=Measure.OPEN)
            .order_by().values("organisation_id").annotate(t=Sum("expected_t_co2e")))
    return {r["organisation_id"]: Fraction(r["t"] or 0).limit_denominator(1000) for r in rows}


def by_balance_year(rows: list[Row]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        out[row.year].append(row)
    return dict(sorted(out.items()))


def _base_year(org: int, years: dict[int, Row], targets: dict[int, list[TargetRow]]) -> int:
    """The organisation's base year: its main target's where that balance was accepted, else its
    first accepted balance year."""
    for target in targets.get(org, [])[:1]:
        if target.base_year in years:
            return target.base_year
    return min(years)


def cohort_years(by_org: dict[int, dict[int, Row]], targets) -> dict[int, tuple[int, int]]:
    """The like-for-like cohort: per organisation its base year and its latest accepted year,
    for those with both (latest after base)."""
    out = {}
    for org, years in by_org.items():
        first, last = _base_year(org, years, targets), max(years)
        if last > first:
            out[org] = (first, last)
    return out
