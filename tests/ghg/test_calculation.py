"""The calculation engine (plain Python): golden values computed by hand from the reference
table for every carrier and unit path, the rules of shared/data/README.md, and the worked
example. No database needed."""

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from klimapakt.ghg.calculation import (
    Activity,
    CalculationError,
    FactorTable,
    base_table,
    calculate,
    format_t,
    intensity,
    parse_decimal,
    round_t,
)

EXAMPLE = json.loads((Path(__file__).parent / "data" / "calculate-basic.json").read_text(encoding="utf-8"))
# The first contract's default set: these golden values and rules hold for it unchanged. The
# second contract (editions, refrigerants, Scope 3, gas by volume) is tested in
# test_calculation_second_contract.py against everything shipped.
TABLE = base_table()


def one(carrier, quantity, unit, year=2024, **extra):
    result = calculate(TABLE, year, [{"carrier": carrier, "quantity": quantity, "unit": unit, **extra}])
    return result.lines[0]


# (carrier, quantity, unit, year, expected t CO2e location, working)
GOLDEN = [
    ("natural_gas", "1000", "kWh_hi", 2024, "0.201", "1000 kWh_hi x 0.201 kg"),
    ("natural_gas", "1110", "kWh_hs", 2024, "0.201", "1110 / 1.11 = 1000 kWh_hi"),
    ("natural_gas", "1.11", "MWh_hs", 2024, "0.201", "1.11 MWh_hs = 1110 kWh_hs"),
    ("natural_gas", "1110000", "Wh_hs", 2024, "0.201", "Wh_hs / 1000"),
    ("natural_gas", "0.00111", "GWh_hs", 2024, "0.201", "GWh_hs x 1e6"),
    ("natural_gas", "3996", "MJ_hs", 2024, "0.201", "3996 / 3.6 = 1110 kWh_hs"),
    ("natural_gas", "3.996", "GJ_hs", 2024, "0.201", "3.996 x 1000 / 3.6 = 1110 kWh_hs"),
    ("natural_gas", "3.6", "GJ_hi", 2024, "0.201", "3.6 GJ = 1000 kWh_hi"),
    ("natural_gas", "250000", "kWh_hs", 2024, "45.270", "225225.2252... x 0.201 = 45270.27 kg"),
    ("heating_oil", "1000", "l", 2024, "2.660", "1000 l x 10 kWh_hi/l x 0.266"),
    ("heating_oil", "1", "m3", 2024, "2.660", "1 m3 = 1000 l"),
    ("heating_oil", "1060", "kWh_hs", 2024, "0.266", "1060 / 1.06 = 1000 kWh_hi"),
    ("heating_oil", "1", "MWh_hi", 2024, "0.266", ""),
    ("heavy_fuel_oil", "1000", "kWh_hi", 2024, "0.288", ""),
    ("lpg", "1090", "kWh_hs", 2024, "0.239", "1090 / 1.09 = 1000 kWh_hi"),
    ("lpg", "1000", "kWh_hi", 2024, "0.239", ""),
    ("hard_coal", "1", "MWh_hi", 2024, "0.335", ""),
    ("lignite", "1000", "kWh_hi", 2024, "0.383", ""),
    ("biogas", "1000", "kWh_hi", 2024, "0.152", ""),
    ("wood_pellets", "1000", "kWh_hi", 2024, "0.036", ""),
    ("wood", "1000", "kWh_hi", 2024, "0.027", ""),
    ("diesel", "1000", "l", 2024, "2.645", ""),
    ("diesel", "1", "m3", 2024, "2.645", "1 m3 = 1000 l"),
    ("diesel", "4000", "l", 2024, "10.580", ""),
    ("petrol", "1000", "l", 2024, "2.326", ""),
    ("petrol", "0.5", "m3", 2024, "1.163", ""),
    ("district_heating", "1000", "kWh", 2024, "0.280", ""),
    ("district_heating", "1", "MWh", 2024, "0.280", ""),
    ("district_heating", "3.6", "GJ", 2024, "0.280", "3.6 GJ = 1000 kWh"),
    ("district_heating", "3600", "MJ", 2024, "0.280", ""),
    ("electricity", "1000", "kWh", 2017, "0.485", ""),
    ("electricity", "1000", "kWh", 2018, "0.468", ""),
    ("electricity", "1000", "kWh", 2019, "0.401", ""),
    ("electricity", "1000", "kWh", 2020, "0.366", ""),
    ("electricity", "1000", "kWh", 2022, "0.433", ""),
    ("electricity", "1000", "kWh", 2023, "0.386", ""),
    ("electricity", "1000", "kWh", 2024, "0.363", ""),
    ("electricity", "80", "MWh", 2024, "29.040", ""),
    ("electricity", "0.001", "GWh", 2024, "0.363", ""),
    ("electricity", "1000000", "Wh", 2024, "0.363", ""),
]


