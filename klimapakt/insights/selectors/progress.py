"""The pact's progress: every figure of the public page, the office's dashboard, the council report
and the open-data API, built in one place (``pact_progress``).

A fixed number of queries whatever the number of organisations: the rows come from SQL (accepted
reports, partnerships, targets, measures, events, support requests), the sums are exact
(``ghg.calculation.totals.sum_exact`` over the stored exact values, rounded once when shown).
The public view applies the privacy rule of ``insights.disclosure`` to every figure built from
organisations' data; counts of partners, measures and events are shown as they are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from klimapakt.core.utils import calendar_years
from klimapakt.events.models import Event
from klimapakt.ghg.calculation.totals import SCOPE_KEYS, Emissions, sum_exact
from klimapakt.partners.models import (
    SIZE_CLASSES,
    WZ2008_SECTIONS,
    Organisation,
    StageChange,
    Target,
    sector_label,
)
from klimapakt.reports.models import Category, Measure, Report, ReportVersion
from klimapakt.support.models import SupportRequest
from klimapakt.support.selectors.workplace import yearly_totals

from ..disclosure import Plan
from ..figures import (
    HEADLINE,
    Cohort,
    EmissionYear,
    EventYear,
    Filters,
    MeasureRow,
    Measures,
    PartnerYear,
    PathPoint,
    Progress,
    ReportingCycle,
    SectorCell,
    SupportYear,
    TargetPath,
    TargetShares,
)
from ..figures import (
    Count as Tally,
)
from ..models import ClosedBalanceYear

NO_SECTOR = "-"
# How many organisations' balances one call reads at most (the pact's own scale is thousands).
MAX_ROWS = 200_000


def threshold() -> int:
    return max(int(getattr(settings, "PUBLIC_MIN_ORGANISATIONS", 5)), 1)


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


# --- The accepted balances ---------------------------------------------------------------


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


def _sum(values) -> Fraction:
    total = Fraction(0)
    for value in values:
        total += value
    return total


def _decimal_sum(texts) -> Fraction:
    """Exact sum of decimal strings from the database (savings, 3 decimals): Decimals add
    them exactly (28 significant digits), far faster than fractions."""
    return Fraction(sum((Decimal(t) for t in texts if t), Decimal(0)))


# --- Partnerships, targets, reporting ------------------------------------------------------


def partner_years(filters: Filters, today: datetime.date) -> tuple[list[PartnerYear], list[dict]]:
    """Per calendar year since the first partnership: begun, ended, and partners at the year's
    end (or today for the current year). Two queries."""
    partners = list(Organisation.objects.filter(partner_since__isnull=False).filter(organisation_q(filters))
                    .values("pk", "partner_since", "stage", "kind", "sector", "employees"))
    left_ids = [p["pk"] for p in partners if p["stage"] == Organisation.Stage.LEFT]
    left_on: dict[int, datetime.date] = {}
    for org, at in (StageChange.objects.filter(organisation_id__in=left_ids, to_stage=Organisation.Stage.LEFT)
                    .order_by("organisation_id", "created_at").values_list("organisation_id", "created_at")):
        left_on[org] = timezone.localtime(at).date()
    for p in partners:
        p["left_on"] = left_on.get(p["pk"], today) if p["stage"] == Organisation.Stage.LEFT else None
    if not partners:
        return [], partners
    first = min(p["partner_since"].year for p in partners)
    out = []
    for year in range(first, today.year + 1):
        end = min(datetime.date(year, 12, 31), today)
        out.append(PartnerYear(
            year=year,
            joined=sum(1 for p in partners if p["partner_since"].year == year),
            left=sum(1 for p in partners if p["left_on"] and p["left_on"].year == year),
            active=sum(1 for p in partners if p["partner_since"] <= end and not (p["left_on"] and p["left_on"] <= end))))
    return out, partners


def _tallies(partners: list[dict], field: str, choices) -> list[Tally]:
    counts: dict[str, int] = defaultdict(int)
    for p in partners:
        if p["left_on"] is None:
            counts[p[field] or NO_SECTOR] += 1
    labels = {str(k): str(v) for k, v in choices}
    labels[NO_SECTOR] = sector_label("")
    order = [str(k) for k, _v in choices] + [NO_SECTOR]
    return [Tally(key=k, label=labels[k], count=counts[k]) for k in order if counts.get(k)]


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


def target_shares(active: set[int], targets: dict[int, list[TargetRow]]) -> TargetShares:
    return TargetShares(
        partners=len(active),
        with_target=sum(1 for o in active if targets.get(o)),
        with_neutral_year=sum(1 for o in active if any(t.neutral_by for t in targets.get(o, []))),
        with_scope3=sum(1 for o in active if any("3" in t.scopes for t in targets.get(o, []))))


def reporting_cycles(filters: Filters) -> list[ReportingCycle]:
    """Per report year: reports owed, first submitted by their due date, submitted, accepted."""
    first_on_time = ReportVersion.objects.filter(report_id=OuterRef("pk"), number=1,
                                                 submitted_at__date__lte=OuterRef("due_on"))
    rows = (Report.objects.filter(organisation__partner_since__isnull=False)
            .filter(organisation_q(filters, "organisation__"))
            .annotate(on_time=Exists(first_on_time)).order_by().values("year")
            .annotate(due=Count("pk"), on_time_n=Count("pk", filter=Q(on_time=True)),
                      submitted=Count("pk", filter=Q(status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED])),
                      accepted=Count("pk", filter=Q(status=Report.Status.ACCEPTED))))
    return sorted((ReportingCycle(year=r["year"], due=r["due"], submitted_on_time=r["on_time_n"],
                                  submitted=r["submitted"], accepted=r["accepted"]) for r in rows),
                  key=lambda c: c.year)


# --- Measures, events, support -------------------------------------------------------------


def _t(value) -> Fraction:
    """A SQL sum of 3-decimal tonnes as an exact fraction (SQLite sums as floats: back to the 3
    decimals such a sum has)."""
    return Fraction(Decimal(value or 0).quantize(Decimal("0.001")))


def measure_figures(filters: Filters, plan: Plan | None) -> Measures:
    """Measures of partners by category and status; expected savings of all but dropped ones,
    realised savings of implemented ones. Sums and counts in SQL: two queries (three for the
    public view, which needs who is behind each category)."""
    base = Measure.objects.filter(organisation__partner_since__isnull=False).filter(
        organisation_q(filters, "organisation__")).order_by()
    grouped = {(r["category"], r["status"]): r for r in base.values("category", "status").annotate(
        n=Count("pk"), e=Sum("expected_t_co2e"), r=Sum("realised_t_co2e"))}
    organisations = {r["category"]: r["n"] for r in
                     base.values("category").annotate(n=Count("organisation", distinct=True))}
    statuses = Measure.Status.values
    rows = []
    for key, label in Category.choices:
        cells = [grouped.get((key, s)) for s in statuses]
        row_counts = [c["n"] if c else 0 for c in cells]
        expected = sum((_t(c["e"]) for c in cells if c and c["status"] != Measure.Status.DROPPED), Fraction(0))
        realised = sum((_t(c["r"]) for c in cells if c and c["status"] == Measure.Status.IMPLEMENTED), Fraction(0))
        rows.append(MeasureRow(key=key, label=str(label), counts=row_counts, total=sum(row_counts),
                               organisations=organisations.get(key, 0), expected=expected, realised=realised))
    total_orgs = base.aggregate(n=Count("organisation", distinct=True))["n"] if organisations else 0
    measures = Measures(status_labels=[str(label) for _v, label in Measure.Status.choices], rows=rows,
                        status_totals=[sum(r.counts[i] for r in rows) for i in range(len(statuses))],
                        total=sum(r.total for r in rows), organisations=total_orgs,
                        expected=_sum(r.expected for r in rows), realised=_sum(r.realised for r in rows))
    if plan is not None:
        _plan_measure_savings(base, rows, plan)
    return measures


def _plan_measure_savings(base, rows: list[MeasureRow], plan: Plan) -> None:
    """Who stands behind each savings figure: for the expected savings the organisations with a
    measure of the category that is not dropped and expects some, for the realised ones those
    with an implemented measure that realised some. One query."""
    expects = (~Q(status=Measure.Status.DROPPED) & Q(expected_t_co2e__isnull=False) & ~Q(expected_t_co2e=0))
    realised = (Q(status=Measure.Status.IMPLEMENTED) & Q(realised_t_co2e__isnull=False) & ~Q(realised_t_co2e=0))
    per_org = (base.filter(expects | realised).values("category", "organisation_id")
               .annotate(e=Count("pk", filter=expects), r=Count("pk", filter=realised))
               .values_list("category", "organisation_id", "e", "r")[:MAX_ROWS])
    members: dict[tuple[str, str], set[int]] = defaultdict(set)
    for category, org, expecting, realising in per_org:
        for figure, count in (("expected", expecting), ("realised", realising)):
            if count:
                members[(figure, category)].add(org)
    for figure in ("expected", "realised"):
        everyone: set[int] = set()
        for row in rows:
            ids = members[(figure, row.key)]
            everyone |= ids
            plan.add(("measures", row.key, figure), dict.fromkeys(ids, 0), quantity=f"measures_{figure}")
        plan.add(("measures", None, figure), dict.fromkeys(everyone, 0), quantity=f"measures_{figure}")
        plan.partition(("measures", None, figure), [("measures", r.key, figure) for r in rows])


def event_years(pact, today: datetime.date) -> list[EventYear]:
    """Events that took place (published or closed, ended before now) and their participants
    (registrations marked as attended), per year: two queries (the span, then every year's
    counts as conditional aggregates; no per-row year function)."""
    held = Event.objects.filter(pact=pact, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED],
                                ends_at__lt=timezone.now()).order_by()
    span = held.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    if span["first"] is None:
        return []
    years = calendar_years(span["first"], span["last"])
    aggregates = {}
    for year, start, end in years:
        in_year = Q(starts_at__gte=start, starts_at__lt=end)
        aggregates[f"{year}_events"] = Count("pk", filter=in_year, distinct=True)
        aggregates[f"{year}_participants"] = Count("registrations", filter=in_year & Q(registrations__attended=True))
    row = held.aggregate(**aggregates)
    return [EventYear(year=year, events=row[f"{year}_events"], participants=row[f"{year}_participants"])
            for year, _start, _end in years if row[f"{year}_events"]]


# --- Like for like and the target path -------------------------------------------------------


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


def cohort(by_org: dict[int, dict[int, Row]], targets, plan: Plan | None) -> Cohort:
    members = cohort_years(by_org, targets)
    base = {org: first for org, (first, _last) in members.items()}
    latest = {org: last for org, (_first, last) in members.items()}
    if not base:
        return Cohort(organisations=0, base=None, latest=None)
    result = Cohort(organisations=len(base),
                    base=sum_exact(by_org[o][y].stored for o, y in base.items()).total(HEADLINE),
                    latest=sum_exact(by_org[o][y].stored for o, y in latest.items()).total(HEADLINE))
    if plan is not None:
        plan.add(("cohort", "base"), base)
        plan.add(("cohort", "latest"), latest)
    return result


def target_path(by_org: dict[int, dict[int, Row]], targets, open_savings: dict[int, Fraction], *,
                pact_year: int, plan: Plan | None) -> TargetPath:
    """Each partner's path (its main target: the nearest target year) from its base-year balance
    to its goal, then flat to the pact's target year, as its dashboard draws it; summed."""
    paths: dict[int, tuple[TargetRow, Fraction, Fraction]] = {}
    for org, years in by_org.items():
        target = (targets.get(org) or [None])[0]
        if target is None or target.base_year not in years:
            continue
        base_t = years[target.base_year].headline(target.scopes)
        if target.reduction_percent is not None:
            goal = base_t * (1 - Fraction(target.reduction_percent) / 100)
        else:
            goal = max(base_t - Fraction(target.reduction_t_co2e or 0), Fraction(0))
        paths[org] = (target, base_t, goal)
    result = TargetPath(organisations=len(paths), target_year=pact_year)
    if not paths:
        return result

    def on_path(org: int, year: int) -> Fraction:
        target, base_t, goal = paths[org]
        if year >= target.target_year:
            return goal
        return base_t + (goal - base_t) * Fraction(year - target.base_year, target.target_year - target.base_year)

    first = min(t.base_year for t, _b, _g in paths.values())
    last_reported = max(max(by_org[o]) for o in paths)
    points = []
    for year in range(first, max(pact_year, last_reported) + 1):
        reporting = [o for o in paths if year in by_org[o] and year >= paths[o][0].base_year]
        if year <= last_reported:
            if not reporting:
                continue
            points.append(PathPoint(year=year, target=_sum(on_path(o, year) for o in reporting),
                                    reported=_sum(by_org[o][year].headline(paths[o][0].scopes) for o in reporting)))
            if plan is not None:
                _plan_path(plan, year, {o: year for o in reporting}, by_org, paths)
        elif plan is None or year == max(pact_year, last_reported):
            # Publicly only the end point: two future points a year apart differ by the paths of
            # the partners whose target year lies between, perhaps a single one.
            points.append(PathPoint(year=year, target=_sum(on_path(o, year) for o in paths), reported=None))
    latest = {o: max(by_org[o]) for o in paths}
    result.points = points
    result.base = _sum(b for _t, b, _g in paths.values())
    result.latest = _sum(by_org[o][y].headline(paths[o][0].scopes) for o, y in latest.items())
    result.on_path = _sum(on_path(o, max(y, paths[o][0].base_year)) for o, y in latest.items())
    result.goal = _sum(g for _t, _b, g in paths.values())
    result.planned_savings = _sum(open_savings.get(o, Fraction(0)) for o in paths)
    if plan is not None:
        _plan_path(plan, "latest", latest, by_org, paths)
        _plan_path(plan, "base", {o: paths[o][0].base_year for o in paths}, by_org, paths)
        plan.add(("path", "planned"), {o: paths[o][0].base_year for o in paths if open_savings.get(o)},
                 quantity="planned_savings")
        # The goals and the points on the paths weigh each partner's base by its own target (a
        # reduction percent, its base and target year): partners alone in their kind of target
        # could be solved for from two such figures, so each kind must reach the threshold.
        kinds: dict[tuple, dict[int, int]] = defaultdict(dict)
        for o, (target, _base_t, _goal) in paths.items():
            weight = target.reduction_percent if target.reduction_percent is not None else "t"
            kinds[(weight, target.base_year, target.target_year)][o] = target.base_year
        for kind, members in kinds.items():
            plan.add(("path", "weights", kind), members, quantity=f"path_weights_{kind}")
    return result


