"""Hostile spreadsheets stay small in memory and time (issue 11, "XLSX memory bomb"): each
file here is a few KB on disk and unpacks to a huge sheet or many megabytes of text; before the
bounds, the column bomb took a worker to 4.5 GB and the string bomb 27 s and 3.1 GB."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from klimapakt.ghg import spreadsheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Jahr</t></is></c><c r="B1" t="inlineStr"><is><t>Energieträger'
          '</t></is></c><c r="C1" t="inlineStr"><is><t>Menge</t></is></c><c r="D1" t="inlineStr"><is><t>Einheit</t>'
          '</is></c></row>')
PEAK_LIMIT = 50 * 2**20


def _xlsx(sheet_rows: str | bytes, *, shared: bytes | None = None, chunks=None) -> bytes:
    """A minimal workbook (no workbook.xml: the reader falls back to sheet1.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            handle.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for part in chunks or [sheet_rows]:
                handle.write(part.encode() if isinstance(part, str) else part)
            handle.write(b"</sheetData></worksheet>")
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
                handle.write(f'<sst xmlns="{MAIN}">'.encode())
                for part in shared:
                    handle.write(part)
                handle.write(b"</sst>")
    return buffer.getvalue()


def _read_measured(data: bytes, name="bomb.xlsx"):
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = spreadsheet.read_rows(io.BytesIO(data), name)
        error = None
    except spreadsheet.SpreadsheetError as exc:
        result, error = None, exc
    finally:
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, error, peak, seconds


def _data_rows(count: int, far_column: str) -> str:
    return "".join(f'<row r="{i}"><c r="A{i}"><v>2024</v></c><c r="B{i}" t="inlineStr"><is><t>diesel</t></is></c>'
                   f'<c r="C{i}"><v>5</v></c><c r="D{i}" t="inlineStr"><is><t>l</t></is></c>'
                   f'<c r="{far_column}{i}"><v>1</v></c></row>' for i in range(2, count + 2))


def test_cells_far_to_the_right_are_ignored_not_padded_to():
    data = _xlsx(HEADER + _data_rows(600, "ZZZZ"))
    assert len(data) < 20_000
    result, error, peak, _seconds = _read_measured(data)
    assert error is None
    header, rows = result
    assert len(rows) == 600 and all(len(values) <= 4 for _n, values in rows)
    assert peak < PEAK_LIMIT, peak


def test_column_reference_with_many_letters_costs_nothing():
    data = _xlsx(HEADER + _data_rows(50, "ZZZZZZZZZZZZZZZZZZZZ"))
    result, error, peak, _seconds = _read_measured(data)
    assert error is None and len(result[1]) == 50 and peak < PEAK_LIMIT


def test_huge_shared_strings_are_refused_before_they_are_unpacked():
    """The finding: 485 KB that unpack to 190 MB of shared strings."""
    text = b"<si><t>" + b"x" * 100_000 + b"</t></si>"
    data = _xlsx(HEADER, shared=(text for _ in range(1900)))
    assert len(data) < 1_000_000
    _result, error, peak, seconds = _read_measured(data)
    assert error is not None and "entpackt zu groß" in str(error)
    assert peak < PEAK_LIMIT and seconds < 5, (peak, seconds)


def test_too_much_shared_text_within_the_unpacked_limit_is_refused_early():
    text = b"<si><t>" + b"y" * 10_000 + b"</t></si>"
    data = _xlsx(HEADER, shared=(text for _ in range(3000)))  # 30 MB of text, under the 40 MB part limit
    _result, error, peak, seconds = _read_measured(data)
    assert error is not None and "zu viel Text" in str(error)
    assert peak < PEAK_LIMIT and seconds < 10, (peak, seconds)


def test_too_many_shared_strings_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_SHARED_STRINGS", 20_000)  # the real bound, 400,000, is only slower
    data = _xlsx(HEADER, shared=(b"<si/>" * 10_000 for _ in range(50)))  # 500,000 empty texts
    _result, error, peak, _seconds = _read_measured(data)
    assert error is not None and "zu viel Text" in str(error)
    assert peak < PEAK_LIMIT, peak


def test_millions_of_empty_rows_are_refused_with_little_memory(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 20_000)  # the real bound, 100,000, is only slower
    rows = (b"<row/>" * 100_000 for _ in range(30))  # 3 million rows, 18 MB unpacked
    data = _xlsx("", chunks=[HEADER.encode(), *rows])
    _result, error, peak, _seconds = _read_measured(data)
    assert error is not None and "mehr als" in str(error)
    assert peak < PEAK_LIMIT, peak


def test_a_worksheet_that_unpacks_beyond_the_limit_is_refused():
    rows = (b"<row/>" * 1_000_000 for _ in range(8))  # 48 MB unpacked
    data = _xlsx("", chunks=[HEADER.encode(), *rows])
    _result, error, peak, _seconds = _read_measured(data)
    assert error is not None and "entpackt zu groß" in str(error)
    assert peak < PEAK_LIMIT, peak


def test_a_member_larger_than_its_directory_entry_says_is_cut_off():
    """The cap is enforced while reading, not only from ZipInfo.file_size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER}'
                                                     f'</sheetData></worksheet>')
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        reader = spreadsheet._CappedReader(archive.open("xl/worksheets/sheet1.xml"), 100)
        with pytest.raises(spreadsheet.SpreadsheetError):
            reader.read()


def test_parsing_that_takes_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_PARSE_SECONDS", 0)
    data = _xlsx(HEADER + _data_rows(2500, "E"))
    with pytest.raises(spreadsheet.SpreadsheetError, match="Sekunden"):
        spreadsheet.read_rows(io.BytesIO(data), "slow.xlsx")


def test_csv_line_with_a_million_fields_is_refused():
    text = "Jahr;Energieträger;Menge;Einheit\n" + "2024;diesel;5;l" + ";" * 1_000_000 + "\n"
    _result, error, peak, _seconds = _read_measured(text.encode(), "bomb.csv")
    assert error is not None and "länger als" in str(error)
    assert peak < PEAK_LIMIT, peak


def test_csv_columns_beyond_the_header_are_dropped():
    text = "Jahr;Energieträger;Menge;Einheit\n" + "2024;diesel;5;l;" + ";".join("x" * 40) + "\n"
    header, rows = spreadsheet.read_rows(io.BytesIO(text.encode()), "wide.csv")
    assert rows == [(2, ["2024", "diesel", "5", "l"])]


def test_upload_of_a_bomb_answers_a_german_error_and_stores_nothing(org, member):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klimapakt.ghg import services
    from klimapakt.ghg.models import ImportJob

    text = b"<si><t>" + b"x" * 100_000 + b"</t></si>"
    upload = SimpleUploadedFile("bomb.xlsx", _xlsx(HEADER, shared=(text for _ in range(1900))))
    with pytest.raises(ValidationError) as caught:
        services.import_upload(organisation=org, actor=member, upload=upload)
    assert "entpackt zu groß" in caught.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()
