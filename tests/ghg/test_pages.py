"""Public pages (method, calculator with downloads) and the guided entry of a partner."""

import io
from decimal import Decimal

from klimapakt.ghg.models import ActivityLine, Balance, EmissionFactor


def test_method_page_lists_every_factor_with_source(db, client):
    response = client.get("/wie-wir-rechnen/?jahr=2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Informationsblatt CO2-Faktoren" in html and "Climate Change 13/2025" in html
    assert html.count("<tr>") >= 19 + 13
    assert client.get("/wie-wir-rechnen/?jahr=abc").status_code == 200
    assert client.get("/en/wie-wir-rechnen/").status_code == 200


def test_calculator_computes_without_storing_anything(db, client):
    data = {"year": "2024", "natural_gas": "250.000", "electricity": "80000", "diesel": "4000"}
    response = client.post("/co2-rechner/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "84,890" in html and "45,270" in html and "Klimapartner" in html
    assert not ActivityLine.objects.exists() and not Balance.objects.exists()
    pdf = client.post("/co2-rechner/", data | {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.post("/co2-rechner/", data | {"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("Gesamt (standortbasiert)", 84.89) in [(r[0], r[1]) for r in values if r and r[0]]


def test_calculator_shows_field_errors(db, client):
    response = client.post("/co2-rechner/", {"year": "2024", "natural_gas": "-5", "electricity": "viel",
                                             "green_electricity": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "nicht negativ" in html and "keine Zahl" in html and "Stromkennzeichnung" in html
    assert client.post("/co2-rechner/", {"year": "2024"}).status_code == 200
    assert client.post("/co2-rechner/", {"year": "1066", "diesel": "1"}).status_code == 200


def test_guided_entry_stores_lines_as_on_the_bill(world, client_for):
    org, member = world["org_a"], world["users"]["member_a"]
    client = client_for(member)
    url = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/erfassen/"
    response = client.post(url, {"natural_gas": "250.000", "electricity": "80.000", "green_electricity": "on",
                                 "electricity_supplier_factor": "0", "diesel": "4000", "evidence_note": "Rechnungen"})
    assert response.status_code == 302
    lines = {a.carrier: a for a in ActivityLine.objects.filter(organisation=org, year=2024)}
    assert lines["natural_gas"].unit == "kWh_hs" and lines["natural_gas"].quantity == Decimal("250000")
    assert lines["electricity"].supplier_factor == Decimal("0")
    balance = Balance.objects.get(organisation=org, year=2024)
    assert balance.total_location_t == Decimal("84.890") and balance.scope2_market_t == Decimal("0.000")
    page = client.get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/").content.decode()
    assert "84,890" in page and "<svg" in page and 'id="totals"' in page
    assert client.get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/bilanz.pdf").content.startswith(b"%PDF")


def test_guided_entry_without_any_value_is_an_error(world, client_for):
    org = world["org_a"]
    response = client_for(world["users"]["member_a"]).post(
        f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/erfassen/", {})
    assert response.status_code == 200 and "mindestens einen Verbrauch" in response.content.decode()


def test_office_creates_a_new_edition_in_the_back_office(world, client_for):
    office = client_for(world["users"]["office"])
    factor = EmissionFactor.objects.get(carrier="petrol")
    response = office.post(f"/geschaeftsstelle/emissionsfaktoren/{factor.pk}/neue-ausgabe/",
                           {"value": "2,4", "source": "UBA 2026", "note": ""})
    assert response.status_code == 302
    assert EmissionFactor.objects.get(carrier="petrol", is_current=True).value == Decimal("2.4")
    assert "Emissionsfaktoren" in office.get("/geschaeftsstelle/emissionsfaktoren/").content.decode()


def test_navigation_links_to_calculator_and_method(pact, client):
    html = client.get("/").content.decode()
    assert "/co2-rechner/" in html and "/wie-wir-rechnen/" in html


def test_import_pages_show_errors_then_preview_then_import(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    org = world["org_a"]
    client = client_for(world["users"]["member_a"])
    base = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/"
    bad = SimpleUploadedFile("d.csv", "Jahr;Energieträger;Menge;Einheit\n2024;Erdgas;1;kWh\n2024;diesel;x;l\n"
                             .encode(), content_type="text/csv")
    response = client.post(base + "import/", {"file": bad}, follow=True)
    html = response.content.decode()
    assert "enthält 2 Fehler" in html and "kWh_hs" in html and 'id="import-errors"' in html
    good = SimpleUploadedFile("d.csv", "Jahr;Energieträger;Menge;Einheit\n2024;Erdgas;250000;kWh_hs\n".encode(),
                              content_type="text/csv")
    response = client.post(base + "import/", {"file": good}, follow=True)
    assert 'id="import-preview"' in response.content.decode()
    assert not ActivityLine.objects.filter(organisation=org).exists()
    response = client.post(response.redirect_chain[-1][0], follow=True)
    assert response.redirect_chain[-1][0].endswith("/co2-bilanz/2024/")
    assert "1 Zeile wurde importiert." in response.content.decode()
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("45.270")
    wrong = SimpleUploadedFile("d.txt", b"hello", content_type="text/plain")
    response = client.post(base + "import/", {"file": wrong})
    assert response.status_code == 200 and "XLSX- oder CSV-Datei" in response.content.decode()


def test_overview_shows_development_and_target_path(world, client_for):
    from klimapakt.ghg.services import activity_create
    from klimapakt.partners.models import Target

    org, member = world["org_a"], world["users"]["member_a"]
    for year, litres in ((2022, "4000"), (2023, "3000"), (2024, "2000")):
        activity_create(organisation=org, year=year, carrier="diesel", quantity=litres, unit="l", actor=member)
    Target.objects.create(organisation=org, base_year=2022, target_year=2030, reduction_percent=Decimal("50"))
    html = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/").content.decode()
    assert "<polyline" in html and "Zielpfad" in html and 'id="balances"' in html
    assert "10,580" in html and "5,290" in html


def test_office_adds_a_scope3_factor_and_the_guided_form_offers_it(world, client_for):
    office = client_for(world["users"]["office"])
    response = office.post("/geschaeftsstelle/emissionsfaktoren/neu/", {
        "carrier": "business_travel_rail", "name_de": "Bahnreisen", "name_en": "Rail travel", "scope": "3",
        "unit": "pkm", "value": "0,029", "year": "", "source": "UBA TREMOD 2024", "note": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    org, member = world["org_a"], world["users"]["member_a"]
    client = client_for(member)
    url = f"/mein-bereich/organisation/{org.pk}/co2-bilanz/2024/erfassen/"
    page = client.get(url).content.decode()
    assert "Bahnreisen (Personenkilometer)" in page and "(pkm)" not in page  # the unit for people, not its key
    assert client.post(url, {"scope3_business_travel_rail": "10000"}).status_code == 302
    assert Balance.objects.get(organisation=org, year=2024).scope3_t == Decimal("0.290")
    assert "Bahnreisen" in client_for(None).get("/wie-wir-rechnen/?jahr=2024").content.decode()


def test_office_factor_values_read_german_grouping(world, client_for):
    """A German GWP "3.922" is three thousand nine hundred and twenty-two; "0,363" and a decimal
    "0.363" are both 0.363 (a grouped number never starts with 0)."""
    office = client_for(world["users"]["office"])
    r32 = EmissionFactor.objects.get(carrier="refrigerant", variant="R-32", is_current=True)
    response = office.post(f"/geschaeftsstelle/emissionsfaktoren/{r32.pk}/neue-ausgabe/",
                           {"value": "3.922", "source": "Test", "note": ""})
    assert response.status_code == 302
    assert EmissionFactor.objects.get(carrier="refrigerant", variant="R-32", is_current=True).value == Decimal("3922")
    from klimapakt.ghg.fields import localized_number

    assert localized_number("0.363") == "0.363" and localized_number("80.000") == "80000"