def _plan_path(plan: Plan, key, members: dict[int, int], by_org, paths) -> None:
    """A figure of the target path sums each partner in its target's scopes: where a target
    covers other scopes than the headline (Scope 1 + 2), the figure minus the year's headline is
    those partners' difference, so they must be enough on their own too (quantity
    ``path_scopes``)."""
    plan.add(("path", key), members)
    plan.add(("path", key, "scopes"), {o: y for o, y in members.items() if paths[o][0].scopes != HEADLINE},
             quantity="path_scopes")


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


def emission_years(by_year: dict[int, list[Row]]) -> list[EmissionYear]:
    """Per balance year the exact sums of its accepted reports (and of the measures they recorded)."""
    return [EmissionYear(year=year, organisations=len(rows), emissions=sum_exact(r.stored for r in rows),
                         measures_total=sum(r.measures_total for r in rows),
                         measures_implemented=sum(r.measures_implemented for r in rows),
                         expected_savings=_decimal_sum(r.expected for r in rows),
                         realised_savings=_decimal_sum(r.realised for r in rows))
            for year, rows in sorted(by_year.items())]


SCOPE_FIGURES = ("scope1", "scope2_location", "scope2_market", "scope3")


def _nonzero(value) -> bool:
    """Whether a stored figure ("n/d", a decimal string, a number) is other than zero, without
    building a fraction (the privacy plan asks this of every figure of every report)."""
    if not value:
        return False
    if isinstance(value, str):
        return any(c in "123456789" for c in value.split("/", 1)[0])
    return value != 0


