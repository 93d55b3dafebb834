"""One rule for cells of every export: no formulas from user input, phone numbers as typed."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from klimapakt.core.spreadsheet import csv_cell, xlsx_row

HARMLESS = ["+49 2151 123456", "+49 (0) 2151/86-0", "-5", "-12.5", "(02151) 86-0", "+", "-"]
DANGEROUS = ["=SUMME(A1)", "=1+1", "+SUM(A1)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1",
             "+49 2151 123456 =A1", "-A1", "+1,5", "+49\t2151"]


@pytest.mark.parametrize("value", HARMLESS)
def test_csv_lets_number_like_values_through(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_escapes_everything_else_that_starts_a_formula(value):
    assert csv_cell(value) == "'" + value


def test_csv_leaves_plain_text_and_other_types_alone():
    for value in ("Firma = gut", "Müller & Söhne", "", 5, -5, None, True):
        assert csv_cell(value) == value


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_keeps_every_text_as_typed_and_never_writes_a_formula(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("x") if write_only else workbook.active
    values = ["+49 2151 123456", "=SUMME(A1)", "-x", "@y", "=HYPERLINK(\"http://evil\")", 3, None]
    sheet.append(xlsx_row(sheet, values))
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if "worksheets/sheet" in n)
    assert "<f>" not in xml
    row = load_workbook(io.BytesIO(out.getvalue())).worksheets[-1][1]
    assert [c.value for c in row][:6] == values[:6]
    assert all(c.data_type == "s" for c in row[:5])
