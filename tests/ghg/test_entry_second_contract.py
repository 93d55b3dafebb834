"""Entering the second data contract (issue 12): refrigerants, gas in m³ with Brennwert and
Zustandszahl, business trips and the commuting estimate (rule 8) through the single-line form,
the guided entry and the public calculator; the spreadsheet import's new columns. Every figure
below is computed by hand from the shipped data (README rules 6-8)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from klimapakt.ghg import services, spreadsheet
from klimapakt.ghg.models import ActivityLine, Balance, ImportJob

NBSP = "\u00a0"
# What a German page must not show in its text (internal keys; choice values may be keys)
KEYS = ("kWh_hs", "kWh_hi", "pkm)", "business_travel", "commuting", "natural_gas", "refrigerant", "Refrigerant",
        "(natural_gas)", "car_pkm", "rail_long_distance")


def visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_no_keys(html: str, where: str) -> None:
    shown = [key for key in KEYS if key in visible(html)]
    assert not shown, f"{where} shows {shown}"


def error_of(html: str, field_id: str) -> str:
    """The error message shown under a field (includes/field.html: <p id="<id>-error">)."""
    match = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</p>', html, flags=re.S)
    assert match, f"no error under {field_id}"
    return visible(match.group(1)).strip()


@pytest.fixture
def base(org):
    return f"/mein-bereich/organisation/{org.pk}/co2-bilanz/"


@pytest.fixture
def partner(member, client_for):
    """The test client of a member of the organisation."""
    return client_for(member)


# --- the single-line form ------------------------------------------------------------------------


def test_single_line_form_names_carriers_units_refrigerants_and_categories_in_german(partner, base):
    html = partner.get(base + "2024/zeile/neu/").content.decode()
    assert '<option value="kWh_hs">kWh (Brennwert)</option>' in html
    assert '<option value="pkm">Personenkilometer</option>' in html
    assert '<option value="R-404A">R-404A (Gemisch aus R-125, R-143a, R-134a)</option>' in html
    assert '<option value="R-32">R-32 (Difluormethan)</option>' in html
    assert '<optgroup label="Scope 3: Reisen und weitere">' in html
    text = visible(html)
    for expected in ("Dienstreisen", "Pendeln", "keine Angabe", "Nur bei Kältemitteln", "Nur bei Gas in m³",
                     "Auf der Gasrechnung stehen Brennwert und Zustandszahl neben dem Zählerstand"):
        assert expected in text, expected
    assert_no_keys(html, "the single-line form")
    assert "ghg-activity.js" in html  # the progressive enhancement; the groups work without it


def test_single_line_form_stores_a_refrigerant(partner, base, org):
    response = partner.post(base + "2024/zeile/neu/", {"carrier": "refrigerant", "refrigerant": "R-404A",
                                                       "quantity": "2,5", "unit": "kg", "category": ""})
    assert response.status_code == 302, visible(response.content.decode())[:3000]
    line = ActivityLine.objects.get(organisation=org, year=2024)
    assert (line.carrier, line.refrigerant, line.quantity, line.unit) == ("refrigerant", "R-404A", Decimal("2.5"), "kg")
    # rule 7: 2.5 kg x GWP 4728 (0.44 x 3740 + 0.52 x 5810 + 0.04 x 1530) = 11,820 kg
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("11.820")


def test_single_line_form_asks_for_the_refrigerant_under_its_field(partner, base, org):
    html = partner.post(base + "2024/zeile/neu/", {"carrier": "refrigerant", "quantity": "2", "unit": "kg"}
                       ).content.decode()
    assert "Kältemittel nachgefüllt" in error_of(html, "id_refrigerant")
    wrong = partner.post(base + "2024/zeile/neu/", {"carrier": "diesel", "refrigerant": "R-32", "quantity": "2",
                                                    "unit": "l"}).content.decode()
    assert "nur zu einer Zeile mit dem Energieträger „Kältemittel“" in error_of(wrong, "id_refrigerant")
    assert_no_keys(wrong, "the refrigerant error")
    assert not ActivityLine.objects.filter(organisation=org).exists()


def test_single_line_form_names_every_mistake_at_once(partner, base, org):
    html = partner.post(base + "2024/zeile/neu/", {"carrier": "natural_gas", "quantity": "", "unit": "m3",
                                                    "category": "commuting"}).content.decode()
    assert error_of(html, "id_quantity")
    assert "Brennwert laut Rechnung" in error_of(html, "id_calorific_value_kwh_per_m3")
    assert "Zustandszahl laut Rechnung" in error_of(html, "id_z_number")
    assert "nur für Scope-3-Zeilen" in error_of(html, "id_category")
    english = partner.post("/en" + base + "2024/zeile/neu/", {"carrier": "refrigerant", "quantity": "1",
                                                               "unit": "kg"}).content.decode()
    assert error_of(english, "id_refrigerant") == "Please state which refrigerant was refilled, e.g. R-404A."
    assert not ActivityLine.objects.filter(organisation=org).exists()


def test_single_line_form_gas_in_m3_needs_the_zustandszahl(partner, base, org):
    data = {"carrier": "natural_gas", "quantity": "10.000", "unit": "m3", "calorific_value_kwh_per_m3": "11,2"}
    html = partner.post(base + "2024/zeile/neu/", data).content.decode()
    assert "Zustandszahl laut Rechnung" in error_of(html, "id_z_number")
    assert not ActivityLine.objects.filter(organisation=org).exists()
    response = partner.post(base + "2024/zeile/neu/", data | {"z_number": "0,9543"})
    assert response.status_code == 302
    line = ActivityLine.objects.get(organisation=org)
    assert (line.quantity, line.calorific_value_kwh_per_m3, line.z_number) == (
        Decimal("10000"), Decimal("11.2"), Decimal("0.9543"))
    # rule 6: 10000 m³ x 11.2 x 0.9543 = 106881.6 kWh (Brennwert) / 1.11 x 0.201 kg = 19354.2357 kg
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("19.354")


def test_single_line_form_names_a_unit_that_does_not_fit_in_words(partner, base):
    html = partner.post(base + "2024/zeile/neu/", {"carrier": "natural_gas", "quantity": "100", "unit": "kWh"}
                       ).content.decode()
    message = error_of(html, "id_unit")
    assert message.startswith("„kWh“ passt nicht zu Erdgas. Möglich: Wh, kWh, MWh, GWh, MJ, GJ (Brennwert); ")
    assert_no_keys(html, "the unit error")


def test_single_line_form_stores_a_business_trip_with_its_category(partner, base, org):
    response = partner.post(base + "2024/zeile/neu/", {"carrier": "rail_long_distance", "quantity": "1.000",
                                                       "unit": "pkm", "category": "business_travel"})
    assert response.status_code == 302
    assert ActivityLine.objects.get(organisation=org).category == "business_travel"
    assert Balance.objects.get(organisation=org, year=2024).scope3_t == Decimal("0.026")  # 1000 x 0.026 kg
    html = partner.post(base + "2024/zeile/neu/", {"carrier": "diesel", "quantity": "1", "unit": "l",
                                                   "category": "commuting"}).content.decode()
    assert "nur für Scope-3-Zeilen" in error_of(html, "id_category")


# --- the guided entry ----------------------------------------------------------------------------


def test_guided_entry_shows_the_new_steps_in_german(partner, base):
    html = partner.get(base + "2024/erfassen/").content.decode()
    text = visible(html)
    for expected in ("Kältemittel (Kälte- und Klimaanlagen)", "Dienstreisen und Pendeln (Scope 3, freiwillig)",
                     "Erdgas (m³ laut Gasrechnung)", "Brennwert (kWh je m³)", "Zustandszahl", "Bahn, Fernverkehr (km)",
                     "Inlandsflug (km)", "Fahrten mit Firmenfahrzeugen zählen schon beim Kraftstoff (Scope 1): "
                     "tragen Sie sie hier nicht noch einmal ein.", "dafür gibt es noch keinen belegten Standardfaktor",
                     "R-404A (Gemisch aus R-125, R-143a, R-134a)", "Anlage 3"):
        assert expected in text, expected
    assert_no_keys(html, "the guided entry")
    assert 'name="commute_days" value="220"' in html  # the default of rule 8's estimate
    assert "scope3_car_pkm" not in html  # the travel modes are no longer generic Scope 3 fields


def test_guided_entry_gas_in_m3_shows_the_missing_zustandszahl_under_its_field(partner, base, org):
    html = partner.post(base + "2024/erfassen/", {"natural_gas_m3": "10.000", "gas_calorific_value": "11,2"}
                       ).content.decode()
    assert "Zustandszahl laut Rechnung" in error_of(html, "id_gas_z_number")
    assert 'href="#id_gas_z_number"' in html  # the error summary leads to the field
    alone = partner.post(base + "2024/erfassen/", {"diesel": "100", "gas_z_number": "0,95"}).content.decode()
    assert "Bitte geben Sie auch die m³" in error_of(alone, "id_gas_z_number")
    twice = partner.post(base + "2024/erfassen/", {"natural_gas": "1000", "natural_gas_m3": "100",
                                                  "gas_calorific_value": "11", "gas_z_number": "1"}).content.decode()
    assert "nur einmal" in error_of(twice, "id_natural_gas_m3")
    assert not ActivityLine.objects.filter(organisation=org).exists()
    response = partner.post(base + "2024/erfassen/", {"natural_gas_m3": "10.000", "gas_calorific_value": "11,2",
                                                     "gas_z_number": "0,9543"})
    assert response.status_code == 302
    line = ActivityLine.objects.get(organisation=org)
    assert (line.unit, line.calorific_value_kwh_per_m3, line.z_number) == ("m3", Decimal("11.2"), Decimal("0.9543"))
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("19.354")


def test_guided_entry_brennwert_with_a_dot_is_a_decimal_not_thousands(partner, base, org):
    response = partner.post(base + "2024/erfassen/", {"natural_gas_m3": "1000", "gas_calorific_value": "11.254",
                                                     "gas_z_number": "0.9536"})
    assert response.status_code == 302
    assert ActivityLine.objects.get(organisation=org).calorific_value_kwh_per_m3 == Decimal("11.254")


def test_guided_entry_refrigerants_one_line_per_plant(partner, base, org):
    html = partner.post(base + "2024/erfassen/", {"refrigerant_1": "R-404A", "refrigerant_kg_3": "1"}
                       ).content.decode()
    assert "wie viel kg nachgefüllt" in error_of(html, "id_refrigerant_kg_1")
    assert "Kältemittel nachgefüllt" in error_of(html, "id_refrigerant_3")
    response = partner.post(base + "2024/erfassen/", {"refrigerant_1": "R-404A", "refrigerant_kg_1": "2,5",
                                                     "refrigerant_2": "R-32", "refrigerant_kg_2": "1"})
    assert response.status_code == 302
    lines = ActivityLine.objects.filter(organisation=org).order_by("pk")
    assert [(a.carrier, a.refrigerant, a.quantity, a.unit) for a in lines] == [
        ("refrigerant", "R-404A", Decimal("2.5"), "kg"), ("refrigerant", "R-32", Decimal("1"), "kg")]
    # 2.5 kg x 4728 + 1 kg x 771 = 12591 kg
    assert Balance.objects.get(organisation=org, year=2024).scope1_t == Decimal("12.591")


TRAVEL = {"business_rail_long_distance": "12.000", "commute_employees": "20", "commute_days": "220",
          "commute_home_office": "20", "commute_distance": "15", "commute_share_car": "60", "commute_share_bus": "10",
          "commute_share_bike": "30", "evidence_note": "Umfrage unter den Beschäftigten"}


def test_guided_entry_business_trips_and_the_commuting_estimate(partner, base, org):
    response = partner.post(base + "2024/erfassen/", TRAVEL, follow=True)
    assert response.redirect_chain[-1][0].endswith("/co2-bilanz/2024/")
    lines = {a.carrier: a for a in ActivityLine.objects.filter(organisation=org)}
    assert set(lines) == {"rail_long_distance", "car_pkm", "bus_local"}
    assert (lines["rail_long_distance"].quantity, lines["rail_long_distance"].unit,
            lines["rail_long_distance"].category) == (Decimal("12000"), "pkm", "business_travel")
    # rule 8: 20 employees x 220 days x (1 - 20 %) x 15 km x 2 x 60 % = 63,360 pkm by car; 10 % bus: 10,560 pkm
    assert (lines["car_pkm"].quantity, lines["car_pkm"].category) == (Decimal("63360"), "commuting")
    assert lines["bus_local"].quantity == Decimal("10560")
    sentence = (f"Pendeln geschätzt: 20 Beschäftigte × 220 Tage × (1 − 20{NBSP}%) × 15 km × 2 × 60{NBSP}% Pkw "
                f"= 63.360 Personenkilometer")
    assert lines["car_pkm"].evidence_note == sentence + "\nUmfrage unter den Beschäftigten"
    assert lines["rail_long_distance"].evidence_note == "Umfrage unter den Beschäftigten"
    # 12000 x 0.026 + 63360 x 0.164 + 10560 x 0.090 kg = 312 + 10391.04 + 950.4 kg = 11.65344 t
    assert Balance.objects.get(organisation=org, year=2024).scope3_t == Decimal("11.653")
    assert sentence in response.content.decode()  # the arithmetic, shown after saving


@pytest.mark.parametrize("change,field,message", [
    ({"commute_share_bike": "20"}, "id_commute_share_car", "ergeben zusammen 90 %; es müssen 100 % sein"),
    ({"commute_employees": ""}, "id_commute_employees", "Zahl der Beschäftigten"),
    ({"commute_distance": ""}, "id_commute_distance", "einfachen Arbeitsweg"),
    ({"commute_home_office": "120"}, "id_commute_home_office", "höchstens 100"),
])
def test_guided_entry_commuting_errors_are_shown_under_their_field(partner, base, org, change, field, message):
    html = partner.post(base + "2024/erfassen/", TRAVEL | change).content.decode()
    assert message in error_of(html, field).replace(NBSP, " ")
    assert not ActivityLine.objects.filter(organisation=org).exists()


@pytest.mark.parametrize("prefix,employees,distance", [("", "1.000", "15"), ("/en", "1,000", "15"),
                                                        ("", "20", "1.000"), ("/en", "20", "1,000")])
def test_guided_entry_reads_grouped_commuting_numbers_as_the_language_writes_them(partner, base, org, prefix,
                                                                                 employees, distance):
    """German "1.000 Beschäftigte" are a thousand, not one (a silent 1000x underestimate before);
    English "1,000" likewise, instead of being refused."""
    data = {"commute_employees": employees, "commute_distance": distance, "commute_share_car": "100"}
    response = partner.post(prefix + base + "2024/erfassen/", data)
    assert response.status_code == 302, visible(response.content.decode())[:3000]
    line = ActivityLine.objects.get(organisation=org, year=2024)
    # 1,000 x 220 x 15 km x 2 = 6,600,000 pkm; 20 x 220 x 1,000 km x 2 = 8,800,000 pkm
    assert line.quantity == (Decimal("6600000") if employees != "20" else Decimal("8800000"))


@pytest.mark.parametrize("field,value", [("commute_employees", "1.5"), ("commute_employees", "1,5"),
                                         ("commute_distance", "15,25")])
def test_guided_entry_refuses_a_fraction_of_a_person_or_a_finer_distance(partner, base, org, field, value):
    data = {"commute_employees": "20", "commute_distance": "15", "commute_share_car": "100"} | {field: value}
    html = partner.post(base + "2024/erfassen/", data).content.decode()
    assert error_of(html, "id_" + field)
    assert not ActivityLine.objects.filter(organisation=org).exists()


def test_guided_entry_without_any_commuting_input_keeps_the_default_days_only(partner, base, org):
    response = partner.post(base + "2024/erfassen/", {"diesel": "100", "commute_days": "220"})
    assert response.status_code == 302
    assert list(ActivityLine.objects.filter(organisation=org).values_list("carrier", flat=True)) == ["diesel"]


# --- the public calculator -----------------------------------------------------------------------


def test_calculator_with_refrigerant_and_commuting_shows_the_arithmetic(db, client_for):
    client = client_for(None)
    assert_no_keys(client.get("/co2-rechner/").content.decode(), "the calculator")
    data = {"year": "2024", "natural_gas": "250.000", "refrigerant_1": "R-404A", "refrigerant_kg_1": "2,5",
            "commute_employees": "20", "commute_days": "220", "commute_home_office": "20",
            "commute_distance": "15", "commute_share_car": "60", "commute_share_bike": "40"}
    html = client.post("/co2-rechner/", data).content.decode()
    # 250000 kWh (Brennwert) / 1.11 x 0.201 kg = 45.2703 t; 2.5 x 4728 kg = 11.82 t; 63360 x 0.164 kg = 10.39104 t
    assert re.search(r'id="figure-total_location">67,481', html)
    assert 'id="commuting-estimate"' in html
    assert f"× 60{NBSP}% Pkw = 63.360 Personenkilometer" in html
    assert_no_keys(html, "the calculator result")
    assert not ActivityLine.objects.exists()
    xlsx = client.post("/co2-rechner/", data | {"format": "xlsx"})  # the download re-posts the new fields
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    english = client.post("/en/co2-rechner/", data).content.decode()
    assert "Commuting estimated: 20 employees × 220 days" in english and "Business trips and commuting" in english


# --- spreadsheet import --------------------------------------------------------------------------


def upload(org, member, text: str, name="d.csv"):
    return services.import_upload(organisation=org, actor=member, upload=SimpleUploadedFile(name, text.encode()))


HEADER = ("Jahr;Energieträger;Menge;Einheit;Standort;Faktor des Lieferanten (kg CO2 je kWh);Nachweis;Kältemittel;"
          "Kategorie;Brennwert (kWh je m³);Zustandszahl\n")


def test_import_with_the_new_columns(org, member):
    job = upload(org, member, HEADER
                 + "2024;Kältemittel;2,5;kg;;;Wartung Kühlzelle;R-404A;;;\n"
                 + "2024;Eisenbahn Fernverkehr;12.000;Personenkilometer;;;Bahn;;Dienstreisen;;\n"
                 + "2024;Erdgas;10.000;m³;Lager;;Gasrechnung;;;11,2;0,9543\n")
    assert job.status == ImportJob.Status.READY, job.errors
    assert len(job.rows[0]) == 12  # row number and the eleven columns
    services.import_start(job=job, actor=member)
    lines = {a.carrier: a for a in ActivityLine.objects.filter(organisation=org)}
    assert (lines["refrigerant"].refrigerant, lines["refrigerant"].quantity) == ("R-404A", Decimal("2.5"))
    assert (lines["rail_long_distance"].category, lines["rail_long_distance"].quantity) == (
        "business_travel", Decimal("12000"))
    gas = lines["natural_gas"]
    assert (gas.unit, gas.calorific_value_kwh_per_m3, gas.z_number, gas.site) == (
        "m3", Decimal("11.2"), Decimal("0.9543"), "Lager")
    balance = Balance.objects.get(organisation=org, year=2024)
    # 11.82 t + 19.3542357 t (rule 6); 12000 x 0.026 kg
    assert (balance.scope1_t, balance.scope3_t) == (Decimal("31.174"), Decimal("0.312"))


def test_import_reads_english_headers_keys_and_any_column_order(org, member):
    job = upload(org, member, "z_number;calorific_value_kwh_per_m3;category;refrigerant;year;carrier;quantity;unit\n"
                 "0.9536;11.254;;;2024;natural_gas;1000;m3\n"
                 ";;commuting;;2024;car_pkm;100;pkm\n"
                 ";;;r32;2024;refrigerant;1;kg\n")
    assert job.status == ImportJob.Status.READY, job.errors
    services.import_start(job=job, actor=member)
    lines = {a.carrier: a for a in ActivityLine.objects.filter(organisation=org)}
    assert lines["natural_gas"].calorific_value_kwh_per_m3 == Decimal("11.254")  # a decimal, never grouped
    assert lines["car_pkm"].category == "commuting" and lines["refrigerant"].refrigerant == "R-32"


def test_import_errors_name_the_new_columns(org, member):
    job = upload(org, member, HEADER
                 + "2024;Erdgas;100;m³;;;;;;11,2;\n"
                 + "2024;Pkw (Durchschnitt);100;pkm;;;;;Urlaub;;\n"
                 + "2024;Kältemittel;1;kg;;;;R-999;;;\n")
    assert job.status == ImportJob.Status.INVALID
    found = {(e["row"], e["column"], e["field"]) for e in job.errors}
    assert found == {(2, "K", "Zustandszahl"), (3, "I", "Kategorie"), (4, "H", "Kältemittel")}
    category = next(e["message"] for e in job.errors if e["row"] == 3)
    assert category == "Unbekannte Kategorie „Urlaub“. Möglich: Dienstreisen, Pendeln oder leer."


def test_an_old_file_with_seven_columns_still_imports(org, member):
    job = upload(org, member, "Jahr;Energieträger;Menge;Einheit;Standort;Faktor des Lieferanten (kg CO2 je kWh);"
                 "Nachweis\n2024;natural_gas;250000;kWh_hs;;;Gasrechnung\n2024;Strom (Bundesmix);80000;kWh;;0;\n")
    assert job.status == ImportJob.Status.READY, job.errors
    services.import_start(job=job, actor=member)
    balance = Balance.objects.get(organisation=org, year=2024)
    # 250000 / 1.11 x 0.201 kg = 45.270 t; 80000 kWh x 0.363 kg = 29.040 t (market-based: 0)
    assert (balance.total_location_t, balance.total_market_t) == (Decimal("74.310"), Decimal("45.270"))


@pytest.mark.parametrize("stale", [False, True])
def test_a_job_stored_with_the_short_row_format_still_imports(org, member, stale):
    """Jobs validated before the new columns hold rows of eight values; they import as they are,
    and again after a factor change (re-validated from the stored rows)."""
    job = upload(org, member, HEADER + "2024;natural_gas;1.250;MWh_hs;Halle;;Gasrechnung;;;;\n")
    assert job.rows[0][3] == "1250"
    job.rows = [row[:8] for row in job.rows]
    if stale:
        job.preview["factor_version"] = -1
    job.save()
    services.import_start(job=job, actor=member)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    line = ActivityLine.objects.get(organisation=org)
    assert (line.quantity, line.unit, line.site, line.refrigerant, line.category, line.z_number) == (
        Decimal("1250"), "MWh_hs", "Halle", "", "", None)


def test_a_stale_job_reads_its_stored_decimals_as_decimals(org, member):
    """A stored "1.250" (kg) is one and a quarter, also when the job is checked again in German."""
    job = upload(org, member, HEADER + "2024;Kältemittel;1,250;kg;;;;R-32;;;\n")
    assert job.rows[0][3] == "1.250"
    job.preview["factor_version"] = -1
    job.save()
    services.import_start(job=job, actor=member)
    assert ActivityLine.objects.get(organisation=org).quantity == Decimal("1.25")


def test_template_lists_refrigerants_and_travel_modes_with_units_for_people(org, partner):
    from openpyxl import load_workbook

    response = partner.get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/vorlage.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    consumption, carriers, help_sheet = workbook.worksheets
    assert [c.value for c in consumption[1]][7:] == ["Kältemittel", "Kategorie", "Brennwert (kWh je m³)",
                                                      "Zustandszahl"]
    assert [c.value for c in consumption[2]][1:4] == ["Erdgas", 250000, "kWh (Brennwert)"]
    rows = [tuple(c.value for c in row) for row in carriers.iter_rows()]
    by_key = {row[1]: row for row in rows if row[1]}
    assert by_key["rail_long_distance"][3:5] == ("Personenkilometer", "Personenkilometer")
    assert by_key["natural_gas"][3] == "kWh (Brennwert)" and by_key["heating_oil"][3] == "Liter"
    assert by_key["R-404A"][0] == "R-404A (Gemisch aus R-125, R-143a, R-134a)" and by_key["R-404A"][4] == "4.728"
    refrigerant_list = next(v for v in consumption.data_validations.dataValidation if "H2" in str(v.sqref))
    first, last = re.findall(r"\$B\$(\d+)", refrigerant_list.formula1)
    assert carriers[f"B{first}"].value == "R-32" and carriers[f"B{last}"].value == "R-1234yf"
    text = " ".join(str(v) for row in rows for v in (row[0], *row[2:]) if v) + " ".join(
        str(c.value) for c in help_sheet["A"])
    for key in ("kWh_hs", "kWh_hi", "pkm", "business_travel", "natural refrigerant"):
        assert key not in text, key
    csv = partner.get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/vorlage.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].endswith("Kältemittel;Kategorie;Brennwert (kWh je m³);Zustandszahl")


def test_job_rows_and_short_rows_read_back(db):
    row = spreadsheet.ParsedRow(row=5, year=2024, carrier="natural_gas", quantity=Decimal("10"), unit="m3", site="",
                                supplier_factor=None, evidence_note="", calorific_value_kwh_per_m3=Decimal("11.2"),
                                z_number=Decimal("0.95"))
    stored = spreadsheet.job_row(row)
    assert spreadsheet.job_values(stored)[-2:] == ["11.2", "0.95"]
    assert spreadsheet.job_values(stored[:8]) == [2024, "natural_gas", "10", "m3", "", None, "", "", "", None, None]


def test_english_template_round_trip(org, member, partner):
    from openpyxl import load_workbook

    response = partner.get(f"/en/mein-bereich/organisation/{org.pk}/co2-bilanz/vorlage.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet[1][0].value == "Year" and sheet[2][3].value == "kWh (gross calorific value)"
    for row in sheet.iter_rows(min_row=2):
        row[0].value = 2024
    sheet.append([2024, "Refrigerant", 1, "kg", None, None, None, "R-32 (Difluormethan)", None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = services.import_upload(organisation=org, actor=member,
                                 upload=SimpleUploadedFile("template.xlsx", buffer.getvalue()))
    assert job.status == ImportJob.Status.READY, job.errors
    services.import_start(job=job, actor=member)
    # 84.890 t of the three examples (test_balance) + 1 kg R-32 x 771 = 0.771 t
    assert Balance.objects.get(organisation=org, year=2024).total_location_t == Decimal("85.661")


def test_import_refuses_a_year_whose_balance_page_does_not_exist(org, member, client_for):
    """The balance pages go up to next year; an import of a later year stored lines that no page
    could show, edit or delete (the overview linked to a 404)."""
    import datetime
    next_year = datetime.date.today().year + 1
    job = upload(org, member, HEADER + f"{next_year};Diesel;100;l;;;;;;;\n{next_year + 1};Diesel;100;l;;;;;;;\n"
                 + "2100;Diesel;100;l;;;;;;;\n")
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "A"), (4, "A")}
    assert f"„{next_year + 1}“ ist kein gültiges Jahr" in job.errors[0]["message"]
    page = client_for(member).get(f"/mein-bereich/organisation/{org.pk}/co2-bilanz/{next_year}/erfassen/")
    assert page.status_code == 200


def test_evidence_notes_are_bounded_and_lpg_is_not_read_by_the_cubic_metre(world):
    import pytest
    from django.core.exceptions import ValidationError

    from klimapakt.ghg.calculation import CalculationError, calculate, default_table
    from klimapakt.ghg.services import activity_create

    with pytest.raises(ValidationError) as info:
        activity_create(organisation=world["org_a"], year=2024, carrier="diesel", quantity="1", unit="l",
                        actor=world["users"]["member_a"], evidence_note="x" * 4001)
    assert "evidence_note" in info.value.message_dict
    with pytest.raises(CalculationError) as error:
        calculate(default_table(), 2024, [{"carrier": "lpg", "quantity": "1", "unit": "m3",
                                           "calorific_value_kwh_per_m3": "11", "z_number": "1"}])
    assert {e.field for e in error.value.errors} >= {"unit"}