def _plan_years(by_year: dict[int, list[Row]], plan: Plan) -> None:
    """Who stands behind each figure of a balance year. The year as a whole (its headline) is
    over every organisation with an accepted report; each scope only over those with a value in
    it (Scope 3 is reported by some), each total over those of its scopes, and so are the savings
    the reports recorded. The figures add up: Scope 1 and Scope 2 (location-based) to the
    headline, the headline and Scope 3 to the location-based total, Scope 1, Scope 2
    (market-based) and Scope 3 to the market-based total; a derived total gives way before its
    parts."""
    for year, rows in by_year.items():
        plan.add(("year", year), {r.organisation: year for r in rows})
        has = {key: {r.organisation: year for r in rows if _nonzero(r.stored.get(key))} for key in SCOPE_FIGURES}
        for key in SCOPE_FIGURES:
            plan.add(("year", year, key), has[key], quantity=key)
        plan.add(("year", year, "total_location"), has["scope1"] | has["scope2_location"] | has["scope3"],
                 quantity="total_location")
        plan.add(("year", year, "total_market"), has["scope1"] | has["scope2_market"] | has["scope3"],
                 quantity="total_market")
        plan.add(("year", year, "expected_savings"), {r.organisation: year for r in rows if _nonzero(r.expected)},
                 quantity="report_expected")
        plan.add(("year", year, "realised_savings"), {r.organisation: year for r in rows if _nonzero(r.realised)},
                 quantity="report_realised")
        plan.partition(("year", year), [("year", year, "scope1"), ("year", year, "scope2_location")])
        plan.partition(("year", year, "total_location"), [("year", year), ("year", year, "scope3")],
                       hide_total_first=True)
        plan.partition(("year", year, "total_market"), [("year", year, k) for k in ("scope1", "scope2_market", "scope3")],
                       hide_total_first=True)


