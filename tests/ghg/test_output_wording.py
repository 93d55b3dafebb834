"""Output and wording (issue 12): German names, units, statuses and sources in German pages,
PDFs and spreadsheets; site and evidence in the balance downloads; the method page explains
the second data contract with numbers computed from the data."""

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from klimapakt.ghg import calculation, documents, labels, method_page, services
from klimapakt.ghg.models import Balance
from klimapakt.ghg.selectors import balance_result

# What a German reader must never see: English phrases of the shipped data and internal keys
# (anywhere in the file), and further English words of the data (in the text people read).
FORBIDDEN = ("as cited by", "editions", "estimate", "preliminary", "(natural_gas)", "kWh_hs", "kWh_hi", "pkm)",
             "business_travel")
FORBIDDEN_TEXT = ("commuting", "refrigerant", "Refrigerant", "location-based", "per passenger-km",
                  "computed from the composition", "natural refrigerant", "HFC blend", "2021 analysis", "natural_gas")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _assert_german(text: str, where: str) -> None:
    found = [phrase for phrase in FORBIDDEN if phrase in text]
    found += [phrase for phrase in FORBIDDEN_TEXT if phrase in _visible(text)]
    assert not found, f"{where} shows {found}"


# --- labels.source_text -----------------------------------------------------------------------


def test_source_text_renders_known_english_phrases_in_german():
    assert labels.source_text("Umweltbundesamt, as cited by Deutsche Umwelthilfe", "de") == \
        "Umweltbundesamt, zitiert nach Deutsche Umwelthilfe"
    assert labels.source_text("BAFA, Informationsblatt CO2-Faktoren, editions 2022-2025", "de") == \
        "BAFA, Informationsblatt CO2-Faktoren, Ausgaben 2022–2025"
    assert labels.source_text("Umweltbundesamt, Climate Change 13/2020 (estimate)", "de") == \
        "Umweltbundesamt, Climate Change 13/2020 (hochgerechnet)"
    assert labels.source_text("location-based; direct CO2 per kWh of electricity consumption", "de") == \
        "standortbasiert; direktes CO₂ je kWh Stromverbrauch"
    # English readers read the source as stored; unknown text (an office's own) passes unchanged
    assert labels.source_text("Umweltbundesamt, as cited by Deutsche Umwelthilfe", "en") == \
        "Umweltbundesamt, as cited by Deutsche Umwelthilfe"
    assert labels.source_text("Stadtwerke Krefeld, Zertifikat 2024 (estimate of the HFCs)", "de") == \
        "Stadtwerke Krefeld, Zertifikat 2024 (estimate of the HFCs)"
    assert labels.source_text("", "de") == "" and labels.source_text(None, "de") == ""


def test_every_shipped_source_and_note_reads_german():
    """A new English phrase in the shipped data fails here until source_text knows it."""
    texts = {f.source for f in calculation.shipped_factors()} | {f.note for f in calculation.shipped_factors()}
    texts |= {c.source for c in calculation.conversions_from_csv()}
    english = ("as cited", "edition", "estimate", "preliminary", "analysis", "per ", "computed", "natural ",
               "blend", "location", "ratio", "prefix", "counted", "default", "approximate", "direct ", "incl.")
    for text in texts:
        german = labels.source_text(text, "de")
        assert not [w for w in english if w in german], (text, german)


def test_units_and_statuses_for_people():
    assert labels.unit_label("kWh_hs") == "kWh (Brennwert)" and labels.unit_label("pkm") == "Personenkilometer"
    assert labels.units_text(["kWh_hs", "MWh_hs", "kWh_hi", "m3"]) == "kWh, MWh (Brennwert); kWh (Heizwert); m³"
    assert labels.status_note("final") == "" and labels.status_note("estimate") == "hochgerechnet"
    assert labels.gas_volume_text(Decimal(10000), Decimal("11.2"), Decimal("0.9543")) == \
        "10.000 m³ × 11,2 kWh/m³ × 0,9543 = 106.881,6\u00a0kWh (Brennwert)"
    assert labels.factor_text(Decimal("4728"), "kg") == "4.728 kg CO₂e je kg"
    with translation.override("en"):
        assert labels.unit_label("kWh_hs") == "kWh (gross calorific value)"
        assert labels.status_note("preliminary") == "preliminary"
        assert labels.gas_volume_text(Decimal(10000), Decimal("11.2"), Decimal("0.9543")) == \
            "10,000 m³ × 11.2 kWh/m³ × 0.9543 = 106,881.6\u00a0kWh (gross calorific value)"