@pytest.mark.parametrize("carrier,quantity,unit,year,expected,working", GOLDEN,
                         ids=[f"{g[0]}-{g[2]}-{g[3]}-{g[1]}" for g in GOLDEN])
def test_golden_values(carrier, quantity, unit, year, expected, working):
    line = one(carrier, quantity, unit, year)
    assert format_t(line.t_location) == expected
    if line.scope == 1:
        assert line.t_market == line.t_location and not line.market_based_fallback


def test_every_carrier_of_the_reference_table_has_a_golden_value():
    assert {g[0] for g in GOLDEN} == set(TABLE.carriers())


def test_exact_value_is_kept_unrounded():
    line = one("natural_gas", "250000", "kWh_hs")
    assert line.quantity_in_factor_unit == Fraction(250000 * 100, 111)
    assert line.kg_location == Fraction(250000 * 100, 111) * Fraction("0.201")


def test_worked_example():
    request, expected = EXAMPLE["request"], EXAMPLE["expected"]
    result = calculate(TABLE, request["year"], request["activities"])
    assert [format_t(line.t_location) for line in result.lines] == expected["lines_t_co2e_location"]
    for key, value in expected["totals_t_co2e"].items():
        assert format_t(result.totals[key]) == value
    electricity = result.lines[1]
    assert electricity.market_based_fallback and electricity.scope == 2
    assert not result.lines[0].market_based_fallback and not result.lines[2].market_based_fallback


@pytest.mark.parametrize("year,factor_year,fallback", [
    (2017, 2017, False), (2020, 2020, False), (2021, 2020, True), (2024, 2024, False), (2025, 2024, True),
    (2035, 2024, True),
])
def test_factor_selection_by_year_with_fallback_flag(year, factor_year, fallback):
    result = calculate(TABLE, year, [{"carrier": "electricity", "quantity": "1", "unit": "kWh"}])
    line = result.lines[0]
    assert line.factor.year == factor_year and line.fallback is fallback
    codes = [w.code for w in result.warnings]
    assert ("factor_fallback" in codes) is fallback
    if fallback:
        assert str(factor_year) in next(w for w in result.warnings if w.code == "factor_fallback").message()


def test_factor_without_year_is_no_fallback():
    line = one("natural_gas", "1", "kWh_hi", year=2030)
    assert line.factor.year is None and line.fallback is False


def test_only_later_years_is_an_error_never_a_guess():
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, 2016, [{"carrier": "electricity", "quantity": "1", "unit": "kWh"}])
    (error,) = exc.value.errors
    assert (error.line, error.field, error.code) == (0, "carrier", "no_factor_for_year")
    assert "2017" in error.message()


def test_dated_row_preferred_over_undated_and_undated_used_before_first_year():
    from klimapakt.ghg.calculation import Factor

    rows = [Factor(1, "x", "X", "X", 1, "l", Decimal("1"), None, "s"),
            Factor(2, "x", "X", "X", 1, "l", Decimal("2"), 2020, "s")]
    table = FactorTable(rows, [])
    assert calculate(table, 2019, [{"carrier": "x", "quantity": "1", "unit": "l"}]).lines[0].factor.id == 1
    assert calculate(table, 2021, [{"carrier": "x", "quantity": "1", "unit": "l"}]).lines[0].factor.id == 2


