"""The second data contract (shared/data/README.md, rules 2a and 5-10), hand-computed from the
data files, against everything shipped (default set, editions, refrigerants, Scope 3)."""

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from klimapakt.ghg.calculation import (
    CalculationError,
    Factor,
    FactorTable,
    calculate,
    default_table,
    format_t,
)

TABLE = default_table()
EXAMPLE = json.loads((Path(__file__).parent / "data" / "calculate-basic.json").read_text(encoding="utf-8"))


def one(line, year=2024):
    return calculate(TABLE, year, [line]).lines[0]


def errors_of(lines, year=2024):
    with pytest.raises(CalculationError) as info:
        calculate(TABLE, year, lines)
    return {(e.line, e.field, e.code) for e in info.value.errors}


# Rule 2a: the values the README names for the default set with the grid-mix edition loaded.
@pytest.mark.parametrize("year,value,fallback,status", [
    (1990, "0.764", False, "final"), (2005, None, False, "final"), (2010, "0.559", False, "final"),
    (2017, "0.490", False, "final"), (2018, "0.474", False, "final"), (2019, "0.409", False, "final"),
    (2020, "0.365", False, "final"), (2021, "0.406", False, "final"), (2023, "0.386", False, "preliminary"),
    (2024, "0.363", False, "estimate"), (2025, "0.363", True, "estimate"),
])
def test_grid_mix_edition_picks_rows_by_rule_2a(year, value, fallback, status):
    line = one({"carrier": "electricity", "quantity": "1000", "unit": "kWh"}, year)
    if value is not None:
        assert line.factor.value == Decimal(value)
        assert format_t(line.t_location) == value  # 1000 kWh x value kg = value t
    assert line.factor.year == (2024 if year == 2025 else year)
    assert line.fallback is fallback and line.factor.status == status


def test_newest_edition_wins_for_the_same_year_and_the_latest_year_wins_otherwise():
    def row(id_, year, value, rank):
        return Factor(id=id_, carrier="x", name_de="X", name_en="X", scope=2, unit="kWh", value=Decimal(value),
                      year=year, source="", rank=rank)
    table = FactorTable([row(1, 2018, "0.468", 0), row(2, 2018, "0.474", 1), row(3, 2017, "0.9", 2)], [])
    assert table.factor_for("x", 2018)[0].id == 2
    assert table.factor_for("x", 2019) == (table.factor_for("x", 2018)[0], True)
    assert table.factor_for("x", 2017)[0].id == 3


def test_1990_base_year_with_supplier_factor_gives_both_views():
    """Rule 5: the market-based value from the supplier's factor alone, location-based from 1990's grid."""
    line = one({"carrier": "electricity", "quantity": "100000", "unit": "kWh", "supplier_factor_kg_per_kwh": "0.12"},
               1990)
    assert format_t(line.t_location) == "76.400"   # 100000 x 0.764 kg
    assert format_t(line.t_market) == "12.000"     # 100000 x 0.12 kg
    assert not line.market_based_fallback


def test_worked_example_still_passes():
    result = calculate(TABLE, EXAMPLE["request"]["year"], EXAMPLE["request"]["activities"])
    assert [format_t(line.t_location) for line in result.lines] == EXAMPLE["expected"]["lines_t_co2e_location"]
    assert {k: format_t(result.totals[k]) for k in EXAMPLE["expected"]["totals_t_co2e"]} \
        == EXAMPLE["expected"]["totals_t_co2e"]


# Rule 6: 10000 m3 x 11.2 kWh/m3 x 0.9543 = 106881.6 kWh_hs; / 1.11 = 96289.72972... kWh_hi; x 0.201 kg
def test_gas_by_volume_uses_the_bills_brennwert_and_zustandszahl():
    line = one({"carrier": "natural_gas", "quantity": "10000", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
                "z_number": "0.9543"})
    assert line.quantity_in_factor_unit == Fraction("106881.6") / Fraction("1.11")
    assert line.t_location == Fraction("106881.6") / Fraction("1.11") * Fraction("0.201") / 1000
    assert format_t(line.t_location) == "19.354"
    assert line.calorific_value_kwh_per_m3 == Decimal("11.2") and line.z_number == Decimal("0.9543")


def test_gas_by_volume_accepts_german_numbers_and_m_cubed():
    line = one({"carrier": "natural_gas", "quantity": "10.000", "unit": "m³", "calorific_value_kwh_per_m3": "11,2",
                "z_number": "0,9543"})
    assert format_t(line.t_location) == "0.019"  # "10.000" is ten in the API's reading (a dot is decimal)


@pytest.mark.parametrize("extra,missing", [
    ({}, {"calorific_value_kwh_per_m3", "z_number"}),
    ({"calorific_value_kwh_per_m3": "11.2"}, {"z_number"}),
    ({"z_number": "0.95"}, {"calorific_value_kwh_per_m3"}),
])
def test_gas_by_volume_without_the_bills_numbers_names_the_missing_field(extra, missing):
    found = errors_of([{"carrier": "natural_gas", "quantity": "10000", "unit": "m3", **extra}])
    assert {field for _line, field, code in found if code == "required"} == missing


@pytest.mark.parametrize("field,value", [("calorific_value_kwh_per_m3", "0"), ("calorific_value_kwh_per_m3", "112"),
                                         ("z_number", "-1"), ("z_number", "abc")])
