"""Downloads of a balance: PDF (WeasyPrint, with the same SVG charts as the page) and XLSX, and
what the result templates show. Every name, unit, status and source is worded for people
(``ghg.labels``): "kWh (Brennwert)", "Kältemittel R-404A", "hochgerechnet", never a key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from klimapakt.core import branding

from . import calculation, charts, labels
from .spreadsheet import totals_labels


def _url_fetcher():
    """Only inline data (the city's logo): nothing is fetched from disk or the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def _scope_items(rounded: dict) -> list[tuple[str, Decimal]]:
    names = totals_labels()
    return [(str(names[k]), rounded[k]) for k in calculation.SCOPE_KEYS]


def _by_value(items) -> list[tuple[str, Decimal]]:
    return sorted(items, key=lambda item: -item[1])


@dataclass(frozen=True)
class LineView:
    """One line of a balance as a page, the PDF and the XLSX show it."""

    name: str                  # "Erdgas", "Kältemittel R-404A"
    scope: int
    category: str              # "Dienstreisen", "Pendeln" or ""
    quantity: Decimal
    unit: str                  # the key, for the XLSX's numbers
    quantity_text: str         # "250.000 kWh (Brennwert)"
    volume_text: str           # rule 6: "10.000 m³ × 11,2 kWh/m³ × 0,9543 = 106.881,6 kWh (Brennwert)"
    t_location: Decimal
    t_market: Decimal
    factor_value: Decimal
    factor_unit: str
    factor_text: str           # "0,201 kg je kWh (Heizwert)"
    factor_year: int | None
    status: str                # "vorläufig", "hochgerechnet"; "" for a final value
    fallback: bool
    market_based_fallback: bool
    supplier_factor: Decimal | None
    source: str                # in the reader's language (labels.source_text)
    note: str
    site: str = ""
    evidence: str = ""
    refrigerant: str = ""
    calorific_value: Decimal | None = None
    z_number: Decimal | None = None


def line_view(*, name: str, scope: int, category: str, quantity, unit: str, t_location, t_market, factor_value,
              factor_unit: str, factor_year: int | None, status: str, fallback: bool, market_based_fallback: bool,
              supplier_factor, source: str, note: str = "", site: str = "", evidence: str = "", refrigerant: str = "",
              calorific_value=None, z_number=None, language: str | None = None) -> LineView:
    by_volume = calorific_value is not None and z_number is not None
    return LineView(
        name=name, scope=scope, category=labels.category_label(category), quantity=quantity, unit=unit,
        quantity_text=labels.quantity_text(quantity, unit),
        volume_text=labels.gas_volume_text(quantity, calorific_value, z_number) if by_volume else "",
        t_location=t_location, t_market=t_market, factor_value=factor_value, factor_unit=factor_unit,
        factor_text=labels.factor_text(factor_value, factor_unit), factor_year=factor_year,
        status=labels.status_note(status), fallback=fallback, market_based_fallback=market_based_fallback,
        supplier_factor=supplier_factor, source=labels.source_text(source, language),
        note=labels.source_text(note, language), site=site or "", evidence=evidence or "", refrigerant=refrigerant,
        calorific_value=calorific_value if by_volume else None, z_number=z_number if by_volume else None)


def result_lines(result: calculation.Result, *, language: str | None = None,
                 evidence: Sequence | None = None, limit: int | None = None) -> list[LineView]:
    """The lines of a calculation for people (the first ``limit`` of them). ``evidence``: per line
    (same order) an object with ``site`` and ``evidence_note`` (a stored balance's; the
    calculator has none)."""
    language = labels.reader_language(language)
    views = []
    for i, line in enumerate(result.lines[:limit]):
        found = evidence[i] if evidence is not None and i < len(evidence) else None
        factor = line.factor
        views.append(line_view(
            name=_result_line_name(line, language), scope=line.scope,
            category=line.category, quantity=line.quantity, unit=line.unit,
            t_location=calculation.round_t(line.t_location), t_market=calculation.round_t(line.t_market),
            factor_value=factor.value, factor_unit=factor.unit, factor_year=factor.year, status=factor.status,
            fallback=line.fallback, market_based_fallback=line.market_based_fallback,
            supplier_factor=line.supplier_factor_kg_per_kwh, source=factor.source, note=factor.note,
            site=getattr(found, "site", ""), evidence=getattr(found, "evidence_note", ""),
            refrigerant=line.refrigerant, calorific_value=line.calorific_value_kwh_per_m3, z_number=line.z_number,
            language=language))
    return views


def _carrier_items(lines, exact: dict[str, Fraction], language: str) -> list[tuple[str, Decimal]]:
    """Location-based t CO2e by carrier, each rounded once from the exact sum. ``lines`` give
    the names: (carrier, name) pairs; a carrier of variants is summed under its own name
    ("Kältemittel"), not under the name of whichever refrigerant came last."""
    names = {carrier: labels.group_label(carrier, name, language=language) for carrier, name in lines}
    return _by_value((names.get(carrier, carrier), calculation.round_t(value)) for carrier, value in exact.items())


def _result_line_name(line: calculation.LineResult, language: str) -> str:
    return line.name_en if language == "en" and line.name_en else line.name_de


def result_context(result: calculation.Result, *, language: str = "de", evidence: Sequence | None = None,
                   limit: int | None = None) -> dict:
    """What the result templates (page and PDF) show: rounded totals with labels, lines worded
    for people (the first ``limit``; ``more_lines`` says how many more), charts with their table
    alternative, translated warnings. With ``evidence`` (a stored balance) the lines show their
    site and evidence."""
    rounded = result.totals_rounded()
    names = totals_labels()
    lines = result_lines(result, language=language, evidence=evidence, limit=limit)
    carrier_items = _carrier_items(((line.carrier, _result_line_name(line, language)) for line in result.lines),
                                   {c: v["location"] for c, v in result.by_carrier.items()}, language)
    return {
        "result": result,
        "totals": [{"key": k, "label": names[k], "value": v} for k, v in rounded.items()],
        "categories": [(labels.category_label(c), calculation.round_t(v))
                       for c, v in sorted(result.by_category.items()) if labels.category_label(c)],
        "lines": lines,
        "more_lines": len(result.lines) - len(lines),
        "with_evidence": evidence is not None,
        "warnings": [w.message(_, language) for w in result.warnings],
        **charts.balance_charts(year=result.year, scope_items=_scope_items(rounded), carrier_items=carrier_items),
    }


def balance_line_view(line, table: calculation.FactorTable | None = None, *, language: str | None = None) -> LineView:
    """A stored balance line (``BalanceLine``) for people; its activity (if still there) gives
    the evidence. With ``table`` the name is taken in the reader's language."""
    language = labels.reader_language(language)
    activity = line.activity if line.activity_id else None
    return line_view(
        name=_stored_line_name(line, table, language), scope=line.scope, category=line.category, quantity=line.quantity, unit=line.unit,
        t_location=line.t_location, t_market=line.t_market, factor_value=line.factor_value,
        factor_unit=line.factor_unit, factor_year=line.factor_year, status=line.factor_status,
        fallback=line.fallback, market_based_fallback=line.market_based_fallback,
        supplier_factor=line.supplier_factor, source=line.factor_source, site=line.site,
        evidence=activity.evidence_note if activity is not None else "", refrigerant=line.refrigerant,
        calorific_value=line.calorific_value_kwh_per_m3, z_number=line.z_number, language=language)


def _stored_line_name(line, table: calculation.FactorTable | None, language: str) -> str:
    if table is not None and language == "en" and table.has_carrier(line.carrier):
        return labels.carrier_label(table, line.carrier, language=language, variant=line.refrigerant)
    return line.carrier_name


def balance_context(balance, *, language: str | None = None, shown: int | None = None) -> dict:
    """What the page of a stored balance shows: its lines (the first ``shown``; ``more_lines``
    says how many more), totals by scope and by carrier (each rounded once from the exact
    values) and the same charts as the PDF. Each listed line carries ``label`` (a ``LineView``:
    name, unit, source, status, category worded for people); the template shows
    ``line.label.quantity_text`` and ``line.label.source`` rather than the keys."""
    from .selectors import factor_table

    language = labels.reader_language(language)
    table = factor_table() if language == "en" else None
    lines = list(balance.lines.all())
    listed = lines[:shown]
    for line in listed:
        line.label = balance_line_view(line, table, language=language)
    names = {line.carrier: line for line in lines}  # one name per carrier for the chart
    pairs = [(carrier, _stored_line_name(line, table, language)) for carrier, line in names.items()]
    exact = balance.carrier_totals()
    if exact is None:  # stored before exact values were kept: its rounded lines
        exact = {}
        for line in lines:
            exact[line.carrier] = exact.get(line.carrier, Fraction(0)) + Fraction(line.t_location)
    return {"lines": listed, "more_lines": len(lines) - len(listed),
            **charts.balance_charts(year=balance.year, scope_items=_scope_items(balance.totals()),
                                    carrier_items=_carrier_items(pairs, exact, language))}


MAX_LINES_PRINTED = 500  # lines of a balance listed in its PDF and on its page (docs/ghg.md, "Bounds")
MAX_NOTES_PRINTED = 100  # notes ("Hinweise") listed in the PDF; each line's own notes stand in its row


def result_html(result: calculation.Result, *, title: str, subtitle: str = "", pact=None, language: str = "de",
                invitation: bool = False, evidence: Sequence | None = None) -> str:
    """The HTML the PDF is printed from (tests read it; WeasyPrint prints it). A balance may have
    50,000 lines: the PDF lists the first ``MAX_LINES_PRINTED`` (the XLSX has all) and at most
    ``MAX_NOTES_PRINTED`` notes, so printing it stays a matter of seconds."""
    context = result_context(result, language=language, evidence=evidence, limit=MAX_LINES_PRINTED) | {
        "title": title, "subtitle": subtitle, "pact": pact, "invitation": invitation, "LANGUAGE_CODE": language,
        "accent": pact.accent.hex if pact is not None else "",
        "pact_logo": branding.data_uri(pact.logo) if pact is not None else ""}
    warnings = context["warnings"]
    context |= {"warnings": warnings[:MAX_NOTES_PRINTED], "more_warnings": max(0, len(warnings) - MAX_NOTES_PRINTED)}
    return render_to_string("ghg/pdf/result.html", context)


def result_pdf(result: calculation.Result, *, title: str, subtitle: str = "", pact=None,
               language: str = "de", invitation: bool = False, evidence: Sequence | None = None) -> bytes:
    """The balance as a PDF. ``evidence`` (from ``selectors.balance_result``): per line its site
    and evidence, shown in the columns "Standort" and "Nachweis"; None for the calculator."""
    from weasyprint import HTML

    html = result_html(result, title=title, subtitle=subtitle, pact=pact, language=language, invitation=invitation,
                       evidence=evidence)
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()


# --- The spreadsheet -------------------------------------------------------------------------

T_FORMAT = "#,##0.000"  # t CO2e: three decimals, digit grouping in the reader's locale


def result_workbook(result: calculation.Result, *, title: str, language: str = "de",
                    evidence: Sequence | None = None):
    """The balance (lines with factors and sources, totals) as a workbook; numbers as numbers
    with a number format (the spreadsheet shows them in the reader's locale), every name, unit,
    status and source worded for people (``ghg.labels``). ``evidence``: per line its site and
    evidence (a stored balance, ``selectors.balance_result``); the calculator has none and the
    columns stay empty. Totals are each rounded once from the exact values (calculation.totals)."""
    from openpyxl.styles import Alignment, Font

    from klimapakt.core.formatting import number
    from klimapakt.core.spreadsheet import new_workbook

    from .spreadsheet import LETTERS, header_styles

    bold, fill = header_styles()
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("Bilanz %(year)s") % {"year": result.year}
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([_("Summen in t CO2e")])
    names = totals_labels()
    for key, value in result.totals_rounded().items():
        sheet.append([str(names[key]), value])
        sheet.cell(sheet.max_row, 2).number_format = T_FORMAT
        if key == "scope3":
            for category, exact in sorted(result.by_category.items()):
                if labels.category_label(category):
                    sheet.append([_("davon %(label)s") % {"label": labels.category_label(category)},
                                  calculation.round_t(exact)])
                    sheet.cell(sheet.max_row, 2).number_format = T_FORMAT
    sheet.append([])
    headers = [_("Energieträger"), _("Kategorie"), _("Scope"), _("Menge"), _("Einheit"), _("Brennwert (kWh je m³)"),
               _("Zustandszahl"), _("t CO2e standortbasiert"), _("t CO2e marktbasiert"),
               _("Faktor (kg CO2e je Einheit)"), _("Faktor-Einheit"), _("Faktor-Jahr"), _("Stand des Werts"),
               _("Quelle"), _("Hinweis zum Faktor"), _("Standort"), _("Nachweis"), _("Hinweise")]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = sheet.max_row  # read once: openpyxl's max_row looks at every cell (per line: quadratic)
    for view in result_lines(result, language=language, evidence=evidence):
        notes = []
        if view.fallback:
            notes.append(_("neuester verfügbarer Faktor (%(year)s)") % {"year": view.factor_year})
        if view.supplier_factor is not None:
            notes.append(_("Faktor des Lieferanten: %(value)s kg CO₂ je kWh") % {"value": number(view.supplier_factor)})
        elif view.market_based_fallback:
            notes.append(_("marktbasiert = standortbasiert"))
        if view.volume_text:
            notes.append(view.volume_text)
        sheet.append([view.name, view.category, view.scope, view.quantity, labels.unit_label(view.unit),
                      view.calorific_value, view.z_number, view.t_location, view.t_market, view.factor_value,
                      labels.unit_label(view.factor_unit), view.factor_year or _("alle Jahre"), view.status, view.source,
                      view.note, view.site, view.evidence, "; ".join(notes)])
        row += 1
        for col in (8, 9):
            sheet.cell(row, col).number_format = T_FORMAT
        for col in (4, 6, 7, 10):
            sheet.cell(row, col).number_format = "General"
    widths = (28, 14, 7, 14, 18, 12, 12, 14, 14, 14, 18, 10, 14, 60, 40, 20, 40, 40)
    for index, width in enumerate(widths):
        sheet.column_dimensions[LETTERS[index]].width = width
    return workbook