@pytest.mark.parametrize("activity,field,code", [
    ({"carrier": "unobtainium", "quantity": "1", "unit": "kWh"}, "carrier", "unknown_carrier"),
    ({"carrier": "", "quantity": "1", "unit": "kWh"}, "carrier", "required"),
    ({"carrier": 7, "quantity": "1", "unit": "kWh"}, "carrier", "unknown_carrier"),
    ({"carrier": "diesel", "quantity": "1", "unit": "barrel"}, "unit", "unknown_unit"),
    ({"carrier": "diesel", "quantity": "1", "unit": None}, "unit", "required"),
    ({"carrier": "diesel", "quantity": "1", "unit": "kWh_hi"}, "unit", "unit_mismatch"),
    ({"carrier": "electricity", "quantity": "1", "unit": "l"}, "unit", "unit_mismatch"),
    ({"carrier": "electricity", "quantity": "1", "unit": "kWh_hs"}, "unit", "unit_mismatch"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "kWh"}, "unit", "ambiguous_unit"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "MWh"}, "unit", "ambiguous_unit"),
    ({"carrier": "heating_oil", "quantity": "1", "unit": "GJ"}, "unit", "ambiguous_unit"),
    ({"carrier": "hard_coal", "quantity": "1", "unit": "kWh_hs"}, "unit", "no_calorific_conversion"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "l"}, "unit", "unit_mismatch"),
    ({"carrier": "diesel", "quantity": "-1", "unit": "l"}, "quantity", "negative"),
    ({"carrier": "diesel", "quantity": "zwölf", "unit": "l"}, "quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": "NaN", "unit": "l"}, "quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": "Infinity", "unit": "l"}, "quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": True, "unit": "l"}, "quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": [1], "unit": "l"}, "quantity", "not_a_number"),
    ({"carrier": "diesel", "quantity": "", "unit": "l"}, "quantity", "required"),
    ({"carrier": "diesel", "quantity": "1e400", "unit": "l"}, "quantity", "too_large"),
    ({"carrier": "electricity", "quantity": "1", "unit": "kWh", "supplier_factor_kg_per_kwh": "-0.1"},
     "supplier_factor_kg_per_kwh", "negative"),
    ({"carrier": "electricity", "quantity": "1", "unit": "kWh", "supplier_factor_kg_per_kwh": "abc"},
     "supplier_factor_kg_per_kwh", "not_a_number"),
    ({"carrier": "electricity", "quantity": "1", "unit": "kWh", "supplier_factor_kg_per_kwh": "363"},
     "supplier_factor_kg_per_kwh", "too_large"),
    ({"carrier": "diesel", "quantity": "1", "unit": "l", "supplier_factor_kg_per_kwh": "0.1"},
     "supplier_factor_kg_per_kwh", "not_scope2"),
])
def test_rejected_input_names_line_and_field(activity, field, code):
    good = {"carrier": "diesel", "quantity": "1", "unit": "l"}
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, 2024, [good, activity])
    errors = exc.value.errors
    assert any(e.line == 1 and e.field == field and e.code == code for e in errors), [
        (e.line, e.field, e.code) for e in errors]
    assert all(e.line == 1 for e in errors)
    assert all(e.message() for e in errors)


def test_ambiguous_kwh_message_asks_for_hs_or_hi():
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, 2024, [{"carrier": "natural_gas", "quantity": "1", "unit": "kWh"}])
    message = exc.value.errors[0].message()
    assert "kWh_hs" in message and "kWh_hi" in message


def test_every_error_of_every_line_is_reported():
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, 2024, [
            {"carrier": "x", "quantity": "-1", "unit": "kWh"},
            {"carrier": "diesel", "quantity": "1", "unit": "l"},
            {"carrier": "natural_gas", "quantity": "a", "unit": "kWh"},
        ])
    assert {(e.line, e.field) for e in exc.value.errors} == {
        (0, "carrier"), (0, "quantity"), (2, "quantity"), (2, "unit")}


@pytest.mark.parametrize("year", ["x", None, 1800, 2500, 2024.5, True])
def test_bad_year_is_rejected(year):
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, year, [])
    assert exc.value.errors[0].field == "year" and exc.value.errors[0].line is None


def test_activities_must_be_a_list():
    with pytest.raises(CalculationError):
        calculate(TABLE, 2024, {"carrier": "diesel"})
    with pytest.raises(CalculationError) as exc:
        calculate(TABLE, 2024, ["diesel"])
    assert exc.value.errors[0].line == 0


def test_scope2_market_based_with_supplier_factor():
    line = one("electricity", "80", "MWh", supplier_factor_kg_per_kwh="0.0")
    assert format_t(line.t_location) == "29.040" and format_t(line.t_market) == "0.000"
    assert line.market_based_fallback is False
    line = one("district_heating", "10", "MWh", supplier_factor_kg_per_kwh="0,150")
    assert format_t(line.t_location) == "2.800" and format_t(line.t_market) == "1.500"


