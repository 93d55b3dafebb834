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