def test_conversions_read_as_people_write_them():
    conversion = calculation.Conversion(carrier="*", from_unit="GJ", to_unit="kWh", numerator=Decimal("1000"),
                                        denominator=Decimal("3.6"))
    assert method_page.conversion_text(conversion) == "1 GJ ≈ 277,78 kWh (1.000 ÷ 3,6)"
    exact = calculation.Conversion(carrier="*", from_unit="Wh", to_unit="kWh", numerator=Decimal(1),
                                   denominator=Decimal(1000))
    assert method_page.conversion_text(exact) == "1 Wh = 0,001 kWh (1 ÷ 1.000)"


# --- a balance with a refrigerant, gas in m³ and a travel line ----------------------------------


@pytest.fixture
def mixed_balance(org, member):
    lines = [
        {"carrier": "natural_gas", "quantity": "10000", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
         "z_number": "0.9543", "site": "Werk Nord", "evidence_note": "Gasrechnung Stadtwerke 2024"},
        {"carrier": "electricity", "quantity": "80000", "unit": "kWh", "site": "Werk Nord",
         "evidence_note": "Stromrechnung"},
        {"carrier": "refrigerant", "refrigerant": "R-404A", "quantity": "3", "unit": "kg", "site": "Kühlhaus",
         "evidence_note": "Wartungsprotokoll Kälteanlage"},
        {"carrier": "refrigerant", "refrigerant": "R-407C", "quantity": "2", "unit": "kg", "site": "Büro",
         "evidence_note": "Wartung Klimaanlage"},
        {"carrier": "rail_long_distance", "quantity": "12000", "unit": "pkm", "category": "business_travel",
         "evidence_note": "Reisekostenabrechnung"},
        {"carrier": "car_pkm", "quantity": "63360", "unit": "pkm", "category": "commuting",
         "evidence_note": "Umfrage Arbeitsweg"},
    ]
    for line in lines:
        services.activity_create(organisation=org, year=2024, actor=member, recompute=False, **line)
    return services.balance_compute(organisation=org, year=2024, actor=member)


def _capture_pdf_html(monkeypatch) -> list[str]:
    """The HTML the PDF view hands to WeasyPrint (there is no PDF text extractor installed)."""
    import weasyprint

    printed = []

    class FakeHTML:
        def __init__(self, string, **kwargs):
            printed.append(string)

        def write_pdf(self):
            return b"%PDF-1.7 fake"

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    return printed


def _cells(workbook) -> list:
    return [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]


def test_balance_pdf_shows_site_evidence_and_german_labels(org, member, client_for, mixed_balance, monkeypatch):
    printed = _capture_pdf_html(monkeypatch)
    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html = printed[0]
    for expected in ("<th>Standort</th>", "<th>Nachweis</th>", "Werk Nord", "Wartungsprotokoll Kälteanlage",
                     "Kältemittel R-404A", "Dienstreisen", "Pendeln", "hochgerechnet", "kWh (Brennwert)",
                     "10.000 m³ × 11,2 kWh/m³ × 0,9543 = 106.881,6", "80.000\u00a0kWh", "Personenkilometer",
                     "davon Dienstreisen"):
        assert expected in html, expected
    _assert_german(html, "balance PDF")
    # the chart by carrier sums both refrigerants under one name
    assert html.count(">Kältemittel<") == 2  # the SVG bar label and its table row
    assert "Kältemittel R-407C</text>" not in html


