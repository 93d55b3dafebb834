"""The charts of the reports: emissions over the years against the target path, and the gap
chart. Server-rendered SVG from ghg.charts, so the page and the PDF show the same chart."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from klimapakt.ghg import charts

from .selectors import PathCheck, emissions_for


def emissions_chart(balances: list, check: PathCheck | None, *, chart_id: str = "chart-path",
                    scopes: str | None = None) -> str:
    """Columns per balance year (emissions the main target covers) with the dashed target path."""
    scopes = scopes or (check.target.scopes if check else "1+2+3")
    items = [(str(b.year), emissions_for(b, scopes)) for b in balances]
    if not items:
        return ""
    description = _("Säulendiagramm der Emissionen je Jahr in t CO₂e; die Werte stehen in der Tabelle darunter.")
    if check:
        description += " " + _("Die gestrichelte Linie zeigt den Zielpfad.")
    return charts.column_chart(items, title=_("Emissionen und Zielpfad"), description=description,
                               chart_id=chart_id, line=check.points if check else None)


def gap_chart(check: PathCheck, *, chart_id: str = "chart-gap") -> str:
    items = [
        (_("Letzte Bilanz %(year)s") % {"year": check.latest_year}, check.latest_t),
        (_("Nach geplanten Maßnahmen"), check.after_savings_t),
        (_("Ziel %(year)s") % {"year": check.target.target_year}, check.goal_t),
    ]
    return charts.bar_chart(items, title=_("Lücke zum Ziel"), chart_id=chart_id,
                            description=_("Balkendiagramm: letzte Bilanz, Bilanz abzüglich der erwarteten "
                                          "Einsparungen geplanter Maßnahmen, und Ziel; die Werte stehen in der "
                                          "Tabelle darunter."))


def report_chart(rows: list[tuple[str, Decimal]], *, chart_id: str = "chart-reports") -> str:
    """Columns of the published totals per accepted report (public page)."""
    if not rows:
        return ""
    return charts.column_chart(rows, title=_("Gemeldete Emissionen"), chart_id=chart_id,
                               description=_("Säulendiagramm der Emissionen (Scope 1, Scope 2 standortbasiert und "
                                             "Scope 3) je angenommenem Bericht; die Werte stehen in der Tabelle."))


def path_context(balances: list, check: PathCheck | None) -> dict:
    """The target path as the partner's dashboard and the office's review show it: the chart,
    the gap chart and the table beside them (emissions the main target covers, path value)."""
    scopes = check.target.scopes if check else "1+2+3"
    points = dict(check.points) if check else {}
    return {"path_chart": emissions_chart(balances, check), "check": check,
            "gap_chart": gap_chart(check) if check else "",
            "path_rows": [{"year": b.year, "value": emissions_for(b, scopes), "path": points.get(str(b.year))}
                          for b in balances]}