def test_implausible_brennwert_or_zustandszahl_is_rejected(field, value):
    line = {"carrier": "natural_gas", "quantity": "10000", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
            "z_number": "0.95", field: value}
    assert {f for _l, f, _c in errors_of([line])} == {field}


def test_brennwert_on_a_line_not_in_cubic_metres_is_rejected():
    found = errors_of([{"carrier": "natural_gas", "quantity": "1", "unit": "kWh_hs", "z_number": "0.95"}])
    assert found == {(0, "z_number", "not_gas_by_volume")}


def test_heating_oil_in_cubic_metres_stays_a_volume():
    assert format_t(one({"carrier": "heating_oil", "quantity": "1", "unit": "m3"}).t_location) == "2.660"


# Rule 7: t CO2e = kg x GWP / 1000, AR6; blends by composition, not rounded.
@pytest.mark.parametrize("refrigerant,kg,unit,expected,gwp", [
    ("R-404A", "5", "kg", "23.640", "4728"),             # 0.44x3740 + 0.52x5810 + 0.04x1530 = 4728
    ("R-407C", "10", "kg", "19.079", "1907.93"),         # 0.23x771 + 0.25x3740 + 0.52x1530; 19.0793 t
    ("R-410A", "2", "kg", "4.511", "2255.5"),            # 0.5x771 + 0.5x3740 = 2255.5
    ("R-134a", "0.002", "t", "3.060", "1530"),           # 2 kg
    ("R-32", "1", "kg", "0.771", "771"),
    ("R-744", "100", "kg", "0.100", "1"),
    ("R-290", "10", "kg", "0.000", "0.02"),
    ("R-1234yf", "1000", "kg", "0.501", "0.501"),
])
def test_refrigerants_by_ar6_gwp(refrigerant, kg, unit, expected, gwp):
    line = one({"carrier": "refrigerant", "refrigerant": refrigerant, "quantity": kg, "unit": unit})
    assert line.factor.value == Decimal(gwp)
    assert format_t(line.t_location) == expected
    assert line.scope == 1 and line.refrigerant == refrigerant and line.name_de == f"Kältemittel {refrigerant}"


def test_r407c_is_exact_before_rounding():
    line = one({"carrier": "refrigerant", "refrigerant": "R-407C", "quantity": "10", "unit": "kg"})
    assert line.t_location == Fraction("19.0793")


def test_refrigerant_is_found_however_it_is_written():
    for spelling in ("r404a", "R 404 A", "R404A", "r-404a"):
        assert one({"carrier": "refrigerant", "refrigerant": spelling, "quantity": "1", "unit": "kg"}).refrigerant \
            == "R-404A"


def test_refrigerant_errors_name_the_field():
    assert errors_of([{"carrier": "refrigerant", "refrigerant": "R-999", "quantity": "1", "unit": "kg"}]) \
        == {(0, "refrigerant", "unknown_refrigerant")}
    assert errors_of([{"carrier": "refrigerant", "quantity": "1", "unit": "kg"}]) == {(0, "refrigerant", "required")}
    assert errors_of([{"carrier": "diesel", "refrigerant": "R-32", "quantity": "1", "unit": "l"}]) \
        == {(0, "refrigerant", "not_a_refrigerant_line")}
    assert (0, "unit", "unit_mismatch") in errors_of(
        [{"carrier": "refrigerant", "refrigerant": "R-32", "quantity": "1", "unit": "kWh"}])


# Rule 8: Scope 3 per pkm, CO2e, valid for every balance year.
@pytest.mark.parametrize("carrier,pkm,expected", [
    ("car_pkm", "10000", "1.640"), ("ecar_pkm", "10000", "0.700"), ("rail_long_distance", "50000", "1.300"),
    ("rail_regional", "10000", "0.440"), ("bus_local", "10000", "0.900"), ("tram_metro", "10000", "0.420"),
    ("flight_domestic", "2000", "0.580"),
])
def test_scope3_defaults_per_passenger_km(carrier, pkm, expected):
    for year in (1990, 2024, 2030):
        line = one({"carrier": carrier, "quantity": pkm, "unit": "pkm", "category": "business_travel"}, year)
        assert format_t(line.t_location) == expected and line.scope == 3 and not line.fallback


def test_scope3_categories_are_summed_apart_and_only_for_scope3():
    result = calculate(TABLE, 2024, [
        {"carrier": "rail_long_distance", "quantity": "50000", "unit": "pkm", "category": "business_travel"},
        {"carrier": "car_pkm", "quantity": "10000", "unit": "pkm", "category": "commuting"},
        {"carrier": "bus_local", "quantity": "10000", "unit": "pkm"},
    ])
    assert result.by_category == {"business_travel": Fraction("1.3"), "commuting": Fraction("1.64")}
    assert format_t(result.totals["scope3"]) == "3.840"
    assert errors_of([{"carrier": "diesel", "quantity": "1", "unit": "l", "category": "commuting"}]) \
        == {(0, "category", "not_scope3")}
    assert errors_of([{"carrier": "car_pkm", "quantity": "1", "unit": "pkm", "category": "holiday"}]) \
        == {(0, "category", "unknown_category")}


def test_messages_name_carriers_without_internal_keys_and_in_english_when_read_in_english():
    with pytest.raises(CalculationError) as info:
        calculate(TABLE, 2024, [{"carrier": "natural_gas", "quantity": "1", "unit": "kWh"}])
    message = info.value.errors[0]
    assert "natural_gas" not in message.message() and "Erdgas" in message.message()
    assert "Natural gas" in message.message(language="en")