def test_balance_pdf_really_prints(org, member, client_for, mixed_balance):
    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_balance_xlsx_has_site_evidence_and_german_labels(org, member, client_for, mixed_balance):
    response = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = _cells(workbook)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for expected in ("Standort", "Nachweis", "Kategorie", "Stand des Werts", "Werk Nord", "Kühlhaus",
                     "Wartungsprotokoll Kälteanlage", "Kältemittel R-404A", "Dienstreisen", "Pendeln",
                     "hochgerechnet", "Personenkilometer", "m³", "davon Pendeln"):
        assert expected in texts, expected
    _assert_german(" | ".join(texts), "balance XLSX")
    sheet = workbook.active
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Energieträger")
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Erdgas"]
    gas = dict(zip(header, rows[0], strict=True))
    assert gas["Menge"] == 10000 and gas["Brennwert (kWh je m³)"] == 11.2 and gas["Zustandszahl"] == 0.9543
    assert gas["Einheit"] == "m³" and gas["Standort"] == "Werk Nord"
    t_cells = [c for c in cells if c.number_format == "#,##0.000"]
    assert t_cells and all(isinstance(c.value, (int, float)) for c in t_cells)


def test_frozen_balance_downloads_keep_site_evidence_and_refrigerants(world, org, member, client_for,
                                                                      mixed_balance, monkeypatch):
    services.balance_freeze(balance=mixed_balance, actor=world["users"]["office"])
    found = balance_result(organisation=org, year=2024)
    assert found is not None and found.balance.is_frozen
    assert [line.refrigerant for line in found.result.lines if line.refrigerant] == ["R-404A", "R-407C"]
    assert found.result.totals_rounded() == Balance.objects.get(pk=mixed_balance.pk).totals()
    assert found.evidence[2].site == "Kühlhaus" and found.evidence[2].evidence_note == "Wartungsprotokoll Kälteanlage"
    printed = _capture_pdf_html(monkeypatch)
    client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.pdf")
    assert "Wartungsprotokoll Kälteanlage" in printed[0] and "hochgerechnet" in printed[0]