def sector_cells(by_year: dict[int, list[Row]], plan: Plan | None) -> list[SectorCell]:
    """The headline per balance year and WZ section; the sections of a year add up to its total
    (a partition for the complementary suppression)."""
    order = [str(k) for k, _v in WZ2008_SECTIONS] + [NO_SECTOR]
    cells = []
    for year, rows in sorted(by_year.items()):
        by_sector: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_sector[r.sector].append(r)
        for key in sorted(by_sector, key=lambda k: order.index(k) if k in order else len(order)):
            members = by_sector[key]
            cells.append(SectorCell(year=year, key=key, label=sector_label("" if key == NO_SECTOR else key),
                                    organisations=len(members),
                                    headline=sum_exact(r.stored for r in members).total(HEADLINE)))
            if plan is not None:
                plan.add(("sector", year, key), {r.organisation: year for r in members})
        if plan is not None:
            plan.partition(("year", year), [("sector", year, k) for k in by_sector])
    return cells


# --- Everything ------------------------------------------------------------------------------


def pact_progress(pact, *, public: bool, filters: Filters | None = None,
                  today: datetime.date | None = None) -> Progress:
    """The pact's figures. ``public``: with the privacy rule (threshold and complementary
    suppression, docs/insights.md); otherwise the office's view over every organisation, with
    its filters. About a dozen queries, whatever the number of organisations."""
    today = today or timezone.localdate()
    if public or filters is None:
        filters = Filters()
    plan = Plan(threshold=threshold(), known=published_by_themselves()) if public else None
    if public:
        from ..services import close_due_years

        still_open = close_due_years(pact, today)
        rows = published_rows(pact)
        closings = list(ClosedBalanceYear.objects.filter(pact=pact).only("pk", "balance_year", "closed_at", "withheld"))
    else:
        rows, still_open = accepted_rows(filters), []
    by_org: dict[int, dict[int, Row]] = defaultdict(dict)
    for row in rows:
        by_org[row.organisation][row.year] = row
    by_year = by_balance_year(rows)

    years = emission_years(by_year)
    sectors = sector_cells(by_year, plan)
    if plan is not None:
        _plan_years(by_year, plan)

    partners, partner_rows = partner_years(filters, today)
    active = {p["pk"] for p in partner_rows if p["left_on"] is None}
    targets = current_targets(active | set(by_org))
    planned = open_measure_savings(set(by_org))
    path_targets = targets
    if public:  # the cohort and path of the published rows: targets and plans as of each closing
        path_targets, planned = published_plans(rows, targets, planned)
    like_for_like = cohort(by_org, path_targets, plan)
    path = target_path(by_org, path_targets, planned, pact_year=pact.target_year, plan=plan)
    measures = measure_figures(filters, plan)
    support_rows = yearly_totals(pact) if filters.is_empty else []

    progress = Progress(
        public=public, threshold=plan.threshold if plan else 0, filters=filters, generated_at=timezone.now(),
        years=years, partners=partners,
        by_kind=_tallies(partner_rows, "kind", Organisation.Kind.choices),
        by_sector=_tallies(partner_rows, "sector", WZ2008_SECTIONS),
        targets=target_shares(active, targets), reporting=reporting_cycles(filters), cohort=like_for_like,
        path=path, measures=measures, events=event_years(pact, today) if filters.is_empty else [],
        support=[SupportYear(**r) for r in support_rows],
        support_outcome_labels=[str(label) for _v, label in SupportRequest.Outcome.choices],
        sectors=sectors, open_years=still_open)
    if plan is not None:
        _withhold(plan, rows, by_org, (targets, open_measure_savings(set(by_org))), closings)
        hidden = plan.hidden()
        _remember_withheld(closings, hidden)
        _suppress(progress, hidden)
        progress.named = named_partners()
    return progress


