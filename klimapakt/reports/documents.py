"""Report PDF (WeasyPrint, with the same SVG charts as the pages) and the XLSX export of the
per-year overview."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from klimapakt.core import branding
from klimapakt.core.spreadsheet import new_workbook, xlsx_bytes, xlsx_row
from klimapakt.ghg.calculation import SCOPE_KEYS, Emissions
from klimapakt.ghg.models import Balance

from . import charts
from .models import Category, Measure, Report, Section, TargetProgress
from .selectors import main_target, target_path_check


def _url_fetcher():
    """Only inline data (the city's logo): nothing is fetched from disk or the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


class _SnapshotMeasure:
    """A measure as the snapshot stored it, shaped like a Measure for the path check."""

    def __init__(self, data: dict):
        self.status = data["status"]
        self.expected_t_co2e = Decimal(data["expected_t_co2e"] or 0)


class _SnapshotTarget:
    def __init__(self, data: dict):
        self.pk = data["id"]
        self.base_year, self.target_year, self.scopes = data["base_year"], data["target_year"], data["scopes"]
        self.reduction_percent = Decimal(data["reduction_percent"]) if data["reduction_percent"] else None
        self.reduction_t_co2e = Decimal(data["reduction_t_co2e"]) if data["reduction_t_co2e"] else None
        self.archived_at = None

    def get_scopes_display(self):
        from klimapakt.partners.models import Target

        return dict(Target.Scopes.choices).get(self.scopes, self.scopes)


def _branding(pact) -> dict:
    """The city's logo (inlined) and accent colour (core.branding) for the PDF's head."""
    if pact is None:
        return {"accent": "", "pact_logo": ""}
    return {"accent": pact.accent.hex, "pact_logo": branding.data_uri(pact.logo)}


def report_pdf_context(report: Report, snapshot: dict, *, version=None, pact=None) -> dict:
    if "history" in snapshot:  # the balances as they stood at submission
        # exact values where the snapshot kept them (since the totals rule), else its rounded figures
        balances = [SimpleNamespace(year=h["year"], emissions=Emissions.decode(h.get("exact")),
                                    **{f"{k}_t": Decimal(h[k]) for k in SCOPE_KEYS})
                    for h in snapshot["history"]]
    else:
        balances = [b for b in Balance.objects.filter(organisation_id=report.organisation_id).order_by("year")
                    if b.year <= snapshot["balance_year"]]
    targets = [_SnapshotTarget(t) for t in snapshot["targets"]]
    check = target_path_check(main_target(targets), balances, [_SnapshotMeasure(m) for m in snapshot["measures"]])
    status_labels, category_labels = dict(Measure.Status.choices), dict(Category.choices)
    progress_labels = dict(TargetProgress.Status.choices)
    return {
        "balances": balances, "report": report, "snapshot": snapshot, "version": version, "pact": pact, "check": check,
        "now": timezone.now(), **_branding(pact),
        "notes": [(label, snapshot["notes"].get(value, "")) for value, label in Section.choices
                  if snapshot["notes"].get(value)],
        "measures": [m | {"status_label": status_labels.get(m["status"], m["status"]),
                          "category_label": category_labels.get(m["category"], m["category"])}
                     for m in snapshot["measures"]],
        "targets": [t | {"progress_label": progress_labels.get(t["progress"], "") if t["progress"] else ""}
                    for t in snapshot["targets"]],
        "path_chart": charts.emissions_chart(balances, check, chart_id="pdf-path"),
        "gap_chart": charts.gap_chart(check, chart_id="pdf-gap") if check else "",
    }


def report_pdf(report: Report, snapshot: dict, *, version=None, pact=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/pdf/report.html", report_pdf_context(report, snapshot, version=version,
                                                                          pact=pact))
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()


def year_xlsx(overview: dict, rows: list[Report]) -> bytes:
    from openpyxl.styles import Font

    wb = new_workbook()
    ws = wb.active
    ws.title = _("Übersicht")[:31]
    bold = Font(bold=True)
    year, sums, counts = overview["year"], overview["sums"], overview["counts"]
    ws.append([_("Berichtsjahr"), year])
    ws.append([_("Partner mit Bericht"), counts["reported"]])
    ws.append([_("Angenommene Berichte"), counts["accepted"]])
    ws.append([_("Fällige Berichte"), counts["due"]])
    ws.append([_("Überfällige Berichte"), counts["overdue"]])
    ws.append([])
    ws.append([_("Summen der angenommenen Berichte (t CO₂e)")])
    ws.cell(ws.max_row, 1).font = bold
    for key, label in (("scope1", _("Scope 1")), ("scope2_location", _("Scope 2 (standortbasiert)")),
                       ("scope2_market", _("Scope 2 (marktbasiert)")), ("scope3", _("Scope 3")),
                       ("total", _("Gesamt (Scope 1 + 2 standortbasiert + 3)")),
                       ("expected", _("Erwartete Einsparungen pro Jahr")),
                       ("realised", _("Erreichte Einsparungen pro Jahr"))):
        ws.append([label, float(sums[key])])
        ws.cell(ws.max_row, 2).number_format = "#,##0.000"
    ws.append([])
    ws.append([_("Maßnahmen nach Kategorie und Status"), *[str(s) for s in overview["status_labels"]], _("Gesamt")])
    for c in ws[ws.max_row]:
        c.font = bold
    for row in overview["by_category"]:
        ws.append([str(row["category"]), *row["counts"], row["total"]])
    ws.column_dimensions["A"].width = 48

    detail = wb.create_sheet(_("Berichte")[:31])
    detail.append([_("Organisation"), _("Art"), _("Jahr"), _("Bilanzjahr"), _("Status"), _("Scope 1"),
                   _("Scope 2 (standortbasiert)"), _("Scope 2 (marktbasiert)"), _("Scope 3"), _("Gesamt"),
                   _("Maßnahmen"), _("davon umgesetzt"), _("Erwartete Einsparung"), _("Erreichte Einsparung")])
    for c in detail[1]:
        c.font = bold
    for r in rows:  # names typed by partners: never a formula (core.spreadsheet)
        detail.append(xlsx_row(detail, [
            r.organisation.name, str(r.get_kind_display()), r.year, r.balance_year, str(r.get_status_display()),
            *[float(v) if v is not None else None for v in (r.scope1_t, r.scope2_location_t, r.scope2_market_t,
                                                            r.scope3_t, r.total_t_co2e)],
            r.measures_total, r.measures_implemented, float(r.expected_savings_t), float(r.realised_savings_t)]))
    detail.column_dimensions["A"].width = 40
    return xlsx_bytes(wb)
