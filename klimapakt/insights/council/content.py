"""The council report's content as plain data: sections, each with its tables (the numbers),
an optional SVG chart and paragraphs. The PDF, the office's preview and the XLSX are all made
from this one value, so they always show the same numbers.

Numbers come from ``insights.figures.Progress`` with ``public=True``: a figure the privacy rule
hides is ``HIDDEN`` here and reads "zu wenige Angaben". Tonnes are rounded once, half-up, to one
decimal from the exact sums (docs/insights.md, "Council report")."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from klimapakt.core.formatting import number
from klimapakt.ghg.calculation.totals import round_t

from .. import charts
from ..figures import PathPoint, Progress

PLACES = 1  # tonnes in the council report: one decimal


class _Hidden:
    """A figure the privacy rule suppresses."""

    def __repr__(self):
        return "HIDDEN"


HIDDEN = _Hidden()


def hidden_text() -> str:
    return _("zu wenige Angaben")


def t(value: Fraction | Decimal | None, *, suppressed: bool = False):
    """Tonnes for a cell: rounded once to PLACES, HIDDEN when suppressed, None when there is none."""
    if suppressed:
        return HIDDEN
    return None if value is None else round_t(value, PLACES)


@dataclass(frozen=True)
class Column:
    label: str
    places: int | None = None  # decimals of a number column; None: a count or a text
    numeric: bool = True


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]  # the first column holds the row headers
    rows: list[list[Any]]
    note: str = ""

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(value, column) for value, column in zip(row, self.columns, strict=False)]
                for row in self.rows]


def cell_text(value, column: Column) -> str:
    if value is HIDDEN:
        return hidden_text()
    if value is None:
        return "–"
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return number(value, 0)
    return number(value, column.places if column.places is not None else 0)


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: str = ""
    html: str = ""  # the office's own text (sanitised Markdown)

    @property
    def anchor(self) -> str:
        return f"abschnitt-{self.key}"


@dataclass
class CouncilContent:
    title: str
    pact_name: str
    year: int
    version: int | None  # None: a preview
    generated_at: Any
    sections: list[Section]
    logo: str = ""  # data: URI of the pact's logo, or ""
    threshold: int = 0


# --------------------------------------------------------------------------- sections


def cut(p: Progress, year: int) -> Progress:
    """The figures as the report of `year` shows them: rows of later years left out (a report made
    after its year does not show the next one), the target path kept whole (it runs to the target
    year) with reported values only up to `year`."""
    points = [PathPoint(pt.year, pt.target, pt.reported if pt.year <= year else None) for pt in p.path.points]
    return replace(p, years=[y for y in p.years if y.year <= year],
                   partners=[y for y in p.partners if y.year <= year],
                   reporting=[c for c in p.reporting if c.year <= year],
                   events=[e for e in p.events if e.year <= year], support=[s for s in p.support if s.year <= year],
                   sectors=[c for c in p.sectors if c.year <= year], path=replace(p.path, points=points))


def partners_section(p: Progress, year: int) -> Section:
    years = [y for y in p.partners if y.year <= year]
    tables = [
        Table("partners", _("Klimapartner je Jahr"),
              [Column(_("Jahr"), numeric=False), Column(_("Neu beigetreten")), Column(_("Ausgeschieden")),
               Column(_("Aktiv am Jahresende"))],
              [[str(y.year), y.joined, y.left, y.active] for y in years]),
        Table("partners_kind", _("Aktive Klimapartner nach Art der Organisation"),
              [Column(_("Art"), numeric=False), Column(_("Anzahl"))], [[c.label, c.count] for c in p.by_kind]),
        Table("partners_sector", _("Aktive Klimapartner nach Branche (WZ-Abschnitt)"),
              [Column(_("Branche"), numeric=False), Column(_("Anzahl"))], [[c.label, c.count] for c in p.by_sector]),
    ]
    chart = charts.partners_chart(p, chart_id="council-partners")
    last = years[-1] if years else None
    paragraphs = [_("Ende %(year)s waren %(n)s Organisationen aktive Klimapartner.") % {
        "year": last.year, "n": number(last.active, 0)}] if last else []
    return Section("partners", _("Die Klimapartner"), paragraphs=paragraphs, tables=tables, chart=chart)


def targets_section(p: Progress) -> Section:
    s = p.targets
    rows = [[_("Aktive Klimapartner"), s.partners, None],
            [_("mit einem Reduktionsziel"), s.with_target, s.with_target_percent],
            [_("mit einem Jahr der Klimaneutralität"), s.with_neutral_year, s.neutral_year_percent],
            [_("mit einem Ziel, das Scope 3 einschließt"), s.with_scope3, s.scope3_percent]]
    return Section("targets", _("Ziele der Klimapartner"), tables=[Table(
        "targets", _("Ziele der aktiven Klimapartner"),
        [Column(_("Angabe"), numeric=False), Column(_("Anzahl")), Column(_("Anteil (%)"), places=1)], rows)])


def reporting_section(p: Progress, year: int) -> Section:
    rows = [[str(c.year), c.due, c.submitted_on_time, c.submitted, c.accepted, c.on_time_percent]
            for c in p.reporting if c.year <= year]
    return Section("reporting", _("Berichterstattung"), tables=[Table(
        "reporting", _("Berichte je Berichtsjahr"),
        [Column(_("Berichtsjahr"), numeric=False), Column(_("Fällig")), Column(_("Fristgerecht eingereicht")),
         Column(_("Eingereicht")), Column(_("Angenommen")), Column(_("Fristgerecht (%)"), places=1)], rows)])


def emissions_section(p: Progress, year: int) -> Section:
    years = [y for y in p.years if y.year <= year]
    rows = []
    for y in years:
        values = (y.exact(key) for key in ("scope1", "scope2_location", "total_scope12_location", "scope3",
                                            "scope2_market"))
        rows.append([str(y.year), y.organisations, *(t(v, suppressed=v is None) for v in values)])
    columns = [Column(_("Bilanzjahr"), numeric=False), Column(_("Organisationen")),
               Column(_("Scope 1 (t CO₂e)"), PLACES), Column(_("Scope 2 standortbasiert (t CO₂e)"), PLACES),
               Column(_("Scope 1 + 2 standortbasiert (t CO₂e)"), PLACES), Column(_("Scope 3 (t CO₂e)"), PLACES),
               Column(_("Scope 2 marktbasiert (t CO₂e)"), PLACES)]
    tables = [Table("emissions", _("Gemeldete Emissionen je Bilanzjahr (angenommene Berichte)"), columns, rows)]
    latest = next((y.year for y in reversed(years)), None)
    if latest is not None:
        cells = p.sectors_of(latest)
        tables.append(Table(
            "emissions_sector", _("Scope 1 + 2 standortbasiert nach Branche, Bilanzjahr %(year)s") % {"year": latest},
            [Column(_("Branche"), numeric=False), Column(_("Organisationen")),
             Column(_("Scope 1 + 2 standortbasiert (t CO₂e)"), PLACES)],
            [[c.label, c.organisations, t(c.headline, suppressed=c.suppressed)] for c in cells]))
    chart = charts.emissions_chart(p, chart_id="council-emissions")
    paragraphs = [_("Die Leitzahl des Pakts ist die Summe aus Scope 1 und Scope 2 (standortbasiert): das, was jeder "
                    "Klimapartner mindestens bilanziert. Scope 3 steht daneben, weil ihn nur ein Teil der Partner "
                    "erfasst. Die Summen eines Jahres umfassen die Partner, deren Bericht für dieses Jahr "
                    "angenommen wurde; ihre Zahl ändert sich von Jahr zu Jahr.")]
    return Section("emissions", _("Gemeldete Emissionen"), paragraphs=paragraphs, tables=tables, chart=chart)


def cohort_section(p: Progress) -> Section:
    c = p.cohort
    hide = c.suppressed
    row = [_("Partner mit Basisjahr und späterem Jahr"), c.organisations,
           t(c.base, suppressed=hide), t(c.latest, suppressed=hide),
           t(None if c.base is None or c.latest is None else c.latest - c.base, suppressed=hide),
           HIDDEN if hide else c.change_percent]
    return Section("cohort", _("Vergleich derselben Partner"), paragraphs=[_(
        "Der Vergleich betrachtet nur die Partner, die für ihr Basisjahr und für ein späteres Jahr eine angenommene "
        "Bilanz haben (Scope 1 + 2 standortbasiert): So verändert ein Beitritt oder Austritt das Ergebnis nicht.")],
        tables=[Table("cohort", _("Vergleich derselben Partner: Basisjahr und letztes Bilanzjahr"),
                      [Column(_("Gruppe"), numeric=False), Column(_("Organisationen")),
                       Column(_("Basisjahre (t CO₂e)"), PLACES), Column(_("Letztes Bilanzjahr (t CO₂e)"), PLACES),
                       Column(_("Veränderung (t CO₂e)"), PLACES), Column(_("Veränderung (%)"), 1)], [row])])


def path_section(p: Progress, year: int) -> Section:
    path, hide = p.path, p.path.suppressed
    points = [[str(pt.year), t(pt.target, suppressed=hide), t(pt.reported, suppressed=hide)] for pt in path.points
              if pt.reported is None or pt.year <= year]

    def hidden_or(value):  # a weighted figure or a gap: None where the privacy rule hid it
        return t(value, suppressed=hide or value is None)

    summary = [
        [_("Partner mit Zielpfad"), path.organisations, None],
        [_("Emissionen in den Basisjahren"), None, t(path.base, suppressed=hide)],
        [_("Emissionen im letzten Bilanzjahr"), None, t(path.latest, suppressed=hide)],
        [_("Stand auf den Zielpfaden"), None, hidden_or(path.on_path)],
        [_("Ziel der Partner"), None, hidden_or(path.goal)],
        [_("Abstand zum Ziel"), None, hidden_or(path.gap)],
        [_("Erwartete Einsparungen geplanter Maßnahmen"), None, hidden_or(path.planned_savings)],
        [_("Abstand zum Ziel nach den geplanten Maßnahmen"), None, hidden_or(path.gap_after_measures)],
    ]
    chart = charts.path_chart(p, chart_id="council-path")
    return Section("path", _("Zielpfad bis %(year)s") % {"year": path.target_year}, paragraphs=[_(
        "Jeder Partner hat einen Zielpfad von den Emissionen seines Basisjahres zu seinem Ziel. Die Summe dieser "
        "Pfade steht hier neben dem, was dieselben Partner gemeldet haben.")], chart=chart, tables=[
        Table("path", _("Zielpfad und gemeldeter Verlauf"),
              [Column(_("Jahr"), numeric=False), Column(_("Zielpfad (t CO₂e)"), PLACES),
               Column(_("Gemeldet (t CO₂e)"), PLACES)], points),
        Table("path_gap", _("Abstand zum Ziel"),
              [Column(_("Angabe"), numeric=False), Column(_("Anzahl")), Column(_("t CO₂e"), PLACES)], summary)])


def measures_section(p: Progress) -> Section:
    m = p.measures
    columns = [Column(_("Kategorie"), numeric=False), *[Column(str(label)) for label in m.status_labels],
               Column(_("Gesamt")), Column(_("Organisationen")),
               Column(_("Erwartete Einsparung (t CO₂e/Jahr)"), PLACES),
               Column(_("Erreichte Einsparung (t CO₂e/Jahr)"), PLACES)]
    rows = [[r.label, *r.counts, r.total, r.organisations, *(t(v, suppressed=v is None) for v in r.savings)] for r in m.rows]
    rows.append([_("Alle Kategorien"), *m.status_totals, m.total, m.organisations,
                 *(t(v, suppressed=v is None) for v in m.savings)])
    return Section("measures", _("Maßnahmen"), chart=charts.measures_chart(p, chart_id="council-measures"),
                   tables=[Table(
        "measures", _("Maßnahmen der Klimapartner nach Kategorie und Stand"), columns, rows)])


def events_section(p: Progress, year: int) -> Section:
    return Section("events", _("Veranstaltungen"), tables=[Table(
        "events", _("Veranstaltungen und Teilnehmende je Jahr"),
        [Column(_("Jahr"), numeric=False), Column(_("Veranstaltungen")), Column(_("Teilnehmende"))],
        [[str(e.year), e.events, e.participants] for e in p.events if e.year <= year])])


def support_section(p: Progress, year: int) -> Section:
    columns = [Column(_("Jahr"), numeric=False), Column(_("Anfragen")), Column(_("Abgeschlossen")),
               Column(_("Abgelehnt")), Column(_("Zurückgezogen")),
               *[Column(str(label)) for label in p.support_outcome_labels]]
    rows = [[str(s.year), s.requests, s.done, s.declined, s.withdrawn, *s.outcomes] for s in p.support
            if s.year <= year]
    return Section("support", _("Unterstützung durch die Initialpartner"), tables=[Table(
        "support", _("Beratungsanfragen und ihre Ergebnisse je Jahr"), columns, rows)])
