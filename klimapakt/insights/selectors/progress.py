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
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.utils import timezone

from klimapakt.core.utils import calendar_years
from klimapakt.events.models import Event
from klimapakt.ghg.calculation.totals import sum_exact
from klimapakt.partners.models import (
    WZ2008_SECTIONS,
    Organisation,
    StageChange,
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
from .privacy import (
    plan_measure_savings,
    plan_path,
    plan_years,
    published_by_themselves,
    remember_withheld,
    suppress,
    threshold,
    withhold,
)
from .rows import (
    NO_SECTOR,
    Row,
    TargetRow,
    accepted_rows,
    by_balance_year,
    cohort_years,
    current_targets,
    open_measure_savings,
    organisation_q,
    published_plans,
    published_rows,
)


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
        plan_measure_savings(base, rows, plan)
    return measures


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
                plan_path(plan, year, {o: year for o in reporting}, by_org, paths)
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
        plan_path(plan, "latest", latest, by_org, paths)
        plan_path(plan, "base", {o: paths[o][0].base_year for o in paths}, by_org, paths)
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


def emission_years(by_year: dict[int, list[Row]]) -> list[EmissionYear]:
    """Per balance year the exact sums of its accepted reports (and of the measures they recorded)."""
    return [EmissionYear(year=year, organisations=len(rows), emissions=sum_exact(r.stored for r in rows),
                         measures_total=sum(r.measures_total for r in rows),
                         measures_implemented=sum(r.measures_implemented for r in rows),
                         expected_savings=_decimal_sum(r.expected for r in rows),
                         realised_savings=_decimal_sum(r.realised for r in rows))
            for year, rows in sorted(by_year.items())]


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
        plan_years(by_year, plan)

    partners, partner_rows = partner_years(filters, today)
    active = {p["pk"] for p in partner_rows if p["left_on"] is None}
    targets = current_targets(active | set(by_org))
    live_planned = open_measure_savings(set(by_org))
    path_targets, planned = targets, live_planned
    if public:  # the cohort and path of the published rows: targets and plans as of each closing
        path_targets, planned = published_plans(rows, targets, live_planned)
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
        withhold(plan, rows, by_org, (path_targets, planned), (targets, live_planned), closings)
        hidden = plan.hidden()
        remember_withheld(closings, hidden)
        suppress(progress, hidden)
        progress.named = named_partners()
    return progress


def named_partners() -> list[Tally]:
    """Listed partners who consented to publish their figures and have an accepted report: the
    only organisations the public page names (count: their accepted reports)."""
    rows = (Organisation.objects.filter(stage=Organisation.Stage.ACTIVE, listing_consent=True,
                                        figures_consent__publish_figures=True, reports__status=Report.Status.ACCEPTED)
            .annotate(n=Count("reports")).order_by("name", "pk").values_list("pk", "name", "n")[:500])
    return [Tally(key=str(pk), label=name, count=n) for pk, name, n in rows]


def cached_for(setting: str, default: int, key: str, compute):
    """``compute()`` kept in the shared cache for the seconds a setting names (0: not cached), per
    language (labels are in the figures): the one rule for the progress figures' caches."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    seconds = int(getattr(settings, setting, default))
    if seconds <= 0:
        return compute()
    return cache.get_or_set(_cache_key(key, get_language() or "de"), compute, seconds)


def _cache_key(key: str, language: str) -> str:
    return f"klimapakt:progress:{key}:{language}"


def _public_key(pact) -> str:
    return f"v1:{pact.pk}"


def forget_public_progress(pact) -> None:
    """Drop the cached public figures (a balance year was closed): the next view computes them."""
    from django.core.cache import cache

    try:
        cache.delete_many([_cache_key(_public_key(pact), code) for code, _name in settings.LANGUAGES])
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
