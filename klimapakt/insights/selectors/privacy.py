"""The privacy rule applied to the pact's public figures (docs/insights.md, "Privacy" and "Closed
balance years"): who stands behind each figure (the plan for ``insights.disclosure``), what earlier
publications require to stay hidden, and blanking what is hidden."""

from __future__ import annotations

import datetime
from collections import defaultdict
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q

from klimapakt.partners.models import Organisation
from klimapakt.reports.models import Measure

from ..disclosure import Plan
from ..figures import HEADLINE, MeasureRow, Progress
from ..models import ClosedBalanceYear
from .rows import MAX_ROWS, Row, cohort_years, published_plans

# --- Who stands behind each figure ---------------------------------------------------------


def threshold() -> int:
    return max(int(getattr(settings, "PUBLIC_MIN_ORGANISATIONS", 5)), 1)


def published_by_themselves() -> frozenset[int]:
    """Partners who consented to publish their figures (their reports are in the partners' open
    data): the privacy rule does not count them as protecting the others. One query."""
    return frozenset(Organisation.objects.filter(figures_consent__publish_figures=True).values_list("pk", flat=True))


SCOPE_FIGURES = ("scope1", "scope2_location", "scope2_market", "scope3")


def _nonzero(value) -> bool:
    """Whether a stored figure ("n/d", a decimal string, a number) is other than zero, without
    building a fraction (the privacy plan asks this of every figure of every report)."""
    if not value:
        return False
    if isinstance(value, str):
        return any(c in "123456789" for c in value.split("/", 1)[0])
    return value != 0


def plan_years(by_year: dict[int, list[Row]], plan: Plan) -> None:
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


def plan_measure_savings(base, rows: list[MeasureRow], plan: Plan) -> None:
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


def plan_path(plan: Plan, key, members: dict[int, int], by_org, paths) -> None:
    """A figure of the target path sums each partner in its target's scopes: where a target
    covers other scopes than the headline (Scope 1 + 2), the figure minus the year's headline is
    those partners' difference, so they must be enough on their own too (quantity
    ``path_scopes``)."""
    plan.add(("path", key), members)
    plan.add(("path", key, "scopes"), {o: y for o, y in members.items() if paths[o][0].scopes != HEADLINE},
             quantity="path_scopes")


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


def withhold(plan: Plan, rows: list[Row], by_org, now: tuple[dict, dict], live: tuple[dict, dict],
             closings) -> None:
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
        targets, planned = now  # the published targets and plans of this publication
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


def remember_withheld(closings, hidden: set) -> None:
    """Record the closed years' figures hidden now, so they stay hidden (``withhold``)."""
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


# --- Blanking ------------------------------------------------------------------------------------


def suppress(progress: Progress, hidden: set) -> None:
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
