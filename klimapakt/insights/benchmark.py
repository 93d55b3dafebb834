"""The peer benchmark: a partner's emission intensity against the anonymous distribution of the
accepted balances of comparable organisations in the same balance year (issue 14).

``peer_benchmark(organisation, year=None)`` reads in two queries (the organisation's latest
accepted balance year, then every accepted report of that year, bounded by ``MAX_REPORTS``) and
returns plain data: per intensity (t CO2e per employee, per million EUR turnover) the group it
is compared with, the group's size, quartiles and median, the organisation's own value and its
quarter. The statistics are ``insights.quartiles`` (no Django). Decisions: docs/insights.md,
"Peer benchmark".

- The headline is Scope 1 + Scope 2 location-based, summed exactly from a report's stored
  values (``Report.stored_emissions``, the scopes ``Emissions.total("1+2")`` covers; ``headline``).
- One value per organisation and year: its last accepted report with that balance year.
- Employees: the balance's, else the organisation's; turnover: the balance's only. The size
  class (``partners.models.size_class_of``) is taken from the same employee number.
- The group is the first of sector + size class -> sector -> size class -> all partners that
  has at least ``MIN_GROUP`` *other* organisations with a value; the organisation itself is
  never part of its own comparison figures (so it cannot back out a neighbour's value from a
  quartile and its own value). Each intensity picks its group on its own, since fewer
  partners give a turnover.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klimapakt.core import derived
from klimapakt.ghg.calculation.totals import COVERS
from klimapakt.partners.models import WZ2008_SECTIONS, Organisation, size_class_of
from klimapakt.partners.office_tasks import PIPELINE
from klimapakt.reports.models import Report
from klimapakt.reports.selectors import REPORTS

from .quartiles import MIN_GROUP, Quartiles, quartiles

HEADLINE = "1+2"
# At most this many accepted reports of one year are read (a city's pact has hundreds of
# partners; this only bounds the work of one page view).
MAX_REPORTS = 20_000
LEVELS = ("sector_size", "sector", "size", "all")
METRICS = ("employees", "turnover")

_SECTOR_NAMES = dict(WZ2008_SECTIONS)
# The size classes in words, to follow "mit": "Organisationen ... mit 10 bis 49 Beschäftigten".
_SIZE_WORDS: dict[str, Promise] = {
    "micro": _("bis zu 9 Beschäftigten"),
    "small": _("10 bis 49 Beschäftigten"),
    "medium": _("50 bis 249 Beschäftigten"),
    "large": _("250 und mehr Beschäftigten"),
}


@dataclass(frozen=True)
class Group:
    """A comparison group: a level of the fallback chain with the sector and size class it keeps."""

    level: str            # one of LEVELS
    sector: str = ""      # WZ 2008 section letter, for "sector_size" and "sector"
    size: str = ""        # size class key, for "sector_size" and "size"

    def matches(self, peer: Peer) -> bool:
        return ((not self.sector or peer.sector == self.sector)
                and (not self.size or peer.size == self.size))

    @property
    def label(self) -> str:
        """The group in words, to follow "die Vergleichsgruppe:"."""
        sector = _SECTOR_NAMES.get(self.sector, self.sector)
        size = _SIZE_WORDS.get(self.size, "")
        if self.level == "sector_size":
            return _("Klimapartner aus dem Wirtschaftszweig „%(sector)s“ mit %(size)s") % {
                "sector": sector, "size": size}
        if self.level == "sector":
            return _("Klimapartner aus dem Wirtschaftszweig „%(sector)s“") % {"sector": sector}
        if self.level == "size":
            return _("Klimapartner mit %(size)s") % {"size": size}
        return str(_("alle Klimapartner"))


@dataclass(frozen=True)
class Peer:
    """One organisation's accepted balance of the year, as the benchmark reads it."""

    organisation_id: int
    sector: str
    size: str
    per_employee: Fraction | None
    per_meur: Fraction | None

    def value(self, metric: str) -> Fraction | None:
        return self.per_employee if metric == "employees" else self.per_meur


@dataclass(frozen=True)
class Comparison:
    """One intensity compared: ``group`` is None (and ``stats`` too) when not even all
    partners together have ``MIN_GROUP`` other values; ``band`` is 1..4 (None without an own value)."""

    metric: str                 # "employees" (t CO2e per employee) or "turnover" (per million EUR)
    own: Fraction | None
    group: Group | None
    stats: Quartiles | None
    band: int | None

    @property
    def shown(self) -> bool:
        return self.stats is not None


@dataclass(frozen=True)
class Benchmark:
    """The benchmark of one organisation in one balance year. ``has_own``: the organisation
    has an accepted balance that year."""

    year: int
    has_own: bool
    comparisons: tuple[Comparison, ...]

    def get(self, metric: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.metric == metric), None)


