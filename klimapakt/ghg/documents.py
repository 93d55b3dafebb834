"""Downloads of a balance: PDF (WeasyPrint, with the same SVG charts as the page) and XLSX."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import calculation, charts
from .spreadsheet import totals_labels


def _url_fetcher(url, *args, **kwargs):
    raise ValueError(f"External resource refused: {url}")


def result_context(result: calculation.Result, *, language: str = "de") -> dict:
    """What the result templates (page and PDF) show: rounded totals with labels, lines,
    charts with their table alternative, translated warnings."""
    rounded = result.totals_rounded()
    labels = totals_labels()
    totals = [{"key": k, "label": labels[k], "value": v} for k, v in rounded.items()]
    scope_items = [(str(labels[k]), rounded[k]) for k in ("scope1", "scope2_location", "scope2_market", "scope3")]
    names = {line.carrier: (line.name_en if language == "en" and line.name_en else line.name_de)
             for line in result.lines}
    carrier_items = sorted(((names[c], calculation.round_t(v["location"])) for c, v in result.by_carrier.items()),
                           key=lambda item: -item[1])
    return {
        "result": result,
        "totals": totals,
        "lines": [{"line": line, "name": names[line.carrier], "t_location": calculation.round_t(line.t_location),
                   "t_market": calculation.round_t(line.t_market)} for line in result.lines],
        "warnings": [w.message(_) for w in result.warnings],
        "scope_items": scope_items,
        "carrier_items": carrier_items,
        "scope_chart": charts.bar_chart(
            scope_items, title=_("Emissionen %(year)s nach Scope") % {"year": result.year},
            description=_("Balkendiagramm; die Werte stehen in der Tabelle „Summen“."), chart_id="chart-scope"),
        "carrier_chart": charts.bar_chart(
            carrier_items, title=_("Emissionen %(year)s nach Energieträger (standortbasiert)") % {"year": result.year},
            description=_("Balkendiagramm; die Werte stehen in der Tabelle „Nach Energieträger“."),
            chart_id="chart-carrier") if carrier_items else "",
    }


def result_pdf(result: calculation.Result, *, title: str, subtitle: str = "", pact=None,
               language: str = "de", invitation: bool = False) -> bytes:
    from weasyprint import HTML

    context = result_context(result, language=language) | {"title": title, "subtitle": subtitle, "pact": pact,
                                                           "invitation": invitation}
    html = render_to_string("ghg/pdf/result.html", context)
    return HTML(string=html, url_fetcher=_url_fetcher).write_pdf()
