"""The VSME downloads of one organisation's year: an XLSX laid out like EFRAG's VSME Digital
Template 1.0.1 (the same sheet names, row labels and cells, and the template's named ranges, so the
values can be pasted into the template or read by name), and a JSON keyed by the mapping's ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimapakt.core.spreadsheet import new_workbook

from . import mapping

STATUS_TEXT = {mapping.FILLED: gettext_lazy("ausgefüllt"), mapping.MISSING: gettext_lazy("vom Unternehmen zu ergänzen"),
               mapping.NOT_APPLICABLE: gettext_lazy("entfällt")}

# Headings of the template's blocks (Environmental Disclosures), as there without the formulas.
ENV_HEADINGS = {
    "C2": "B3 - Total Energy Consumption (in MWh)",
    "C7": "B3 - Breakdown of energy consumption (in MWh)",
    "G11": "Renewable", "J11": "Non-renewable", "K11": "Total renewable and non-renewable",
    "C16": "B3 - Estimated Greenhouse Gas Emissions considering the GHG Protocol Version 2004 (in tCO2e) "
           "[Always to be reported]",
    "G16": "C3 - GHG reduction targets (in tC02e) [If applicable]",
    "D20": "Current Reporting Period", "G20": "Base Year", "J20": "Target Year",
    "K20": "Percentage reduction from base year",
    "C49": "C3 - Disclosure of list of main actions the entity seeks in order to achieve its targets",
    "C64": "B3 - Greenhouse gas emission intensity per turnover (in tCO2e/EUR)",
}


def _split(cell: str) -> tuple[str, int]:
    """"G21" -> ("G", 21) (without importing openpyxl when the URLconf loads)."""
    return "".join(ch for ch in cell if ch.isalpha()), int("".join(ch for ch in cell if ch.isdigit()))


# Column C of the template, verbatim: each mapped row's label (also for rows whose cell is in
# another column, e.g. the base and target year in row 21), read from the mapping.
ROW_LABELS = {_split(p.cell)[1]: p.template_label for p in mapping.DATAPOINTS
              if p.sheet == mapping.ENV and p.cell and p.template_label}


def _number(value: Any) -> Any:
    """A cell or JSON value: numbers as numbers (int when whole, else float of the rounded decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def _name(workbook, name: str, sheet: str, cell: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    column, row = _split(cell)
    workbook.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!${column}${row}")


def workbook(*, organisation, year: int, values: dict[str, mapping.Value], targets: list[dict]):
    book = new_workbook()
    env = book.active
    env.title = mapping.ENV
    general = book.create_sheet(mapping.GENERAL)
    notes = book.create_sheet("Klimapakt")
    env["A1"], env["B1"] = "Paragraph Reference", "Paragraph Guidance Reference"
    for cell, text in ENV_HEADINGS.items():
        env[cell] = text
    env["D21"] = f"{year}-01-01  -  {year}-12-31"
    for row, text in ROW_LABELS.items():
        env[f"C{row}"] = text
    general["C61"] = "Turnover in EUR"
    general["C9"], general["D9"] = "Reporting period start", f"{year}-01-01"
    general["C13"], general["D13"] = "Reporting period end", f"{year}-12-31"
    general["C3"], general["D3"] = "Name of the undertaking", organisation.name
    for key, found in values.items():
        point = found.datapoint
        if not point.cell or found.value is None or point.unit == "text":
            continue
        sheet = env if point.sheet == mapping.ENV else general
        sheet[point.cell] = _number(found.value)
        _name(book, key, point.sheet, point.cell)
    if targets:
        first = targets[0]
        row, stem = mapping.TARGET_ROWS[first["scopes"]]
        env[f"C{row}"] = ROW_LABELS[row]
        if first["base_year_t_co2e"] is not None:
            env[f"G{row}"] = _number(first["base_year_t_co2e"])
            _name(book, f"{stem}_BaselineYearMember", mapping.ENV, f"G{row}")
            env[f"J{row}"] = _number(first["target_year_t_co2e"])
            _name(book, f"{stem}_TargetYearMember", mapping.ENV, f"J{row}")
        if first["reduction_percent"] is not None:
            env[f"K{row}"] = -float(Decimal(first["reduction_percent"]) / 100)  # as the template's formula: -(1 - J/G)
    env.column_dimensions["C"].width = 70
    _notes_sheet(notes, organisation=organisation, year=year, values=values, targets=targets)
    return book


def _notes_sheet(sheet, *, organisation, year, values, targets) -> None:
    sheet.append([_("VSME-Angaben (B3, C3) von %(name)s für %(year)s") % {"name": organisation.name, "year": year}])
    sheet.append([_("Nach %(standard)s; Aufbau wie %(template)s (Blätter „%(env)s“ und „%(general)s“).")
                  % {"standard": mapping.STANDARD, "template": mapping.TEMPLATE, "env": mapping.ENV,
                     "general": mapping.GENERAL}])
    sheet.append([])
    sheet.append([_("Kennung"), _("Angabe"), _("Absatz"), _("Wert"), _("Einheit"), _("Status"), _("Zelle im Muster"),
                  _("Herkunft"), _("Hinweis")])
    for key, found in values.items():
        point = found.datapoint
        sheet.append([key, str(point.label), f"{point.disclosure} §{point.paragraph}", _value_cell(found.value),
                      point.unit_label, str(STATUS_TEXT[found.status]), f"{point.sheet}!{point.cell}" if point.cell else "",
                      str(point.source), str(found.note)])
    sheet.append([])
    sheet.append([_("Reduktionsziele (alle gültigen)")])
    sheet.append([_("Basisjahr"), _("Zieljahr"), _("Scopes"), _("Minderung (%)"), _("Minderung (t CO₂e)"),
                  _("Basisjahr (t CO₂e)"), _("Zielwert (t CO₂e)")])
    for target in targets:
        sheet.append([target["base_year"], target["target_year"], target["scopes"],
                      _number(target["reduction_percent"]), _number(target["reduction_t_co2e"]),
                      _number(target["base_year_t_co2e"]), _number(target["target_year_t_co2e"])])
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 45


def _value_cell(value):
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    return _number(value)


def document(*, organisation, year: int, values: dict[str, mapping.Value], targets: list[dict]) -> dict:
    """The JSON download: every datapoint by its id, with unit, status, label and notes."""
    datapoints = {}
    for key, found in values.items():
        point = found.datapoint
        datapoints[key] = {
            "value": _number(found.value), "unit": point.unit, "status": found.status,
            "disclosure": point.disclosure, "paragraph": point.paragraph, "label": str(point.label),
            "template_label": point.template_label or None,
            "template_cell": f"{point.sheet}!{point.cell}" if point.cell else None,
            "is_template_id": point.is_template_id, "source": str(point.source), "note": str(found.note) or None,
        }
    return {
        "standard": mapping.STANDARD, "template": mapping.TEMPLATE,
        "organisation": organisation.name, "year": year,
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "datapoints": datapoints,
        "targets": [{k: _number(v) for k, v in target.items()}
                    | {"template_ids": _target_ids(target)} for target in targets],
    }


def _target_ids(target: dict) -> dict:
    _row, stem = mapping.TARGET_ROWS[target["scopes"]]
    return {"base_year_t_co2e": f"{stem}_BaselineYearMember", "target_year_t_co2e": f"{stem}_TargetYearMember"}