def published_by_themselves() -> frozenset[int]:
    """Partners who consented to publish their figures (their reports are in the partners' open
    data): the privacy rule does not count them as protecting the others. One query."""
    return frozenset(Organisation.objects.filter(figures_consent__publish_figures=True).values_list("pk", flat=True))


# --- Between two publications ----------------------------------------------------------------

CLOSING_BATCH = datetime.timedelta(minutes=1)  # years closed together (the first view after their days)


def _earlier_years(closings) -> set[int]:
    """The closed years of the publication before the latest closing: all but the years closed
    in the newest batch. Empty for the first publication."""
    if not closings:
        return set()
    newest = max(c.closed_at for c in closings)
    return {c.balance_year for c in closings if c.closed_at < newest - CLOSING_BATCH}


def _path_members(by_org: dict[int, dict[int, Row]], targets, planned) -> dict[int, tuple]:
    """Per partner on the target path what its part depends on: base year, latest year, its
    target and its planned savings."""
    out = {}
    for org, years in by_org.items():
        target = (targets.get(org) or [None])[0]
        if target is not None and target.base_year in years:
            out[org] = (target.base_year, max(years), tuple(target[2:]), planned.get(org, Fraction(0)))
    return out


def _withhold(plan: Plan, rows: list[Row], by_org, live: tuple[dict, dict], closings) -> None:
    """What the privacy rule must hide because of earlier publications (docs/insights.md,
    "Closed balance years"): the like-for-like cohort and the target path span years, so a
    closing changes them; where it changes them by 1 to threshold - 1 partners (compared with
    the publication before the latest closing), they are hidden, or the difference would be
    those partners' figures. And a figure of a closed year that was hidden once stays hidden:
    shown later, it could be subtracted from a figure of the earlier publication."""
    earlier = _earlier_years(closings)
    if earlier:
        before = {o: {y: r for y, r in years.items() if y in earlier} for o, years in by_org.items()}
        before = {o: years for o, years in before.items() if years}
        targets, planned = published_plans(rows, *live)
        targets_before, planned_before = published_plans([r for r in rows if r.year in earlier], *live)
        for keys, now, then in (([("cohort", "base"), ("cohort", "latest")], cohort_years(by_org, targets),
                                  cohort_years(before, targets_before)),
                                ([("path", "latest"), ("path", "base")], _path_members(by_org, targets, planned),
                                 _path_members(before, targets_before, planned_before))):
            changed = {o for o in now.keys() | then.keys() if now.get(o) != then.get(o)} - plan.known
            if 0 < len(changed) < plan.threshold:
                for key in keys:
                    if key in plan.aggregates:
                        plan.aggregates[key].hidden = True
    for closing in closings:
        for key in closing.withheld or []:
            aggregate = plan.aggregates.get(tuple(key))
            if aggregate is not None:
                aggregate.hidden = True