def test_balance_result_queries_do_not_grow_with_lines(org, member, mixed_balance, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = balance_result(organisation=org, year=2024)
    assert len(found.result.lines) == len(found.evidence) == 6


def test_balance_page_context_words_lines_for_people(org, mixed_balance):
    from klimapakt.ghg.selectors import balance_for

    context = documents.balance_context(balance_for(organisation=org, year=2024), language="de")
    gas = context["lines"][0].label
    assert gas.quantity_text == "10.000\u00a0m³" and gas.volume_text.endswith("kWh (Brennwert)")
    assert [name for name, _v in context["carrier_items"]].count("Kältemittel") == 1
    assert context["lines"][1].label.status == "hochgerechnet"
    assert context["lines"][4].label.category == "Dienstreisen"
    assert context["lines"][2].label.evidence == "Wartungsprotokoll Kälteanlage"
    with translation.override("en"):
        english = documents.balance_context(balance_for(organisation=org, year=2024), language="en")
    assert english["lines"][2].label.name == "Refrigerant R-404A"
    assert "Refrigerant" in [name for name, _v in english["carrier_items"]]


def test_english_downloads_speak_english(org, member, client_for, mixed_balance, monkeypatch):
    printed = _capture_pdf_html(monkeypatch)
    client_for(member).get(f"/en/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.pdf")
    html = printed[0]
    for expected in ("<th>Site</th>", "<th>Evidence</th>", "Refrigerant R-404A", "Business travel", "Commuting",
                     "estimated", "kWh (gross calorific value)", "10,000 m³ × 11.2 kWh/m³ × 0.9543 = 106,881.6"):
        assert expected in html, expected
    for german in ("Kältemittel", "Dienstreisen", "Brennwert", "hochgerechnet", "Standort"):
        assert german not in html, german


# --- calculator ---------------------------------------------------------------------------------


def test_calculator_result_speaks_german_and_has_no_evidence_columns(db, client):
    data = {"year": "2024", "natural_gas": "250.000", "electricity": "80000", "diesel": "4000"}
    html = client.post("/co2-rechner/", data).content.decode()
    assert "250.000\u00a0kWh (Brennwert)" in html and "4.000\u00a0Liter" in html
    assert "zitiert nach Deutsche Umwelthilfe" in html and "Ausgaben 2022–2025" in html
    assert ">Standort<" not in html
    result = html[html.index('id="result-heading"'):]
    _assert_german(result[:result.index("</section>")], "calculator result")
    workbook = load_workbook(io.BytesIO(client.post("/co2-rechner/", data | {"format": "xlsx"}).content))
    _assert_german(" | ".join(str(c.value) for c in _cells(workbook)), "calculator XLSX")


# --- the method page ----------------------------------------------------------------------------


def test_method_page_explains_the_second_contract(db, client, django_assert_max_num_queries):
    client.get("/wie-wir-rechnen/")  # warm the factor table and the pact
    with django_assert_max_num_queries(8):
        response = client.get("/wie-wir-rechnen/?jahr=1990")
    html = response.content.decode()
    assert response.status_code == 200
    applying = html[html.index('id="factors-year"'):html.index('id="strommix"')]
    assert "0,764 kg je kWh" in applying and "1990, endgültig" in applying
    grid = html[html.index('id="grid-years"'):html.index('id="ausgaben"')]
    assert grid.count("<tr") == 1 + 35 and "hochgerechnet" in grid and "vorläufig" in grid
    assert "Strommix 1990–2024, Umweltbundesamt Climate Change 13/2025" in html  # the edition, with its date
    assert "0,23 × 771 + 0,25 × 3.740 + 0,52 × 1.530 = 1.907,93" in html
    assert "19,0793 t CO₂e, angezeigt als 19,079 t CO₂e" in html
    assert "sie sind nicht null" in html and "außerhalb der Scopes" in html  # rule 9
    assert "zählen nur CO₂" in html and "„t CO₂e“" in html  # rule 10
    assert "10.000 m³ × 11,2 kWh/m³ × 0,9543 = 106.881,6" in html  # rule 6
    assert "einfache Entfernung × 2" in html and "Auslandsflüge und Hotelübernachtungen" in html  # rule 8
    assert "1 GJ ≈ 277,78 kWh (1.000 ÷ 3,6)" in html and "1.000 / 3,6" not in html
    assert '<option value="1990" selected>' in html
    _assert_german(html, "method page")


def test_method_page_flags_a_fallback_year(db, client):
    html = client.get("/wie-wir-rechnen/?jahr=2025").content.decode()
    assert 'id="grid-fallback"' in html and "der von 2024 (hochgerechnet)" in html
    applying = html[html.index('id="factors-year"'):html.index('id="strommix"')]
    assert "2024, hochgerechnet – <strong>neuester verfügbarer Wert</strong>" in applying
    assert 'id="grid-fallback"' not in client.get("/wie-wir-rechnen/?jahr=2024").content.decode()
    assert client.get("/wie-wir-rechnen/?jahr=1066").status_code == 200  # clamped to 1990


def test_method_page_shows_the_year_it_was_clamped_to_as_chosen(db, client):
    """?jahr=99999 showed next year's factors while the year picker offered no such year (it
    selected nothing, so the form named another year than the page)."""
    import datetime
    latest = datetime.date.today().year + 1
    for asked in ("99999", str(latest)):
        html = client.get(f"/wie-wir-rechnen/?jahr={asked}").content.decode()
        assert f'<option value="{latest}" selected>' in html, asked


def test_method_page_in_english(db, client):
    html = client.get("/en/wie-wir-rechnen/?jahr=2024").content.decode()
    for expected in ("How we calculate", "Refrigerant R-404A", "kWh (gross calorific value)", "estimated",
                     "Business travel and commuting", "Natural gas"):
        assert expected in html, expected
    for german in ("Kältemittel", "kWh (Brennwert)", "hochgerechnet", "Erdgas", "Dienstreisen", "Faktoren für"):
        assert german not in html, german  # ("Brennwert" itself is in the shipped English source of Hs/Hi)


def test_method_page_tables_have_captions_and_headers(db, client):
    html = client.get("/wie-wir-rechnen/").content.decode()
    assert html.count("<table") == html.count("<caption") == 7
    assert html.count('<th scope="col"') >= 7 * 2


# --- the demo -----------------------------------------------------------------------------------


def test_no_german_output_of_the_demo_shows_keys_or_english(world, client_for, monkeypatch):
    from klimapakt.ghg import demo
    from klimapakt.partners.models import Organisation

    org, member = world["org_a"], world["users"]["member_a"]
    Organisation.objects.filter(pk=org.pk).update(stage=Organisation.Stage.ACTIVE)
    demo.load(world["pact"])
    client = client_for(member)
    printed = _capture_pdf_html(monkeypatch)
    for year in demo.YEARS:
        base = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/{year}/"
        client.get(base + "bilanz.pdf")
        workbook = load_workbook(io.BytesIO(client.get(base + "bilanz.xlsx").content))
        _assert_german(" | ".join(str(c.value) for c in _cells(workbook)), f"XLSX {year}")
    assert len(printed) == len(demo.YEARS)
    for html in printed:
        _assert_german(html, "demo PDF")
    for year in ("1990", "2024", "2025"):
        _assert_german(client.get(f"/wie-wir-rechnen/?jahr={year}").content.decode(), f"method page {year}")


def test_the_balance_page_reads_german_without_keys_ids_or_english_sources(world, client_for):
    from klimapakt.ghg.services import activity_create

    org, member = world["org_a"], world["users"]["member_a"]
    for line in ({"carrier": "diesel", "quantity": "100", "unit": "l"},
                 {"carrier": "natural_gas", "quantity": "250000", "unit": "kWh_hs"},
                 {"carrier": "refrigerant", "quantity": "2", "unit": "kg", "refrigerant": "R-404A"},
                 {"carrier": "rail_long_distance", "quantity": "15800", "unit": "pkm", "category": "business_travel"},
                 {"carrier": "natural_gas", "quantity": "1850", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
                  "z_number": "0.9543"}):
        activity_create(organisation=org, year=2024, actor=member, **line)
    html = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/").content.decode()
    for phrase in ("as cited by", "editions", "computed from", "Faktor-Nr", "kWh_hs", "kWh_hi", "business_travel",
                   "(natural_gas)"):
        assert phrase not in html, phrase
    assert "zitiert nach" in html and "Kältemittel R-404A" in html and "Dienstreisen" in html
    assert "kWh (Brennwert)" in html and "× 11,2" in html


def test_balance_pdf_of_a_very_large_balance_lists_a_bounded_number_of_lines_and_notes(db):
    """A balance may hold 50,000 lines; its PDF printed every line and every line's note (25,000
    list items for 12,500 electricity lines: minutes of a worker and gigabytes). The PDF lists
    the first 500 lines like the page, names how many more the XLSX holds, and bounds the notes."""
    from klimapakt.ghg.selectors import factor_table

    lines = [{"carrier": "electricity", "quantity": "1000", "unit": "kWh"}] * 1200
    result = calculation.calculate(factor_table(), 2025, lines)  # 2025: a fallback year, two notes per line
    assert len(result.warnings) == 2400
    html = documents.result_html(result, title="Bilanz", evidence=[None] * 1200)
    assert html.count(" (Scope 2)") == documents.MAX_LINES_PRINTED == 500
    assert "… und 700 weitere Zeilen. Alle Zeilen enthält die Tabelle (XLSX)." in html
    assert html.count("<li>") == documents.MAX_NOTES_PRINTED
    assert "… und 2300 weitere Hinweise." in html
    with translation.override("en"):
        english = documents.result_html(result, title="Balance", evidence=[None] * 1200, language="en")
    assert "… and 700 more lines. The spreadsheet (XLSX) contains every line." in english
    assert "… and 2300 more notes." in english
