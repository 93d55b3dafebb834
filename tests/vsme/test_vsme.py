"""VSME B3/C3 for a hand-filled small firm: every mapped datapoint against a hand calculation,
the XLSX against EFRAG's template labels, the JSON, the page in German and English.

The firm (Alpha Bäckerei, 2024):
- natural gas 10,000 m³, Brennwert 11.2 kWh/m³, Zustandszahl 0.9543:
  10,000 × 11.2 × 0.9543 = 106,881.6 kWh (Hs) ÷ 1.11 = 96,289.7297… kWh (Hi);
  × 0.201 kg = 19,354.2357 kg CO2
- electricity 20,000 kWh, green tariff with the supplier's 0.015 kg/kWh, 92.5 % renewable
  (Stromkennzeichnung): location 20,000 × 0.363 = 7,260 kg; market 20,000 × 0.015 = 300 kg
- diesel 1,500 l: × 2.645 = 3,967.5 kg; energy 1,500 × 43 MJ/kg × 0.84 kg/l ÷ 3.6 = 15,050 kWh
- R-404A 2.5 kg refilled: × 4,728 = 11,820 kg CO2e
- turnover 2.5 million EUR, 12 employees
Base year 2022: electricity 25,000 kWh × 0.433 = 10,825 kg; natural gas 50,000 kWh (Hs) ÷ 1.11 ×
0.201 = 9,054.054 kg. Targets: Scope 1+2 −50 % by 2030; Scope 1 −5 t by 2040.
"""

import json
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from klimapakt.ghg import services
from klimapakt.partners.models import Target
from klimapakt.vsme import mapping
from klimapakt.vsme.selectors import vsme_values

YEAR = 2024

# Hand calculation (t CO2e, MWh; rounded half-up to 3 places, intensities to 12)
EXPECTED = {
    "TotalEnergyConsumption": Decimal("131.340"),          # 20 + 96.2897297 + 15.05
    "EnergyConsumptionFromElectricity_RenewableEnergyMember": Decimal("18.500"),
    "EnergyConsumptionFromElectricity_NonRenewableEnergyMember": Decimal("1.500"),
    "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember": Decimal("20.000"),
    "EnergyConsumptionFromFuels_RenewableEnergyMember": Decimal("0.000"),
    "EnergyConsumptionFromFuels_NonRenewableEnergyMember": Decimal("111.340"),   # 96.2897297 + 15.05
    "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember": Decimal("111.340"),
    "GrossScope1GreenhouseGasEmissions": Decimal("35.142"),                      # 19.3542357 + 3.9675 + 11.82
    "GrossLocationBasedScope2GreenhouseGasEmissions": Decimal("7.260"),
    "GrossMarketBasedScope2GreenhouseGasEmissions": Decimal("0.300"),
    "TotalGrossLocationBasedScope1AndScope2GHGEmissions": Decimal("42.402"),     # 42.4017357
    "TotalGrossMarketBasedScope1AndScope2GHGEmissions": Decimal("35.442"),       # 35.4417357
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased": Decimal("0.000016960694"),  # 42.4017357 / 2.5e6
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased": Decimal("0.000014176694"),    # 35.4417357 / 2.5e6
    "klimapakt:Scope1AndScope2IntensityPerMillionEurLocationBased": Decimal("16.961"),
    "Turnover": Decimal("2500000"),
    "klimapakt:HasEstablishedGhgReductionTargets": True,
    "GreenhouseGasEmissionReductionTargetBaseYear": 2022,
    "GreenhouseGasEmissionReductionTargetYear": 2030,
    "klimapakt:TargetScopes": "1+2",
    "klimapakt:TargetReductionPercent": Decimal("50"),
    "klimapakt:TargetBaseYearEmissions": Decimal("19.879"),                       # 9.0540541 + 10.825
    "klimapakt:TargetYearEmissions": Decimal("9.940"),                            # 19.8790541 × 0.5
}
NOT_APPLICABLE = {"GrossScope3GreenhouseGasEmissions_CurrentlyStatedMember",
                  "TotalGrossLocationBasedGHGEmissions_CurrentlyStatedMember",
                  "TotalGrossMarketBasedGHGEmissions_CurrentlyStatedMember",
                  "TotalLocationBasedGreenhouseGasEmissionsIntensityValue",
                  "TotalMarketBasedGreenhouseGasEmissionsIntensityValue"}
