"""The pact's figures as one value: what the public progress page, the office's dashboard, the
council report and the open-data API show. Built by ``insights.selectors.progress.pact_progress``;
plain data here (no queries), so every reader formats the same numbers.

Emissions are exact (``ghg.calculation.totals.Emissions``: the stored exact values of accepted
reports summed) and rounded once when shown. A figure hidden by the privacy rule
(``insights.disclosure``) is ``None`` with ``suppressed=True``; readers show "zu wenige Angaben".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from klimapakt.ghg.calculation.totals import Emissions, round_t

# The pact's headline: Scope 1 + Scope 2 location-based, the minimum every partner reports.
HEADLINE = "1+2"


def percent_change(before: Fraction | None, after: Fraction | None) -> Decimal | None:
    """(after - before) / before in per cent, one decimal, half-up; None without a base."""
    if before is None or after is None or before == 0:
        return None
    value = (Fraction(after) - Fraction(before)) / Fraction(before) * 100
    return round_t(value, 1)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    """The office's filters (the public page has none): organisation kind, WZ section, size
    class (partners.models.SIZE_CLASSES) and cohort (the year the partnership began)."""

    kind: str = ""
    sector: str = ""
    size: str = ""
    cohort: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.kind or self.sector or self.size or self.cohort)

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (German names, as the dashboard's form uses them)."""
        out = {"art": self.kind, "branche": self.sector, "groesse": self.size,
               "kohorte": str(self.cohort) if self.cohort else ""}
        return {k: v for k, v in out.items() if v}

    @property
    def cache_key(self) -> str:
        """The filters as a stable part of a cache key ("" without filters)."""
        return "&".join(f"{k}={v}" for k, v in sorted(self.as_query().items()))


@dataclass
class EmissionYear:
    """The accepted reports of one balance year, summed."""

    year: int
    organisations: int
    emissions: Emissions | None  # None when suppressed
    suppressed: bool = False
    # The measures the same reports recorded (their snapshots at submission)
    measures_total: int | None = None
    measures_implemented: int | None = None
    expected_savings: Fraction | None = None
    realised_savings: Fraction | None = None
    # Figures of a shown year hidden on their own (too few organisations behind that one figure,
    # e.g. Scope 3), by their key in ``figures()``
    hidden: frozenset[str] = frozenset()

    def figures(self) -> dict[str, Decimal | None]:
        """Every figure the API and the tables show, each rounded once from its exact sum:
        the four scopes, the headline ``total_scope12_location`` (Scope 1 + Scope 2
        location-based) and the totals ``total_location`` and ``total_market`` (with Scope 3)."""
        keys = ("scope1", "scope2_location", "scope2_market", "scope3", "total_scope12_location",
                "total_location", "total_market")
        if self.emissions is None:
            return dict.fromkeys(keys)
        rounded = self.emissions.rounded()
        out = {"scope1": rounded["scope1"], "scope2_location": rounded["scope2_location"],
               "scope2_market": rounded["scope2_market"], "scope3": rounded["scope3"],
               "total_scope12_location": self.emissions.rounded_total(HEADLINE),
               "total_location": rounded["total_location"], "total_market": rounded["total_market"]}
        return {k: None if k in self.hidden else v for k, v in out.items()}

    def exact(self, key: str) -> Fraction | None:
        """One figure's exact sum (a scope key, ``total_location``, ``total_market`` or the
        headline ``total_scope12_location``); None where hidden."""
        if self.emissions is None or key in self.hidden:
            return None
        if key == "total_scope12_location":
            return self.emissions.total(HEADLINE)
        return self.emissions.exact()[key]

    @property
    def headline(self) -> Decimal | None:
        return self.figures()["total_scope12_location"]

    @property
    def scope3(self) -> Decimal | None:
        return self.figures()["scope3"]


@dataclass
class PartnerYear:
    """Partnerships per calendar year: begun, ended, and active at the year's end."""

    year: int
    joined: int
    left: int
    active: int


@dataclass
class Count:
    key: str
    label: str
    count: int


@dataclass
class TargetShares:
    """Of the active partners: how many have a current target with a neutrality year, and how
    many have one that covers Scope 3."""

    partners: int
    with_target: int
    with_neutral_year: int
    with_scope3: int

    @property
    def with_target_percent(self) -> Decimal | None:
        return share(self.with_target, self.partners)

    @property
    def neutral_year_percent(self) -> Decimal | None:
        return share(self.with_neutral_year, self.partners)

    @property
    def scope3_percent(self) -> Decimal | None:
        return share(self.with_scope3, self.partners)


@dataclass
class ReportingCycle:
    """The reports of one report year: owed (created for the year), submitted by their due date
    (first submission), accepted."""

    year: int
    due: int
    submitted_on_time: int
    submitted: int
    accepted: int

    @property
    def on_time_percent(self) -> Decimal | None:
        return share(self.submitted_on_time, self.due)


@dataclass
class Cohort:
    """Like for like: the organisations with an accepted balance in their base year and in a
    later year, their headline in the base year and in their latest accepted year."""

    organisations: int
    base: Fraction | None
    latest: Fraction | None
    suppressed: bool = False

    @property
    def base_t(self) -> Decimal | None:
        return None if self.base is None else round_t(self.base)

    @property
    def latest_t(self) -> Decimal | None:
        return None if self.latest is None else round_t(self.latest)

    @property
    def change_t(self) -> Decimal | None:
        if self.base is None or self.latest is None:
            return None
        return round_t(self.latest - self.base)

    @property
    def change_percent(self) -> Decimal | None:
        return percent_change(self.base, self.latest)