def test_scope2_without_supplier_factor_market_equals_location_and_is_flagged():
    result = calculate(TABLE, 2024, [{"carrier": "district_heating", "quantity": "1000", "unit": "kWh"}])
    line = result.lines[0]
    assert line.t_market == line.t_location and line.market_based_fallback
    assert [w.code for w in result.warnings] == ["market_based_fallback"]


def test_totals_split_location_and_market():
    result = calculate(TABLE, 2024, [
        {"carrier": "diesel", "quantity": "1000", "unit": "l"},
        {"carrier": "electricity", "quantity": "1000", "unit": "kWh", "supplier_factor_kg_per_kwh": "0.1"},
    ])
    t = {k: format_t(v) for k, v in result.totals.items()}
    assert t == {"scope1": "2.645", "scope2_location": "0.363", "scope2_market": "0.100", "scope3": "0.000",
                 "total_location": "3.008", "total_market": "2.745"}
    assert {c: format_t(v["location"]) for c, v in result.by_carrier.items()} == {
        "diesel": "2.645", "electricity": "0.363"}


def test_round_half_up_only_at_presentation():
    assert str(round_t(Fraction(25, 10000))) == "0.003"     # banker's rounding would give 0.002
    assert str(round_t(Fraction(24999, 10000000))) == "0.002"
    assert str(round_t(Fraction(-25, 10000))) == "-0.003"
    assert format_t(0) == "0.000"
    # 1 kWh at 0.5 kg/kWh market-based is 0.0005 t -> 0.001 (half-up)
    assert format_t(one("electricity", "1", "kWh", supplier_factor_kg_per_kwh="0.5").t_market) == "0.001"


def test_totals_are_summed_from_unrounded_lines():
    # Each line is 0.00028 t (rounds to 0.000); three lines are 0.00084 t -> 0.001.
    result = calculate(TABLE, 2024, [{"carrier": "district_heating", "quantity": "1", "unit": "kWh"}] * 3)
    assert [format_t(line.t_location) for line in result.lines] == ["0.000"] * 3
    assert format_t(result.totals["scope2_location"]) == "0.001"


@pytest.mark.parametrize("text,expected", [
    ("1234.5", "1234.5"), ("1234,5", "1234.5"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"),
    ("250 000", "250000"), (" 7 ", "7"), (3, "3"), (0.1, "0.1"), (Decimal("2.50"), "2.50"), ("1e3", "1E+3"),
])
def test_parse_decimal_accepts_common_spellings(text, expected):
    assert str(parse_decimal(text)) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2,3", "--1", "nan", "inf", None, True, [], {}, "1e99999"])
def test_parse_decimal_rejects(text):
    value = parse_decimal(text)
    assert value is None or text == "1e99999"


def test_units_are_matched_case_insensitively_and_with_aliases():
    assert one("natural_gas", "1110", "kwh_HS").unit == "kWh_hs"
    assert one("diesel", "1", "m³").unit == "m3"
    assert one("diesel", "1", "Liter").unit == "l"


def test_activity_objects_are_accepted():
    result = calculate(TABLE, 2024, [Activity("diesel", Decimal("1000"), "l")])
    assert format_t(result.totals["scope1"]) == "2.645"


def test_intensity():
    assert intensity(Fraction(10), 4) == Fraction(5, 2)
    assert intensity(Fraction(10), None) is None
    assert intensity(Fraction(10), 0) is None


def test_package_has_no_django_import():
    """The calculation is plain Python: importing it (every module) loads no Django."""
    import subprocess
    import sys

    package = Path(__file__).resolve().parents[2] / "klimapakt" / "ghg" / "calculation"
    for module in package.glob("*.py"):
        source = module.read_text()
        assert "import django" not in source and "from django" not in source, module.name
    code = ("import sys, pkgutil, importlib; import klimapakt.ghg.calculation as c; "
            "[importlib.import_module('klimapakt.ghg.calculation.' + m.name) for m in pkgutil.iter_modules(c.__path__)]; "
            "c.calculate(c.default_table(), 2024, [{'carrier': 'diesel', 'quantity': '1', 'unit': 'l'}]); "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], cwd=package.parents[2], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
