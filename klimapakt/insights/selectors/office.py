"""The office's dashboard beyond the figures: the organisations behind a figure (drill-down) and
the data-quality flags. Reads the same rows as ``progress`` (one rule for what counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Exists, OuterRef

from klimapakt.core.formatting import percent
from klimapakt.ghg.models import BalanceLine
from klimapakt.partners.models import WZ2008_SECTIONS, Organisation, sector_label
from klimapakt.reports.models import Measure, Report

from ..figures import HEADLINE, Filters, percent_change
from .progress import cached_for
from .rows import NO_SECTOR, accepted_rows, cohort_years, current_targets, organisation_q

# Year-on-year changes of the headline beyond this share are flagged as suspicious.
JUMP_PERCENT = 50
# At most this many organisations are listed behind one figure or among the flags.
LIST_LIMIT = 500
# The dashboard lists this many flagged organisations; the drill-down ("auffaellig") all of them.
FLAGS_SHOWN = 50


@dataclass
class Line:
    organisation: Organisation
    values: list = field(default_factory=list)  # the figure's columns, in the order of `columns`
    flags: list[str] = field(default_factory=list)
    cells: list[tuple] = field(default_factory=list)  # (value, kind) pairs, set by Drilldown


@dataclass
class Drilldown:
    title: str
    columns: list[str]
    lines: list[Line]
    total: int
    kinds: list[str] = field(default_factory=list)  # per column: "t" (tonnes), "percent", "plain" or "text"

    def __post_init__(self):
        kinds = self.kinds or ["plain"] * len(self.columns)
        self.headers = list(zip(self.columns, kinds, strict=False))  # text columns are not right-aligned
        for line in self.lines:
            line.cells = list(zip(line.values, kinds, strict=False))

    @property
    def truncated(self) -> bool:
        return self.total > len(self.lines)


def _organisations(ids) -> dict[int, Organisation]:
    return {o.pk: o for o in Organisation.objects.filter(pk__in=list(ids)[:LIST_LIMIT])
            .only("pk", "name", "kind", "sector", "employees", "partner_since", "stage")}


def _lines(values_by_org: dict[int, list]) -> tuple[list[Line], int]:
    orgs = _organisations(values_by_org)
    lines = [Line(orgs[o], values) for o, values in values_by_org.items() if o in orgs]
    lines.sort(key=lambda line: (line.organisation.name.casefold(), line.organisation.pk))
    return lines, len(values_by_org)


def drilldown(filters: Filters, *, figure: str, year: int | None = None, key: str = "") -> Drilldown | None:
    """The organisations behind one figure of the dashboard: a balance year (optionally one WZ
    section), the like-for-like cohort, a category of measures, or the flagged balances. None for
    an unknown figure."""
    from django.utils.translation import gettext as _

    if figure == "jahr" and year:
        if key and key != NO_SECTOR and key not in dict(WZ2008_SECTIONS):
            return None  # no WZ section of that key: nothing to list, rather than "ohne Angabe"
        rows = [r for r in accepted_rows(filters) if r.year == year and (not key or r.sector == key)]
        values = {r.organisation: [r.headline(), r.emissions.scope3] for r in rows}
        lines, total = _lines(values)
        title = (_("Angenommene Bilanzen %(year)s, Wirtschaftszweig %(sector)s")
                 % {"year": year, "sector": sector_label("" if key == NO_SECTOR else key)} if key
                 else _("Angenommene Bilanzen %(year)s") % {"year": year})
        return Drilldown(title, [_("Scope 1 + 2 (t CO₂e)"), _("Scope 3 (t CO₂e)")], lines, total, ["t", "t"])
    if figure == "auffaellig":
        flags = cached_quality_flags(filters)
        lines = [Line(line.organisation, ["; ".join(line.flags)]) for line in flags.lines]
        return Drilldown(flags.title, [_("Auffälligkeiten")], lines, flags.total, ["text"])
    if figure == "kohorte":
        rows = accepted_rows(filters)
        by_org: dict[int, dict] = {}
        for r in rows:
            by_org.setdefault(r.organisation, {})[r.year] = r
        values = {}
        for org, (first, last) in cohort_years(by_org, current_targets(set(by_org))).items():
            base, latest = by_org[org][first].headline(), by_org[org][last].headline()
            values[org] = [first, base, last, latest, percent_change(base, latest)]
        lines, total = _lines(values)
        return Drilldown(_("Gleiche Organisationen im Basisjahr und im letzten Jahr"),
                         [_("Basisjahr"), _("Basisjahr (t CO₂e)"), _("Letztes Jahr"), _("Letztes Jahr (t CO₂e)"),
                          _("Veränderung")], lines, total, ["plain", "t", "plain", "t", "percent"])
    if figure == "massnahmen" and key:
        counts: dict[int, list] = {}
        for org, status in (Measure.objects.filter(category=key, organisation__partner_since__isnull=False)
                            .filter(organisation_q(filters, "organisation__"))
                            .values_list("organisation_id", "status")[:LIST_LIMIT * 20]):
            entry = counts.setdefault(org, [0, 0])
            entry[0] += 1
            entry[1] += status == Measure.Status.IMPLEMENTED
        lines, total = _lines(counts)
        return Drilldown(_("Organisationen mit Maßnahmen dieser Kategorie"), [_("Maßnahmen"), _("Umgesetzt")],
                         lines, total)
    return None


def quality_flags(filters: Filters) -> Drilldown:
    """Accepted balances that need a second look: factors of another year (fallback), no Scope 2
    (location-based 0), or a headline that changed by more than 50 % against the organisation's
    previous accepted balance year."""
    from django.utils.translation import gettext as _

    fallback = BalanceLine.objects.filter(balance_id=OuterRef("balance_id"), fallback=True)
    flagged_fallback = set(Report.objects.filter(status=Report.Status.ACCEPTED).filter(
        organisation_q(filters, "organisation__")).filter(Exists(fallback))
        .values_list("organisation_id", "balance_year")[:LIST_LIMIT * 10])
    by_org: dict[int, dict[int, Fraction]] = {}
    flags: dict[tuple[int, int], list[str]] = {}
    for r in accepted_rows(filters):
        by_org.setdefault(r.organisation, {})[r.year] = r.headline(HEADLINE)
        if r.emissions.scope2_location == 0:
            flags.setdefault((r.organisation, r.year), []).append(_("kein Scope 2"))
        if (r.organisation, r.year) in flagged_fallback:
            flags.setdefault((r.organisation, r.year), []).append(_("Faktoren eines anderen Jahres"))
    for org, years in by_org.items():
        ordered = sorted(years)
        for before, after in zip(ordered, ordered[1:], strict=False):
            change = percent_change(years[before], years[after])
            if change is not None and abs(change) > JUMP_PERCENT:
                flags.setdefault((org, after), []).append(
                    _("Sprung um %(change)s gegenüber %(year)s") % {"change": percent(change), "year": before})
    per_org: dict[int, list] = {}
    for (org, year), texts in sorted(flags.items()):
        per_org.setdefault(org, []).append((year, texts))
    lines, total = _lines(per_org)
    for line in lines:
        line.flags = [f"{year}: " + "; ".join(texts) for year, texts in line.values]
        line.values = []
    return Drilldown(_("Auffällige Bilanzen"), [], lines, total)


def cached_quality_flags(filters: Filters) -> Drilldown:
    """``quality_flags`` kept as long as the office's figures (``OFFICE_PROGRESS_CACHE_SECONDS``)."""
    return cached_for("OFFICE_PROGRESS_CACHE_SECONDS", 60, f"flags:v1:{filters.cache_key}",
                      lambda: quality_flags(filters))
