"""Spreadsheets: reading and validating an upload completely (every error by row and column),
the rows an import job stores, and the entry points of the template (``import_template``) and
of the XLSX export of a result (``documents``). No Django models here except through the
arguments."""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calculation
from .fields import latest_balance_year
from .fields import localized_number as read_grouped

# Bounds of an upload (docs/ghg.md, "Bounds"): a small hostile file must not take the worker.
MAX_ROWS = 50_000                 # rows with data
MAX_SHEET_ROWS = 2 * MAX_ROWS     # rows read in all, empty ones included
MAX_FILE_BYTES = 15 * 2**20       # the upload as sent
MAX_MEMBER_BYTES = 40 * 2**20     # unpacked size of the worksheet or the shared strings of an XLSX
MAX_SMALL_PART_BYTES = 2**20      # unpacked size of workbook.xml and its relations
MAX_SHARED_STRINGS = 400_000      # texts in the shared strings of an XLSX
MAX_SHARED_CHARS = 8_000_000      # characters of all shared strings together
MAX_COLUMNS = 32                  # cells right of this column are ignored (the template has 11)
MAX_LINE_CHARS = 65_536           # one line of a CSV
MAX_PARSE_SECONDS = 30            # reading and checking the rows

# (key, German header, English header)
COLUMNS = [
    ("year", gettext_lazy("Jahr"), "year"),
    ("carrier", gettext_lazy("Energieträger"), "carrier"),
    ("quantity", gettext_lazy("Menge"), "quantity"),
    ("unit", gettext_lazy("Einheit"), "unit"),
    ("site", gettext_lazy("Standort"), "site"),
    ("supplier_factor", gettext_lazy("Faktor des Lieferanten (kg CO2 je kWh)"), "supplier_factor_kg_per_kwh"),
    ("evidence_note", gettext_lazy("Nachweis"), "evidence_note"),
    # the second data contract (rules 6-8), appended so that older files still import
    ("refrigerant", gettext_lazy("Kältemittel"), "refrigerant"),
    ("category", gettext_lazy("Kategorie"), "category"),
    ("calorific_value_kwh_per_m3", gettext_lazy("Brennwert (kWh je m³)"), "calorific_value_kwh_per_m3"),
    ("z_number", gettext_lazy("Zustandszahl"), "z_number"),
]
REQUIRED = ("year", "carrier", "quantity", "unit")
_NUMBERS = {"year", "quantity", "supplier_factor", "calorific_value_kwh_per_m3", "z_number"}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEADER_ALIASES = {  # besides the keys and the German and English headers (header_aliases)
    "energietraeger": "carrier", "faktor des lieferanten": "supplier_factor", "kaeltemittel": "refrigerant",
    "brennwert": "calorific_value_kwh_per_m3", "brennwert (kwh je m3)": "calorific_value_kwh_per_m3",
    "calorific value": "calorific_value_kwh_per_m3", "z-zahl": "z_number", "z-number": "z_number",
}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, no header row, too large)."""


@dataclass
class RowError:
    row: int
    column: str | None
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    year: int
    carrier: str
    quantity: Decimal
    unit: str
    site: str
    supplier_factor: Decimal | None
    evidence_note: str
    refrigerant: str = ""
    category: str = ""
    calorific_value_kwh_per_m3: Decimal | None = None
    z_number: Decimal | None = None


def job_row(row: ParsedRow) -> list:
    """A validated row as an import job stores it (JSON): the row number, then the values in the
    order of COLUMNS, numbers as exact decimal text. Jobs stored before the last four columns
    existed hold shorter rows; ``job_values`` reads both."""
    def text(value):
        return None if value is None else str(value)
    return [row.row, row.year, row.carrier, str(row.quantity), row.unit, row.site, text(row.supplier_factor),
            row.evidence_note, row.refrigerant, row.category, text(row.calorific_value_kwh_per_m3),
            text(row.z_number)]


def job_values(stored: list) -> list:
    """The values of a stored job row in the order of COLUMNS, a shorter (older) row padded
    with blanks: "" for text, None for numbers."""
    values = list(stored[1:1 + len(COLUMNS)])
    return values + [None if key in _NUMBERS else "" for key, _l, _e in COLUMNS[len(values):]]


def job_sheet(stored_rows: list[list]) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """Stored job rows as (header, rows) for ``validate`` (with ``grouping=False``: the numbers
    are decimal text, "1.250" is one and a quarter)."""
    return ({key: i for i, (key, _l, _e) in enumerate(COLUMNS)},
            [(row[0], job_values(row)) for row in stored_rows])


def header_aliases() -> dict[str, str]:
    """Header text (lower case) -> column key: the keys, the API names, and the headers in German
    and English as the template writes them."""
    from django.utils.translation import override

    aliases = dict(HEADER_ALIASES)
    for key, label, api_name in COLUMNS:
        aliases.setdefault(key, key)
        aliases.setdefault(api_name, key)
        for language in ("de", "en"):
            with override(language):
                aliases.setdefault(str(label).strip().lower(), key)
    return aliases


@dataclass
class Validation:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    results: dict[int, calculation.Result] = field(default_factory=dict)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _carrier_lookup(table: calculation.FactorTable) -> dict[str, str]:
    lookup = {}
    for carrier in table.carriers():
        info = table.carrier_info(carrier)
        for name in (carrier, info.name_de, info.name_en):
            if name:
                lookup[name.strip().lower()] = carrier
    return lookup


def read_rows(upload, filename: str) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """(column key -> index, [(spreadsheet row number, values)]) from an XLSX or CSV upload.

    Every dimension is bounded, so a small hostile file cannot take the worker's memory or time:
    the file size, the unpacked size of each XLSX part, the shared strings (count and
    characters), the columns (cells beyond MAX_COLUMNS are ignored), the rows and the time
    (MAX_PARSE_SECONDS); each bound answers a SpreadsheetError with a German message."""
    name = filename.lower()
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise SpreadsheetError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": MAX_FILE_BYTES // 2**20})
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetError(_("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": MAX_FILE_BYTES // 2**20})
    deadline = time.monotonic() + MAX_PARSE_SECONDS
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise SpreadsheetError(_("Die Datei ist keine gültige XLSX-Datei."))
        raw = _guarded(_xlsx_first_sheet(data, deadline=deadline))
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise SpreadsheetError(_("Die CSV-Datei ist nicht als UTF-8 gespeichert.")) from None
        del data
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        raw = _csv_rows(text, delimiter)
    else:
        raise SpreadsheetError(_("Bitte laden Sie eine XLSX- oder CSV-Datei hoch."))
    header = None
    rows = []
    aliases = header_aliases()
    for count, (number, values) in enumerate(raw):
        if count % 1000 == 0:
            _check_deadline(deadline)
        if count > MAX_SHEET_ROWS:
            raise _too_many_rows()
        values = list(values[:MAX_COLUMNS])
        if header is None:
            if not any(_cell_text(v) for v in values):
                continue
            header = {}
            for index, value in enumerate(values):
                key = aliases.get(_cell_text(value).lower())
                if key and key not in header:
                    header[key] = index
            missing = [str(label) for key, label, _en in COLUMNS if key in REQUIRED and key not in header]
            if missing:
                raise SpreadsheetError(
                    _("In der ersten Zeile fehlen die Spalten: %(columns)s. Bitte verwenden Sie die Vorlage.")
                    % {"columns": ", ".join(missing)})
            width = max(header.values()) + 1
            continue
        values = values[:width]  # cells right of the known columns are not read
        if not any(_cell_text(v) for v in values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    if header is None:
        raise SpreadsheetError(_("Die Datei enthält keine Kopfzeile."))
    return header, rows


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(_("Die Datei hat mehr als %(n)s Zeilen.") % {"n": MAX_ROWS})


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise SpreadsheetError(_("Die Datei konnte nicht in %(seconds)s Sekunden gelesen werden. Bitte teilen Sie "
                                 "sie in kleinere Dateien auf.") % {"seconds": MAX_PARSE_SECONDS})


def _guarded(rows):
    """The XLSX rows; any parser failure other than a bound means: not a readable workbook."""
    try:
        yield from rows
    except SpreadsheetError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means: not a readable workbook
        raise SpreadsheetError(_("Die Datei ist keine gültige XLSX-Datei.")) from None


def _csv_rows(text: str, delimiter: str):
    """(line number, values) of a CSV text, read line by line; a line longer than
    MAX_LINE_CHARS (thousands of empty fields, say) is refused before it is split."""

    def lines():
        for line in io.StringIO(text, newline=""):
            if len(line) > MAX_LINE_CHARS:
                raise SpreadsheetError(_("Eine Zeile der CSV-Datei ist länger als %(n)s Zeichen.")
                                       % {"n": MAX_LINE_CHARS})
            yield line

    try:
        yield from enumerate(csv.reader(lines(), delimiter=delimiter), start=1)
    except csv.Error as error:  # e.g. a stray carriage return or NUL byte in a field
        raise SpreadsheetError(_("Die CSV-Datei ist nicht lesbar (%(error)s).") % {"error": error}) from None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _column_index(ref: str) -> int:
    """0-based column of a cell reference ("C7" -> 2); at most MAX_COLUMNS + 1 letters read,
    so "ZZZZZZZZ…1" costs nothing and lands beyond MAX_COLUMNS."""
    index = 0
    for char in ref[:4]:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


class _CappedReader(io.RawIOBase):
    """A zip member read with a cap: more than `limit` unpacked bytes is an error, whatever the
    archive's directory claims."""

    def __init__(self, handle, limit: int):
        self.handle, self.left = handle, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.handle.read(min(len(buffer), self.left + 1))
        if len(chunk) > self.left:
            raise _unpacked_too_large()
        self.left -= len(chunk)
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _unpacked_too_large() -> SpreadsheetError:
    return SpreadsheetError(_("Die Datei ist entpackt zu groß (höchstens %(mb)s MB je Tabellenteil).")
                            % {"mb": MAX_MEMBER_BYTES // 2**20})


def _open_member(archive, name: str, limit: int = MAX_MEMBER_BYTES):
    info = archive.getinfo(name)
    if info.file_size > limit:  # checked before a byte is unpacked
        raise _unpacked_too_large()
    return io.BufferedReader(_CappedReader(archive.open(info), limit), buffer_size=64 * 1024)


def _shared_strings(archive, deadline: float) -> list[str]:
    """The workbook's shared strings, streamed: at most MAX_SHARED_STRINGS strings and
    MAX_SHARED_CHARS characters in all (a 485 KB file can unpack to 190 MB of them)."""
    from xml.etree import ElementTree as ET

    strings: list[str] = []
    chars = 0
    with _open_member(archive, "xl/sharedStrings.xml") as handle:
        root = None
        for event, element in ET.iterparse(handle, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag != f"{_MAIN}si":
                continue
            text = "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))
            chars += len(text)
            strings.append(text)
            root.clear()  # the parsed strings are not kept twice
            if len(strings) % 1000 == 0:
                _check_deadline(deadline)
            if len(strings) > MAX_SHARED_STRINGS or chars > MAX_SHARED_CHARS:
                raise SpreadsheetError(_("Die Datei enthält zu viel Text (höchstens %(n)s Texte mit zusammen "
                                         "%(chars)s Zeichen).") % {"n": MAX_SHARED_STRINGS, "chars": MAX_SHARED_CHARS})
    return strings


def _xlsx_first_sheet(data: bytes, *, deadline: float):
    """(row number, [cell texts]) of the first worksheet, read straight from the XML with the
    C parser: several times faster than openpyxl for 10,000 rows, and numbers stay the exact
    decimal text that is stored in the file (no float in between). Streamed and bounded: the
    parts' unpacked size, the shared strings, the columns (only the first MAX_COLUMNS),
    the rows (MAX_SHEET_ROWS, empty ones included) and the time."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if len(names) > 1000:
            raise SpreadsheetError(_("Die Datei ist keine gültige XLSX-Datei."))
        sheet_path = "xl/worksheets/sheet1.xml"
        if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
            with _open_member(archive, "xl/workbook.xml", MAX_SMALL_PART_BYTES) as handle:
                workbook = ET.parse(handle).getroot()
            first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
            with _open_member(archive, "xl/_rels/workbook.xml.rels", MAX_SMALL_PART_BYTES) as handle:
                rels = ET.parse(handle).getroot()
            if first is not None:
                rid = first.get(f"{_REL}id")
                for rel in rels:
                    if rel.get("Id") == rid:
                        target = rel.get("Target", "")
                        sheet_path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                            posixpath.join("xl", target))
        strings = _shared_strings(archive, deadline) if "xl/sharedStrings.xml" in names else []
        with _open_member(archive, sheet_path) as handle:
            next_number = 1
            count = 0
            parent = None
            for event, element in ET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    if element.tag == f"{_MAIN}sheetData":
                        parent = element
                    continue
                if element.tag != f"{_MAIN}row":
                    continue
                count += 1
                if count > MAX_SHEET_ROWS:
                    raise _too_many_rows()
                if count % 1000 == 0:
                    _check_deadline(deadline)
                number = int(element.get("r") or next_number)
                next_number = number + 1
                values: list = []
                for cell in element.iter(f"{_MAIN}c"):
                    ref = cell.get("r")
                    position = _column_index(ref) if ref else len(values)
                    if position < 0:
                        position = len(values)
                    if position >= MAX_COLUMNS:
                        continue  # beyond every known column: ignored, never padded to
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        value = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
                    else:
                        v = cell.find(f"{_MAIN}v")
                        value = v.text if v is not None else None
                        if kind == "s" and value is not None:
                            value = strings[int(value)]
                        elif kind == "b" and value is not None:
                            value = "TRUE" if value == "1" else "FALSE"
                    if position >= len(values):
                        values.extend([None] * (position - len(values) + 1))
                    values[position] = value
                element.clear()
                if parent is not None:
                    parent.clear()  # drop the finished rows from the tree as well
                yield number, values


def _names(table: calculation.FactorTable) -> tuple[dict[str, str], dict[str, str]]:
    """(unit name -> unit, category name -> category): a cell may name a unit or a category the
    way the template and the pages do, in German or English ("kWh (Brennwert)", "Dienstreisen")."""
    from django.utils.translation import override

    from .labels import CATEGORY_LABELS, unit_label

    units: dict[str, str] = {}
    categories = {key: key for key in calculation.CATEGORIES} | {"": "", "keine angabe": "", "none": ""}
    for language in ("de", "en"):
        with override(language):
            for unit in sorted(table.units):
                units.setdefault(unit_label(unit).lower(), unit)
            for key, name in CATEGORY_LABELS.items():
                categories.setdefault(str(name).lower(), key)
    return units, categories


def validate(header: dict[str, int], rows: list[tuple[int, list]], table: calculation.FactorTable, *,
             frozen_years: set[int] = frozenset(), grouping: bool = True) -> Validation:
    """Check every row; collect every error with row and column. Rows are grouped by year and
    run through the calculation, which yields the preview at the same time. ``grouping``: read
    quantities with the digit grouping of the person's language ("80.000" in German); off for
    rows an import job stored (decimal text)."""
    out = Validation()
    column_of = {key: LETTERS[i] if i < 26 else f"#{i + 1}" for key, i in header.items()}
    label = {key: str(lbl) for key, lbl, _en in COLUMNS}
    carriers = _carrier_lookup(table)
    units, categories = _names(table)

    def err(row, key, message):
        out.errors.append(RowError(row=row, column=column_of.get(key), field=label.get(key, key), message=message))

    def get(values, key):
        index = header.get(key)
        return _cell_text(values[index]) if index is not None and index < len(values) else ""

    by_year: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    meta: dict[int, tuple[str, str]] = {}
    rejected: set[int] = set()
    def localized_number(text):
        return read_grouped(text) if grouping and text else text

    for number, values in rows:
        year_text = get(values, "year")
        year = None
        parsed = calculation.parse_decimal(year_text)
        if not year_text:
            err(number, "year", _("Bitte geben Sie das Jahr an."))
        elif parsed is None or parsed != parsed.to_integral_value() or not (
                calculation.MIN_YEAR <= parsed <= latest_balance_year()):
            err(number, "year", _("„%(value)s“ ist kein gültiges Jahr.") % {"value": year_text[:20]})
        else:
            year = int(parsed)
            if year in frozen_years:
                err(number, "year", _("Die Bilanz %(year)s ist eingefroren und kann nicht mehr geändert werden.")
                    % {"year": year})
                year = None
        carrier_text = get(values, "carrier")
        carrier = carriers.get(carrier_text.lower(), carrier_text)
        site, note = get(values, "site"), get(values, "evidence_note")
        if len(site) > 200:
            err(number, "site", _("Höchstens 200 Zeichen."))
        category_text = get(values, "category")
        category = categories.get(category_text.lower())
        if category is None:
            err(number, "category", _("Unbekannte Kategorie „%(value)s“. Möglich: Dienstreisen, Pendeln oder leer.")
                % {"value": category_text[:40]})
            rejected.add(number)
        if year is None:
            continue
        unit_text = get(values, "unit")
        refrigerant = get(values, "refrigerant").split("(")[0].strip()  # "R-32 (Difluormethan)" as in the list
        line = {"carrier": carrier, "quantity": localized_number(get(values, "quantity")),
                "unit": units.get(unit_text.lower(), unit_text),
                "supplier_factor_kg_per_kwh": localized_number(get(values, "supplier_factor")) or None,
                "refrigerant": refrigerant or None, "category": category or None,
                # Brennwert (about 11) and Zustandszahl (about 0.95) are never grouped: "11.254" is a decimal
                "calorific_value_kwh_per_m3": get(values, "calorific_value_kwh_per_m3") or None,
                "z_number": get(values, "z_number") or None}
        by_year[year].append((number, line))
        meta[number] = (site[:200], note)
    for year, items in sorted(by_year.items()):
        try:
            result = calculation.calculate(table, year, [line for _n, line in items])
        except calculation.CalculationError as error:
            for message in error.errors:
                number = items[message.line][0] if message.line is not None else 0
                key = {"supplier_factor_kg_per_kwh": "supplier_factor"}.get(message.field, message.field)
                err(number, key, message.message(_))
            continue
        out.results[year] = result
        for (number, _line), line in zip(items, result.lines, strict=True):
            too_precise = [key for key, value in (
                ("quantity", line.quantity), ("supplier_factor", line.supplier_factor_kg_per_kwh),
                ("calorific_value_kwh_per_m3", line.calorific_value_kwh_per_m3), ("z_number", line.z_number))
                if value is not None and value != value.quantize(Decimal("0.000001"))]
            for key in too_precise:
                err(number, key, _("Bitte höchstens 6 Nachkommastellen angeben."))
            if too_precise or number in rejected:
                continue
            site, note = meta[number]
            out.rows.append(ParsedRow(
                row=number, year=year, carrier=line.carrier, quantity=line.quantity, unit=line.unit, site=site,
                supplier_factor=line.supplier_factor_kg_per_kwh, evidence_note=note, refrigerant=line.refrigerant,
                category=line.category, calorific_value_kwh_per_m3=line.calorific_value_kwh_per_m3,
                z_number=line.z_number))
    out.errors.sort(key=lambda e: (e.row, e.column or ""))
    return out


# --- Writing ---------------------------------------------------------------------------


def _styles():
    from openpyxl.styles import Font, PatternFill

    return Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1B6E3A")


def template_workbook(table: calculation.FactorTable, *, year: int, language: str = "de"):
    """The import template as a workbook (built in ``import_template``)."""
    from .import_template import workbook

    return workbook(table, year=year, language=language)


def template_header() -> list[str]:
    return [str(label) for _k, label, _en in COLUMNS]


def template_rows(*, year: int) -> list[list]:
    """The example rows of the CSV template (core.responses.csv_download writes them): keys, which
    read the same in every language; the new columns empty."""
    blank = [""] * (len(COLUMNS) - 7)
    return [[year, "natural_gas", "250000", "kWh_hs", "", "", _("Gasrechnung"), *blank],
            [year, "electricity", "80000", "kWh", "", "", _("Stromrechnung"), *blank],
            [year, "diesel", "4000", "l", "", "", _("Tankkarte"), *blank]]


def result_workbook(result: calculation.Result, *, title: str, language: str = "de", evidence=None):
    """The balance (lines with factors and sources, totals) as a workbook: numbers as numbers,
    every name, unit, status and source worded for people. ``evidence``: per line its site and
    evidence (``selectors.balance_result``); the calculator has none. Built next to the PDF, in
    ``documents.result_workbook``, from the same lines."""
    from .documents import result_workbook as build

    return build(result, title=title, language=language, evidence=evidence)


def header_styles():
    """The header cells' font and fill of every workbook of the balance."""
    return _styles()


def totals_labels() -> dict:
    return {
        "scope1": gettext_lazy("Scope 1"),
        "scope2_location": gettext_lazy("Scope 2 (standortbasiert)"),
        "scope2_market": gettext_lazy("Scope 2 (marktbasiert)"),
        "scope3": gettext_lazy("Scope 3"),
        "total_location": gettext_lazy("Gesamt (standortbasiert)"),
        "total_market": gettext_lazy("Gesamt (marktbasiert)"),
    }