def _exact(value: Any) -> Fraction:
    """A stored exact value ("n/d" string, or a Decimal of an older report's figure) as a Fraction."""
    return Fraction(0) if value is None or value == "" else Fraction(value)


def headline(stored: dict[str, Any]) -> Fraction:
    """Scope 1 + Scope 2 location-based of ``Report.stored_emissions`` output, exact: the scopes
    ``Emissions.total(HEADLINE)`` covers (``COVERS``), summed without building the other scopes
    (a year of many reports is read on every view of the dashboard)."""
    return sum((_exact(stored.get(key)) for key in COVERS[HEADLINE]), Fraction(0))


def _per(value: Fraction, divisor: Any) -> Fraction | None:
    """``value`` per ``divisor`` (employees, million EUR); None when the divisor is missing or not positive."""
    if divisor is None:
        return None
    divisor = Fraction(divisor)
    return value / divisor if divisor > 0 else None


def _peer(row: dict[str, Any]) -> Peer | None:
    stored = Report.stored_emissions(row)
    if all(value is None for value in stored.values()):
        return None
    try:
        total = headline(stored)
    except (ValueError, ZeroDivisionError, TypeError):
        return None  # an unreadable stored value: left out rather than counted wrong
    employees = row["balance__employees"]
    if employees is None:
        employees = row["organisation__employees"]
    return Peer(organisation_id=row["organisation_id"], sector=row["organisation__sector"] or "",
                size=size_class_of(employees), per_employee=_per(total, employees),
                per_meur=_per(total, row["balance__turnover_meur"]))


def accepted_peers(year: int) -> dict[int, Peer]:
    """Every organisation's value of the balance year `year` (its last accepted report), by
    organisation id: one query, at most MAX_REPORTS rows."""
    rows = (Report.objects.filter(status=Report.Status.ACCEPTED, balance_year=year)
            .order_by("organisation_id", "-accepted_at", "-pk")
            .values("organisation_id", "organisation__sector", "organisation__employees", "balance__employees",
                    "balance__turnover_meur", "exact_t", "scope1_t", "scope2_location_t", "scope2_market_t",
                    "scope3_t")[:MAX_REPORTS])
    peers: dict[int, Peer] = {}
    for row in rows:
        if row["organisation_id"] in peers:
            continue  # an earlier accepted report of the same balance year
        peer = _peer(row)
        if peer is not None:
            peers[peer.organisation_id] = peer
    return peers


def cached_peers(year: int) -> dict[int, Peer]:
    """``accepted_peers`` kept until a report or an organisation changes (core.derived): a
    dashboard view reads the cache, not every accepted report of the year."""
    return derived.cached([REPORTS, PIPELINE], f"insights:benchmark:peers:{year}", lambda: accepted_peers(year))


def _chain(sector: str, size: str) -> list[Group]:
    """The groups to try, narrowest first; a level needing a sector or size class the
    organisation has not given is left out."""
    chain = []
    if sector and size:
        chain.append(Group("sector_size", sector=sector, size=size))
    if sector:
        chain.append(Group("sector", sector=sector))
    if size:
        chain.append(Group("size", size=size))
    chain.append(Group("all"))
    return chain


def compare(own: Peer | None, others: list[Peer], *, sector: str, size: str, metric: str) -> Comparison:
    """The first group of the chain in which at least MIN_GROUP of `others` have a value of
    `metric`, its quartiles and `own`'s quarter (pure: no queries)."""
    own_value = own.value(metric) if own is not None else None
    for group in _chain(sector, size):
        values = [value for peer in others if group.matches(peer)
                  for value in [peer.value(metric)] if value is not None]
        stats = quartiles(values, minimum=MIN_GROUP)
        if stats is not None:
            band = stats.band(own_value) if own_value is not None else None
            return Comparison(metric=metric, own=own_value, group=group, stats=stats, band=band)
    return Comparison(metric=metric, own=own_value, group=None, stats=None, band=None)


def latest_accepted_year(organisation: Organisation) -> int | None:
    """The last balance year of the organisation's accepted reports (one query)."""
    return (Report.objects.filter(organisation=organisation, status=Report.Status.ACCEPTED)
            .order_by("-balance_year").values_list("balance_year", flat=True).first())


def peer_benchmark(organisation: Organisation, year: int | None = None) -> Benchmark | None:
    """`organisation`'s benchmark in balance year `year` (default: its last accepted one; None
    when it has none). Two queries at most, whatever the number of partners."""
    if year is None:
        year = latest_accepted_year(organisation)
        if year is None:
            return None
    peers = dict(cached_peers(year))
    own = peers.pop(organisation.pk, None)
    others = list(peers.values())
    sector = organisation.sector or ""
    size = own.size if own is not None else organisation.size_class
    comparisons = tuple(compare(own, others, sector=sector, size=size, metric=metric) for metric in METRICS)
    return Benchmark(year=year, has_own=own is not None, comparisons=comparisons)
