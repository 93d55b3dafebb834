"""Cells of every export that people open in a spreadsheet (CSV and XLSX): text typed by users
never runs as a formula ("CSV injection"), and harmless values such as "+49 2151 123456" come
out as typed. One rule for all apps' exports."""

from __future__ import annotations

import re
from typing import Any

# A spreadsheet reads a CSV cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Only "+", digits, spaces and "/()-.": phone numbers ("+49 2151 123456", "(02151) 86-0"), negative
# numbers, dates. Without letters or "!", ":", "," such a formula can call no function and read
# no cell, so it is left as it is.
_NUMBER_LIKE = re.compile(r"[+0-9 /().-]+")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that would start a formula gets a leading apostrophe
    (Excel and LibreOffice then show it as text), unless it is number-like (see above)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER_LIKE.fullmatch(value):
        return "'" + value
    return value


def xlsx_row(sheet, values) -> list:
    """The values for ``sheet.append()``. In XLSX (openpyxl) only text starting with "=" would
    be stored as a formula; such text is written as a text cell instead, unchanged. Everything
    else ("+49 …", "-", "@") is stored as text by openpyxl anyway. Works for normal and
    write-only sheets."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


# --------------------------------------------------------------------------- whole files
# Every export builds its file with these helpers, so the rule above holds for every cell, also
# for cells a builder sets one by one (sheet.cell(...), sheet["A1"] = ...).

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook(*, write_only: bool = False):
    """An openpyxl workbook for an export. In write-only mode (large exports) every row
    appended goes through ``xlsx_row``; a normal workbook is checked cell by cell when saved."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=write_only)
    if write_only:
        create_sheet = workbook.create_sheet

        def guarded_create_sheet(*args, **kwargs):
            sheet = create_sheet(*args, **kwargs)
            append = sheet.append
            sheet.append = lambda values: append(xlsx_row(sheet, values))
            return sheet

        workbook.create_sheet = guarded_create_sheet
    return workbook


def xlsx_bytes(workbook) -> bytes:
    """The workbook as a file. Text that openpyxl would store as a formula ("=...") is stored
    as text instead (cells of a normal workbook; write-only rows were guarded when appended)."""
    import io

    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, header=None, delimiter: str = ";") -> bytes:
    """Rows as CSV for spreadsheets (UTF-8 with BOM, ";" as German Excel expects), every cell
    through ``csv_cell``; None becomes an empty cell."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if header is not None:
        writer.writerow([csv_cell(str(value)) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