def _year_keys(hidden: set, year: int) -> set[tuple]:
    return {key for key in hidden if isinstance(key, tuple) and len(key) >= 2 and key[0] in ("year", "sector", "path")
            and key[1] == year}


def _remember_withheld(closings, hidden: set) -> None:
    """Record the closed years' figures hidden now, so they stay hidden (``_withhold``)."""
    from django.db import transaction

    for closing in closings:
        new = _year_keys(hidden, closing.balance_year) - {tuple(k) for k in closing.withheld or []}
        if not new:
            continue
        with transaction.atomic():
            row = ClosedBalanceYear.objects.select_for_update().get(pk=closing.pk)
            merged = {tuple(k) for k in row.withheld or []} | new
            row.withheld = sorted((list(k) for k in merged), key=str)
            row.save(update_fields=["withheld"])
        closing.withheld = row.withheld


def named_partners() -> list[Tally]:
    """Listed partners who consented to publish their figures and have an accepted report: the
    only organisations the public page names (count: their accepted reports)."""
    rows = (Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                        figures_consent__publish_figures=True, reports__status=Report.Status.ACCEPTED)
            .annotate(n=Count("reports")).order_by("name", "pk").values_list("pk", "name", "n")[:500])
    return [Tally(key=str(pk), label=name, count=n) for pk, name, n in rows]