@dataclass
class PathPoint:
    year: int
    target: Fraction | None  # the partners' target paths summed (each in its target's scopes)
    reported: Fraction | None  # the same partners' accepted balances of that year summed

    @property
    def target_t(self) -> Decimal | None:
        return None if self.target is None else round_t(self.target)

    @property
    def reported_t(self) -> Decimal | None:
        return None if self.reported is None else round_t(self.reported)


@dataclass
class TargetPath:
    """Every partner's target path (straight from its base-year emissions to its goal, as its
    dashboard draws it) summed toward the pact's target year, against what they reported; the gap
    of their latest balances to their goals after the expected savings of planned measures."""

    organisations: int
    target_year: int
    points: list[PathPoint] = field(default_factory=list)
    base: Fraction | None = None
    latest: Fraction | None = None
    on_path: Fraction | None = None  # where the same partners would be on their paths
    goal: Fraction | None = None
    planned_savings: Fraction | None = None
    suppressed: bool = False

    @property
    def gap(self) -> Fraction | None:
        """What separates the partners' latest balances from their goals."""
        if self.latest is None or self.goal is None:
            return None
        return max(self.latest - self.goal, Fraction(0))

    @property
    def gap_after_measures(self) -> Fraction | None:
        """What is left to the goals after the savings the planned measures expect."""
        if self.latest is None or self.goal is None or self.planned_savings is None:
            return None
        return max(self.latest - self.planned_savings - self.goal, Fraction(0))

    @property
    def gap_t(self) -> Decimal | None:
        return None if self.gap is None else round_t(self.gap)

    @property
    def gap_after_measures_t(self) -> Decimal | None:
        return None if self.gap_after_measures is None else round_t(self.gap_after_measures)

    @property
    def reduction_percent(self) -> Decimal | None:
        """How far the partners are below their base years (negative: a reduction)."""
        return percent_change(self.base, self.latest)

    @property
    def on_path_percent(self) -> Decimal | None:
        """How far below their base years they would be on their paths."""
        return percent_change(self.base, self.on_path)


@dataclass
class MeasureRow:
    key: str  # the category
    label: str
    counts: list[int]  # per status, in Measure.Status order
    total: int
    organisations: int
    expected: Fraction | None  # expected savings, t CO2e per year (None when hidden)
    realised: Fraction | None

    @property
    def savings(self) -> tuple[Fraction | None, Fraction | None]:
        return self.expected, self.realised


@dataclass
class Measures:
    status_labels: list[str]
    rows: list[MeasureRow]
    status_totals: list[int]
    total: int
    organisations: int
    expected: Fraction | None
    realised: Fraction | None

    @property
    def savings(self) -> tuple[Fraction | None, Fraction | None]:
        return self.expected, self.realised


@dataclass
class EventYear:
    year: int
    events: int  # held (taken place, not cancelled)
    participants: int  # registrations marked as attended


@dataclass
class SupportYear:
    year: int
    requests: int  # sent
    done: int
    declined: int
    withdrawn: int
    outcomes: list[int]  # per outcome, in SupportRequest.Outcome order


@dataclass
class SectorCell:
    """The headline of one WZ section in one balance year."""

    year: int
    key: str
    label: str
    organisations: int
    headline: Fraction | None
    suppressed: bool = False

    @property
    def headline_t(self) -> Decimal | None:
        return None if self.headline is None else round_t(self.headline)


@dataclass
class Progress:
    public: bool
    threshold: int
    filters: Filters
    generated_at: datetime.datetime
    years: list[EmissionYear]
    partners: list[PartnerYear]
    by_kind: list[Count]
    by_sector: list[Count]
    targets: TargetShares
    reporting: list[ReportingCycle]
    cohort: Cohort
    path: TargetPath
    measures: Measures
    events: list[EventYear]
    support: list[SupportYear]
    support_outcome_labels: list[str]
    sectors: list[SectorCell]  # per balance year and WZ section, ordered by year, then section
    named: list[Count] = field(default_factory=list)  # consenting partners with published figures
    # Public: balance years with accepted reports that are not closed yet (figures not shown)
    open_years: list = field(default_factory=list)

    @property
    def balance_years(self) -> list[int]:
        return [y.year for y in self.years]

    def year(self, year: int) -> EmissionYear | None:
        return next((y for y in self.years if y.year == year), None)

    def sectors_of(self, year: int) -> list[SectorCell]:
        return [c for c in self.sectors if c.year == year]


def statement(progress: Progress) -> str:
    """The plain-words sentence: how far the partners with a target are below their base years,
    and how far they would be on their paths."""
    from django.utils.translation import gettext as _

    from klimapakt.core.formatting import number

    path = progress.path
    actual, planned = path.reduction_percent, path.on_path_percent
    if path.suppressed or actual is None or planned is None:
        return ""
    values = {"actual": number(abs(actual), 1), "planned": number(abs(planned), 1)}
    if actual <= 0:
        text = _("Die Klimapartner haben ihre Emissionen gegenüber ihren Basisjahren um %(actual)s %% gesenkt; "
                 "auf dem Zielpfad wären es %(planned)s %%.")
    else:
        text = _("Die Emissionen der Klimapartner liegen %(actual)s %% über ihren Basisjahren; auf dem Zielpfad "
                 "wären sie um %(planned)s %% gesunken.")
    return text.replace(" %%", "\u00a0%%") % values