FIRM_ADDS = {"EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember",
             "EnergyConsumptionFromSelfGeneratedElectricity_NonRenewableEnergyMember",
             "DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"}

# EFRAG VSME Digital Template 1.0.1, sheet "Environmental Disclosures": row labels (column C) and
# named ranges, as read from the template file (github.com/EFRAG-EU/Digital-Template-to-XBRL-Converter).
TEMPLATE_LABELS = {
    5: "Total Energy Consumption",
    12: "Electricity (as reflected in utility billings)",
    13: "Self-generated electricity ",
    14: "Fuels (see Fuel Converter on Fuels worksheet)",
    22: "Gross Scope 1 GHG Emissions",
    23: "Gross Scope 2 location-based GHG Emissions",
    24: "Gross scope 2 market-based GHG Emissions - May (optional)",
    25: "Total Scope 1 and Scope 2 GHG Emissions (location-based)",
    26: "Total Scope 1 and Scope 2 GHG emissions  (market-based) - May (optional)",
    45: "Total Scope 3 GHG  emissions",
    46: "Total Scope 1, Scope 2 and Scope 3 GHG Emissions (location-based)",
    47: "Total Scope 1, Scope 2 and Scope 3 GHG Emissions (market-based) - May (optional)",
    66: "Scope 1 and Scope 2 GHG Emissions intensity (location-based )",
    67: "Scope 1 and Scope 2 GHG Emissions intensity (market-based) - May (Optional)",
}
TEMPLATE_CELLS = {
    "TotalEnergyConsumption": "G5",
    "EnergyConsumptionFromElectricity_RenewableEnergyMember": "G12",
    "EnergyConsumptionFromElectricity_NonRenewableEnergyMember": "J12",
    "EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember": "K12",
    "EnergyConsumptionFromFuels_RenewableEnergyMember": "G14",
    "EnergyConsumptionFromFuels_NonRenewableEnergyMember": "J14",
    "EnergyConsumptionFromFuels_TotalRenewableAndNonRenewableEnergyMember": "K14",
    "GrossScope1GreenhouseGasEmissions": "D22",
    "GrossLocationBasedScope2GreenhouseGasEmissions": "D23",
    "GrossMarketBasedScope2GreenhouseGasEmissions": "D24",
    "TotalGrossLocationBasedScope1AndScope2GHGEmissions": "D25",
    "TotalGrossMarketBasedScope1AndScope2GHGEmissions": "D26",
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased": "G66",
    "Scope1AndScope2GreenhouseGasEmissionsIntensityValueMarketBased": "G67",
    "GreenhouseGasEmissionReductionTargetBaseYear": "G21",
    "GreenhouseGasEmissionReductionTargetYear": "J21",
    "TotalGrossLocationBasedScope1AndScope2GHGEmissions_BaselineYearMember": "G25",
    "TotalGrossLocationBasedScope1AndScope2GHGEmissions_TargetYearMember": "J25",
}


@pytest.fixture
def firm(world):
    org, member = world["org_a"], world["users"]["member_a"]

    def add(year, carrier, quantity, unit, **kw):
        services.activity_create(organisation=org, year=year, carrier=carrier, quantity=quantity, unit=unit,
                                 actor=member, **kw)

    add(YEAR, "natural_gas", "10000", "m3", calorific_value_kwh_per_m3="11.2", z_number="0.9543")
    add(YEAR, "electricity", "20000", "kWh", supplier_factor="0.015")
    add(YEAR, "diesel", "1500", "l")
    add(YEAR, "refrigerant", "2.5", "kg", refrigerant="R-404A")
    services.balance_key_figures_update(organisation=org, year=YEAR, employees=12, turnover_meur=Decimal("2.5"),
                                        renewable_electricity_percent=Decimal("92.5"), actor=member)
    add(2022, "electricity", "25000", "kWh")
    add(2022, "natural_gas", "50000", "kWh_hs")
    Target.objects.create(organisation=org, base_year=2022, target_year=2030, reduction_percent=50, scopes="1+2")
    Target.objects.create(organisation=org, base_year=2022, target_year=2040, reduction_t_co2e=5, scopes="1")
    return world


