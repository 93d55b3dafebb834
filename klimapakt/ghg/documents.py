"""Downloads of a balance: PDF (WeasyPrint, with the same SVG charts as the page) and XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from . import calculation, charts
from .spreadsheet import totals_labels


def _url_fetcher(url, *args, **kwargs):
    raise ValueError(f"External resource refused: {url}")


def _scope_items(rounded: dict) -> list[tuple[str, Decimal]]:
    labels = totals_labels()
    return [(str(labels[k]), rounded[k]) for k in calculation.SCOPE_KEYS]


def _by_value(items) -> list[tuple[str, Decimal]]:
    return sorted(items, key=lambda item: -item[1])


def result_context(result: calculation.Result, *, language: str = "de") -> dict:
    """What the result templates (page and PDF) show: rounded totals with labels, lines,
    charts with their table alternative, translated warnings."""
    rounded = result.totals_rounded()
    labels = totals_labels()
    names = {line.carrier: (line.name_en if language == "en" and line.name_en else line.name_de)
             for line in result.lines}
    carrier_items = _by_value((names[c], calculation.round_t(v["location"])) for c, v in result.by_carrier.items())
    return {
        "result": result,
        "totals": [{"key": k, "label": labels[k], "value": v} for k, v in rounded.items()],
        "lines": [{"line": line, "name": names[line.carrier], "t_location": calculation.round_t(line.t_location),
                   "t_market": calculation.round_t(line.t_market)} for line in result.lines],
        "warnings": [w.message(_) for w in result.warnings],
        **charts.balance_charts(year=result.year, scope_items=_scope_items(rounded), carrier_items=carrier_items),
    }


def balance_context(balance) -> dict:
    """What the page of a stored balance shows: its lines, totals by scope and by carrier
    (each rounded once from the exact values) and the same charts as the PDF."""
    lines = list(balance.lines.all())
    names = {line.carrier: line.carrier_name for line in lines}
    exact = balance.carrier_totals()
    if exact is not None:
        by_carrier = {names.get(carrier, carrier): calculation.round_t(value) for carrier, value in exact.items()}
    else:  # stored before exact values were kept: its rounded lines
        by_carrier: dict[str, Decimal] = {}
        for line in lines:
            by_carrier[line.carrier_name] = by_carrier.get(line.carrier_name, Decimal(0)) + line.t_location
    return {"lines": lines, **charts.balance_charts(year=balance.year, scope_items=_scope_items(balance.totals()),
                                                    carrier_items=_by_value(by_carrier.items()))}


def result_pdf(result: calculation.Result, *, title: str, subtitle: str = "", pact=None,
               language: str = "de", invitation: bool = False) -> bytes:
    from weasyprint import HTML

    context = result_context(result, language=language) | {"title": title, "subtitle": subtitle, "pact": pact,
                                                           "invitation": invitation}
    html = render_to_string("ghg/pdf/result.html", context)
    return HTML(string=html, url_fetcher=_url_fetcher).write_pdf()
