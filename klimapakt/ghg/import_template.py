"""The import template (XLSX and CSV): the columns of ``spreadsheet.COLUMNS`` with three example
rows, the list of carriers with their units for people, the refrigerants and the travel modes,
and a help sheet. ``spreadsheet.template_workbook`` and friends call this module."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from klimapakt.core.formatting import number
from klimapakt.core.spreadsheet import new_workbook

from . import calculation
from .labels import CATEGORY_LABELS, carrier_label, source_text, unit_label, units_text
from .spreadsheet import COLUMNS, LETTERS, header_styles

WIDTHS = {"year": 8, "carrier": 26, "quantity": 14, "unit": 18, "site": 20, "supplier_factor": 22,
          "evidence_note": 36, "refrigerant": 16, "category": 16, "calorific_value_kwh_per_m3": 20, "z_number": 14}


def _letter(key: str) -> str:
    return LETTERS[[k for k, _l, _e in COLUMNS].index(key)]


def _usual_unit(table: calculation.FactorTable, carrier: str) -> str:
    from .forms import preferred_unit

    return preferred_unit(table, carrier)


def example_rows(table: calculation.FactorTable, *, year: int, language: str = "de") -> list[list]:
    """Three example rows (gas, electricity, diesel), as wide as the columns; carriers and units
    as people read them ("Erdgas", "kWh (Brennwert)"), which the import accepts like the keys."""
    rows = [("natural_gas", 250000, "kWh_hs", _("Gasrechnung, Jahresablesung")),
            ("electricity", 80000, "kWh", _("Stromrechnung")),
            ("diesel", 4000, "l", _("Tankkarte"))]
    out = []
    for carrier, quantity, unit, note in rows:
        if table.has_carrier(carrier):
            row = [year, carrier_label(table, carrier, language=language), quantity, unit_label(unit), "", None, note]
            out.append(row + [None] * (len(COLUMNS) - len(row)))
    return out


def workbook(table: calculation.FactorTable, *, year: int, language: str = "de"):
    """The template as a workbook (core.spreadsheet: no cell is ever a formula)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, fill = header_styles()
    book = new_workbook()
    with override(language):
        sheet = book.active
        sheet.title = _("Verbrauch")
        sheet.append([str(label) for _k, label, _en in COLUMNS])
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for key, _label, _en in COLUMNS:
            sheet.column_dimensions[_letter(key)].width = WIDTHS.get(key, 14)
        for row in example_rows(table, year=year, language=language):
            sheet.append(row)
        carriers = book.create_sheet(_("Energieträger"))
        carrier_list = table.carriers()
        _carrier_sheet(carriers, table, carrier_list, language, bold, fill)
        names = f"'{carriers.title}'!$A$2:$A${1 + len(carrier_list)}"
        validation = DataValidation(type="list", formula1=names, allow_blank=False, showErrorMessage=False)
        sheet.add_data_validation(validation)
        validation.add(f"{_letter('carrier')}2:{_letter('carrier')}10000")
        codes = table.variants("refrigerant") if table.has_carrier("refrigerant") else []
        if codes:
            first = len(carrier_list) + 4  # below the carriers, a blank row and the refrigerants' heading
            refrigerants = f"'{carriers.title}'!$B${first}:$B${first + len(codes) - 1}"
            choice = DataValidation(type="list", formula1=refrigerants, allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(choice)
            choice.add(f"{_letter('refrigerant')}2:{_letter('refrigerant')}10000")
        category = DataValidation(type="list", allow_blank=True, showErrorMessage=False,
                                  formula1='"{}"'.format(",".join(str(label) for label in CATEGORY_LABELS.values())))
        sheet.add_data_validation(category)
        category.add(f"{_letter('category')}2:{_letter('category')}10000")
        help_sheet = book.create_sheet(_("Hilfe"))
        for line in help_lines():
            help_sheet.append([line])
        help_sheet.column_dimensions["A"].width = 110
    return book


def _carrier_sheet(sheet, table, carrier_list, language, bold, fill) -> None:
    """Every carrier with its key, scope and units for people; below, every refrigerant with
    its GWP (the Kältemittel column takes its name)."""
    sheet.append([_("Energieträger"), _("Schlüssel"), _("Scope"), _("Übliche Einheit"), _("Mögliche Einheiten"),
                  _("Hinweis")])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for carrier in carrier_list:
        info = table.carrier_info(carrier)
        note = source_text(info.note, language)
        if table.variant_field(carrier):
            note = _("Welches Kältemittel: in der Spalte „Kältemittel“, siehe die Liste unten.")
        elif info.scope == 3:
            note = " ".join(filter(None, [note, _("Kategorie: Dienstreisen oder Pendeln.")]))
        sheet.append([info.name_en or info.name_de if language == "en" else info.name_de, carrier, info.scope,
                      unit_label(_usual_unit(table, carrier)), units_text(table.units_for(carrier)), note])
    codes = table.variants("refrigerant") if table.has_carrier("refrigerant") else []
    if codes:
        from .guided import refrigerant_label

        sheet.append([])
        sheet.append([_("Kältemittel"), _("Bezeichnung"), _("Scope"), _("Übliche Einheit"),
                      _("Treibhauspotenzial (kg CO₂e je kg)"), _("Hinweis")])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, fill
        for code in codes:
            row = table.carrier_rows("refrigerant", code)[-1]
            sheet.append([refrigerant_label(table, code), code, 1, unit_label("kg"), number(row.value),
                          source_text(row.note, language)])
    for letter, width in zip("ABCDEF", (44, 20, 7, 18, 50, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def help_lines() -> list[str]:
    return [
        _("So füllen Sie die Vorlage aus"),
        _("Eine Zeile je Verbrauch und Jahr: Energieträger, Menge und Einheit wie auf der Rechnung. Zahlen dürfen "
          "ein Komma haben, z. B. 11,2."),
        _("Erdgas: Gasrechnungen nennen kWh auf Brennwert-Basis; tragen Sie diese als „kWh (Brennwert)“ ein."),
        _("Erdgas in m³: Einheit „m³“, dazu Brennwert (kWh je m³) und Zustandszahl von der Gasrechnung; "
          "kWh = m³ × Brennwert × Zustandszahl."),
        _("Heizöl: Liter oder „kWh (Heizwert)“; Diesel und Benzin: Liter."),
        _("Strom und Fernwärme: kWh oder MWh. Haben Sie einen Ökostrom-Vertrag, tragen Sie den Faktor aus der "
          "Stromkennzeichnung in kg CO₂ je kWh ein (z. B. 0,0)."),
        _("Kältemittel: Energieträger „Kältemittel“, in der Spalte „Kältemittel“ die Bezeichnung (z. B. R-404A) "
          "und als Menge die im Jahr nachgefüllten kg. Was nachgefüllt wurde, ist vorher entwichen."),
        _("Dienstreisen und Pendeln (Scope 3): die Personenkilometer je Verkehrsmittel, in der Spalte „Kategorie“ "
          "Dienstreisen oder Pendeln. Fahrten mit Firmenfahrzeugen zählen schon beim Kraftstoff (Scope 1): tragen "
          "Sie sie hier nicht noch einmal ein."),
        _("Flüge ins Ausland und Hotelübernachtungen: dafür gibt es noch keinen belegten Standardfaktor."),
        _("Die Datei wird vollständig geprüft: Enthält sie Fehler, wird nichts gespeichert und Sie sehen jede "
          "fehlerhafte Zelle."),
    ]