def test_every_mapped_datapoint_matches_the_hand_calculation(firm):
    values = vsme_values(organisation=firm["org_a"], year=YEAR)
    assert set(values) == {d.key for d in mapping.DATAPOINTS}
    for key, expected in EXPECTED.items():
        assert values[key].status == mapping.FILLED, key
        assert values[key].value == expected, (key, values[key].value)
    for key in NOT_APPLICABLE:
        assert values[key].status == mapping.NOT_APPLICABLE and values[key].value is None, key
    for key in FIRM_ADDS:
        assert values[key].status == mapping.MISSING, key
    assert set(EXPECTED) | NOT_APPLICABLE | FIRM_ADDS == set(values)


def test_the_second_target_in_tonnes_is_listed_with_its_percentage(firm):
    from klimapakt.vsme.selectors import all_targets, vsme_inputs

    targets = all_targets(vsme_inputs(organisation=firm["org_a"], year=YEAR))
    assert [t["target_year"] for t in targets] == [2030, 2040]
    second = targets[1]
    # Scope 1 in 2022: 9.0540541 t; minus 5 t = 4.0540541 t; 5 / 9.0540541 = 55.22 %
    assert (second["base_year_t_co2e"], second["target_year_t_co2e"]) == (Decimal("9.054"), Decimal("4.054"))
    assert second["reduction_percent"] == Decimal("55.22")


def test_without_key_figures_the_firm_is_told_what_to_add(world):
    org, member = world["org_a"], world["users"]["member_a"]
    services.activity_create(organisation=org, year=YEAR, carrier="electricity", quantity="1000", unit="kWh",
                             actor=member)
    values = vsme_values(organisation=org, year=YEAR)
    assert values["EnergyConsumptionFromElectricity_TotalRenewableAndNonRenewableEnergyMember"].value == Decimal("1.000")
    for key in ("EnergyConsumptionFromElectricity_RenewableEnergyMember", "Turnover",
                "Scope1AndScope2GreenhouseGasEmissionsIntensityValueLocationBased"):
        assert values[key].status == mapping.MISSING, key
    assert values["GreenhouseGasEmissionReductionTargetBaseYear"].status == mapping.NOT_APPLICABLE


def test_diesel_and_petrol_energy_come_from_the_cited_csv():
    rows = mapping.fuel_energy_rows()
    assert mapping.kwh_per_litre(rows["diesel"]) * 1500 == 15050
    assert "EFRAG" in rows["diesel"]["source"] and "IPCC" in rows["petrol"]["source"]


