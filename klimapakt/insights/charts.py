"""The progress charts: server-rendered SVG (ghg.charts), the same on the page and in the council
report's PDF. Every chart stands next to a table with its numbers; hidden figures (privacy) have
no column."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from klimapakt.ghg import charts

from .figures import Progress


def emissions_chart(progress: Progress, *, chart_id: str = "chart-emissions") -> str:
    items = [(str(y.year), y.headline) for y in progress.years]
    if not any(v is not None for _l, v in items):
        return ""
    return charts.column_chart(
        items, title=_("Gemeldete Emissionen (Scope 1 und 2, standortbasiert)"), chart_id=chart_id,
        description=_("Säulendiagramm der Emissionen aus Scope 1 und Scope 2 (standortbasiert) je Bilanzjahr in "
                      "t CO₂e, aus angenommenen Berichten; die Werte stehen in der Tabelle darunter."))


def path_chart(progress: Progress, *, chart_id: str = "chart-path") -> str:
    points = progress.path.points
    if not points or all(p.target is None for p in points):
        return ""
    items = [(str(p.year), p.reported_t) for p in points]
    line = [(str(p.year), p.target_t) for p in points]
    return charts.column_chart(
        items, line=line, title=_("Zielpfad der Klimapartner und gemeldete Emissionen"), chart_id=chart_id,
        description=_("Säulen: die gemeldeten Emissionen der Klimapartner mit Ziel je Bilanzjahr; gestrichelte "
                      "Linie: die Summe ihrer Zielpfade bis %(year)s. Die Werte stehen in der Tabelle darunter.")
        % {"year": progress.path.target_year})


def partners_chart(progress: Progress, *, chart_id: str = "chart-partners") -> str:
    items = [(str(p.year), Decimal(p.active)) for p in progress.partners]
    if not items:
        return ""
    return charts.column_chart(
        items, unit="", places=0, title=_("Klimapartner am Jahresende"), chart_id=chart_id,
        description=_("Säulendiagramm der Klimapartner je Jahr; die Werte stehen in der Tabelle darunter."))


def measures_chart(progress: Progress, *, chart_id: str = "chart-measures") -> str:
    items = [(row.label, Decimal(row.total)) for row in progress.measures.rows if row.total]
    if not items:
        return ""
    return charts.bar_chart(
        items, unit="", places=0, title=_("Maßnahmen nach Kategorie"), chart_id=chart_id,
        description=_("Balkendiagramm der Maßnahmen je Kategorie; die Werte stehen in der Tabelle darunter."))


def all_charts(progress: Progress) -> dict[str, str]:
    return {"emissions_chart": emissions_chart(progress), "path_chart": path_chart(progress),
            "partners_chart": partners_chart(progress), "measures_chart": measures_chart(progress)}