def _suppress(progress: Progress, hidden: set) -> None:
    """Blanks every hidden figure (the organisations' count stays: it is not confidential)."""
    for item in progress.years:
        if ("year", item.year) in hidden:
            item.suppressed = True
            item.emissions = None
            item.expected_savings = item.realised_savings = None
            item.measures_total = item.measures_implemented = None
            continue
        item.hidden = frozenset(k for k in (*SCOPE_FIGURES, "total_location", "total_market")
                                if ("year", item.year, k) in hidden)
        if ("year", item.year, "scope1") in hidden or ("year", item.year, "scope2_location") in hidden:
            item.hidden |= {"scope1", "scope2_location"}  # the partition hid one with the other
        if ("year", item.year, "expected_savings") in hidden:
            item.expected_savings = None
        if ("year", item.year, "realised_savings") in hidden:
            item.realised_savings = None
    for cell in progress.sectors:
        if ("sector", cell.year, cell.key) in hidden:
            cell.suppressed, cell.headline = True, None
    if ("cohort", "base") in hidden or ("cohort", "latest") in hidden:
        c = progress.cohort
        c.suppressed, c.base, c.latest = True, None, None
    path = progress.path
    if any(k in hidden for k in (("path", "latest"), ("path", "base"), ("path", "latest", "scopes"),
                                 ("path", "base", "scopes"))):
        path.suppressed = True
        path.base = path.latest = path.on_path = path.goal = path.planned_savings = None
        path.points = []
    else:
        for point in path.points:
            if ("path", point.year) in hidden or ("path", point.year, "scopes") in hidden:
                point.target = point.reported = None
        if ("path", "planned") in hidden:
            path.planned_savings = None
        if any(k[:2] == ("path", "weights") for k in hidden if isinstance(k, tuple)):
            path.on_path = path.goal = None  # the weighted figures; base and latest stay
            for point in path.points:
                point.target = None
    m = progress.measures
    for item, key in [(m, None), *((row, row.key) for row in m.rows)]:
        if ("measures", key, "expected") in hidden:
            item.expected = None
        if ("measures", key, "realised") in hidden:
            item.realised = None


def cached_for(setting: str, default: int, key: str, compute):
    """``compute()`` kept in the shared cache for the seconds a setting names (0: not cached), per
    language (labels are in the figures): the one rule for the progress figures' caches."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    seconds = int(getattr(settings, setting, default))
    if seconds <= 0:
        return compute()
    return cache.get_or_set(f"klimapakt:progress:{key}:{get_language() or 'de'}", compute, seconds)


def _public_key(pact) -> str:
    return f"v1:{pact.pk}"


def forget_public_progress(pact) -> None:
    """Drop the cached public figures (a balance year was closed): the next view computes them."""
    from django.core.cache import cache

    try:
        cache.delete_many([f"klimapakt:progress:{_public_key(pact)}:{code}" for code, _name in settings.LANGUAGES])
    except Exception:  # noqa: BLE001 - a cache that is down holds nothing to forget
        pass


def public_progress(pact) -> Progress:
    """The public figures, cached for ``PROGRESS_CACHE_SECONDS`` per language: the page and the
    API show the same snapshot; docs/insights.md names the lifetime."""
    return cached_for("PROGRESS_CACHE_SECONDS", 300, _public_key(pact), lambda: pact_progress(pact, public=True))


def office_progress(pact, filters: Filters) -> Progress:
    """The office's figures, cached for ``OFFICE_PROGRESS_CACHE_SECONDS`` (default 60) per filter
    and language: the dashboard is opened again and again while the figures change with each
    accepted report, not by the second. The page shows when they were computed."""
    return cached_for("OFFICE_PROGRESS_CACHE_SECONDS", 60, f"office:v1:{pact.pk}:{filters.cache_key}",
                      lambda: pact_progress(pact, public=False, filters=filters))