def test_xlsx_has_the_template_sheets_labels_cells_and_names(firm, client_for):
    response = client_for(firm["users"]["member_a"]).get(
        f"/mein-bereich/organisation/{firm['org_a'].pk}/co2-bilanz/{YEAR}/vsme.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames[:2] == ["Environmental Disclosures", "General Information"]
    env = book["Environmental Disclosures"]
    for row, label in TEMPLATE_LABELS.items():
        assert env[f"C{row}"].value == label, row
    for point in mapping.DATAPOINTS:
        if point.sheet == mapping.ENV and point.template_label and point.cell[1:].isdigit():
            row = int(point.cell[1:])
            if row in TEMPLATE_LABELS:
                assert point.template_label == TEMPLATE_LABELS[row], point.key
    for key, cell in TEMPLATE_CELLS.items():
        destinations = list(book.defined_names[key].destinations)
        assert destinations == [("Environmental Disclosures", f"${cell[0]}${cell[1:]}")], key
    for key, cell in TEMPLATE_CELLS.items():
        if key in EXPECTED:
            value = env[cell].value
            assert isinstance(value, int | float) and Decimal(str(value)) == EXPECTED[key], key
    assert (env["G25"].value, env["J25"].value, env["K25"].value) == (19.879, 9.94, -0.5)
    assert book["General Information"]["E61"].value == 2500000
    notes = book["Klimapakt"]
    keys = [notes.cell(row=r, column=1).value for r in range(5, 5 + len(mapping.DATAPOINTS))]
    assert keys == [d.key for d in mapping.DATAPOINTS]


def test_json_is_keyed_by_the_mapping_ids_with_units_and_notes(firm, client_for):
    response = client_for(firm["users"]["office"]).get(
        f"/mein-bereich/organisation/{firm['org_a'].pk}/co2-bilanz/{YEAR}/vsme.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    points = data["datapoints"]
    assert list(points) == [d.key for d in mapping.DATAPOINTS]
    scope1 = points["GrossScope1GreenhouseGasEmissions"]
    assert (scope1["value"], scope1["unit"], scope1["status"]) == (35.142, "tCO2e", "filled")
    assert points["TotalEnergyConsumption"]["unit"] == "MWh" and points["TotalEnergyConsumption"]["note"]
    assert points["klimapakt:TargetScopes"]["is_template_id"] is False
    assert points["DisclosureOfListOfMainActionsTheEntitySeeksInOrderToAchieveItsTargets"]["status"] == "missing"
    assert [t["target_year"] for t in data["targets"]] == [2030, 2040]
    assert data["targets"][1]["template_ids"]["base_year_t_co2e"] == "GrossScope1GreenhouseGasEmissions_BaselineYearMember"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_page_lists_filled_and_missing_datapoints_in_both_languages(firm, client_for, prefix):
    client = client_for(firm["users"]["member_a"])
    base = f"{prefix}/mein-bereich/organisation/{firm['org_a'].pk}/co2-bilanz/{YEAR}"
    page = client.get(f"{base}/vsme/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="GrossScope1GreenhouseGasEmissions" data-status="filled"' in html
    assert ('data-key="EnergyConsumptionFromSelfGeneratedElectricity_RenewableEnergyMember" '
            'data-status="missing"') in html
    assert f"{base}/vsme.xlsx" in html and f"{base}/vsme.json" in html
    balance = client.get(f"{base}/").content.decode()
    assert f'href="{base}/vsme/"' in balance


def test_key_figures_form_stores_the_renewable_share(world, client_for):
    org = world["org_a"]
    services.activity_create(organisation=org, year=YEAR, carrier="electricity", quantity="1000", unit="kWh",
                             actor=world["users"]["member_a"])
    response = client_for(world["users"]["member_a"]).post(
        f"/mein-bereich/organisation/{org.pk}/co2-bilanz/{YEAR}/kennzahlen/",
        {"employees": "12", "turnover_meur": "2,5", "renewable_electricity_percent": "92,5"})
    assert response.status_code == 302
    balance = org.balances.get(year=YEAR)
    assert balance.renewable_electricity_percent == Decimal("92.5")
    bad = client_for(world["users"]["member_a"]).post(
        f"/mein-bereich/organisation/{org.pk}/co2-bilanz/{YEAR}/kennzahlen/", {"renewable_electricity_percent": "120"})
    assert bad.status_code == 302
    balance.refresh_from_db()
    assert balance.renewable_electricity_percent == Decimal("92.5")


def test_a_year_without_lines_says_so(world):
    values = vsme_values(organisation=world["org_a"], year=YEAR)
    scope1 = values["GrossScope1GreenhouseGasEmissions"]
    assert scope1.status == mapping.MISSING and "keine Verbräuche" in str(scope1.note)


def test_page_and_downloads_take_a_constant_number_of_queries(firm, client_for, django_assert_max_num_queries):
    client = client_for(firm["users"]["member_a"])
    base = f"/mein-bereich/organisation/{firm['org_a'].pk}/co2-bilanz/{YEAR}"
    client.get(f"{base}/vsme/")  # warms the factor table cache
    for suffix in ("vsme/", "vsme.xlsx", "vsme.json"):
        with django_assert_max_num_queries(12):
            assert client.get(f"{base}/{suffix}").status_code == 200
