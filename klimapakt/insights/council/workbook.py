"""The council report as XLSX: an overview sheet, then one sheet per section with its tables,
the same numbers as the PDF (values, no formulas: core.spreadsheet)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from klimapakt.core.formatting import short_date
from klimapakt.core.spreadsheet import new_workbook, xlsx_bytes, xlsx_row

from . import content as c


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31].strip() or _("Abschnitt")
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _value(value):
    if value is c.HIDDEN:
        return c.hidden_text()
    return value


def council_xlsx(content: c.CouncilContent) -> bytes:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = new_workbook()
    used: set[str] = set()
    ws = wb.active
    ws.title = sheet_title(_("Bericht"), used)
    ws.append(xlsx_row(ws, [content.title]))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append(xlsx_row(ws, [_("Klimapakt"), content.pact_name]))
    ws.append([_("Berichtsjahr"), content.year])
    ws.append([_("Fassung"), content.version])
    ws.append([_("Erstellt am"), short_date(content.generated_at)])
    ws.append([])
    ws.append([_("„zu wenige Angaben“: Die Summe stammt von zu wenigen Organisationen und wird nicht gezeigt.")])
    ws.append([_("Tonnen CO₂e auf eine Nachkommastelle gerundet.")])
    ws.column_dimensions["A"].width = 30
    for section in content.sections:
        if not section.tables:
            continue
        sheet = wb.create_sheet(sheet_title(section.title, used))
        sheet.append(xlsx_row(sheet, [section.title]))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=13)
        for table in section.tables:
            sheet.append([])
            sheet.append(xlsx_row(sheet, [table.caption]))
            sheet.cell(sheet.max_row, 1).font = bold
            sheet.append(xlsx_row(sheet, [col.label for col in table.columns]))
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append(xlsx_row(sheet, [_value(v) for v in row]))
                for col, cell in zip(table.columns, sheet[sheet.max_row], strict=False):
                    if col.places:
                        cell.number_format = "#,##0." + "0" * col.places
        sheet.column_dimensions["A"].width = 44
        for letter in "BCDEFGHIJK":
            sheet.column_dimensions[letter].width = 18
    return xlsx_bytes(wb)
