"""Property tests of the calculation (hypothesis): invariants that hold for any input."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimapakt.ghg.calculation import CalculationError, Result, calculate, default_table, format_t, round_t

TABLE = default_table()
VALID = [(c, u) for c in TABLE.carriers() for u in TABLE.units_for(c)]

quantities = st.decimals(min_value=0, max_value=Decimal("1e9"), places=4, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=1990, max_value=2040)
supplier = st.one_of(st.none(), st.decimals(min_value=0, max_value=2, places=3))
calorific = st.decimals(min_value=Decimal("8"), max_value=Decimal("13"), places=3)
z_numbers = st.decimals(min_value=Decimal("0.8"), max_value=Decimal("1.0"), places=4)


@st.composite
def activities(draw):
    carrier, unit = draw(st.sampled_from(VALID))
    line = {"carrier": carrier, "quantity": str(draw(quantities)), "unit": unit}
    if TABLE.carrier_info(carrier).scope == 2:
        factor = draw(supplier)
        if factor is not None:
            line["supplier_factor_kg_per_kwh"] = str(factor)
    if TABLE.variant_field(carrier):
        line["refrigerant"] = draw(st.sampled_from(TABLE.variants(carrier)))
    if TABLE.gas_by_volume(carrier, unit):
        line["calorific_value_kwh_per_m3"] = str(draw(calorific))
        line["z_number"] = str(draw(z_numbers))
    if TABLE.carrier_info(carrier).scope == 3:
        line["category"] = draw(st.sampled_from(["", "business_travel", "commuting"]))
    return line


@settings(max_examples=300, deadline=None)
@given(year=years, line=activities(), share=st.fractions(min_value=0, max_value=1))
def test_splitting_a_quantity_into_two_lines_never_changes_the_total(year, line, share):
    quantity = Decimal(line["quantity"])
    first = (quantity * Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal("0.0001"))
    first = min(first, quantity)
    second = quantity - first
    whole = calculate(TABLE, year, [line])
    split = calculate(TABLE, year, [line | {"quantity": str(first)}, line | {"quantity": str(second)}])
    assert whole.totals == split.totals
    assert {k: format_t(v) for k, v in whole.totals.items()} == {k: format_t(v) for k, v in split.totals.items()}


PREFIX_STEPS = [("MWh", "kWh", 1000), ("GWh", "MWh", 1000), ("kWh", "Wh", 1000), ("GJ", "MJ", 1000), ("m3", "l", 1000)]


@settings(max_examples=300, deadline=None)
@given(year=years, line=activities(), step=st.sampled_from(PREFIX_STEPS))
def test_converting_units_first_never_changes_the_result(year, line, step):
    big, small, ratio = step
    if "calorific_value_kwh_per_m3" in line or (big == "m3" and TABLE.gas_by_volume(line["carrier"], "m3")):
        return  # gas in m3 is read through the bill's Brennwert (rule 6), not as litres
    unit = line["unit"]
    suffix = unit[-3:] if unit.endswith(("_hs", "_hi")) else ""
    if unit != big + suffix:
        line = line | {"unit": big + suffix}
        if (big + suffix) not in TABLE.units_for(line["carrier"]):
            return
    if (small + suffix) not in TABLE.units_for(line["carrier"]):
        return  # e.g. gas in m³ (with Brennwert and Zustandszahl, rule 6) has no litres to convert to
    converted = line | {"quantity": str(Decimal(line["quantity"]) * ratio), "unit": small + suffix}
    assert calculate(TABLE, year, [line]).totals == calculate(TABLE, year, [converted]).totals


@settings(max_examples=200, deadline=None)
@given(year=years, kwh_hi=quantities, carrier_ratio=st.sampled_from(
    [("natural_gas", "1.11"), ("heating_oil", "1.06"), ("lpg", "1.09")]))
def test_gross_to_net_conversion_first_gives_the_same_result(year, kwh_hi, carrier_ratio):
    carrier, hs_hi = carrier_ratio
    gross = calculate(TABLE, year, [{"carrier": carrier, "quantity": str(kwh_hi * Decimal(hs_hi)), "unit": "kWh_hs"}])
    net = calculate(TABLE, year, [{"carrier": carrier, "quantity": str(kwh_hi), "unit": "kWh_hi"}])
    assert gross.totals == net.totals


@settings(max_examples=200, deadline=None)
@given(year=years, litres=quantities)
def test_heating_oil_litres_equal_ten_kwh_hi_each(year, litres):
    a = calculate(TABLE, year, [{"carrier": "heating_oil", "quantity": str(litres), "unit": "l"}])
    b = calculate(TABLE, year, [{"carrier": "heating_oil", "quantity": str(litres * 10), "unit": "kWh_hi"}])
    assert a.totals == b.totals


@settings(max_examples=200, deadline=None)
@given(year=years, lines=st.lists(activities(), max_size=8), data=st.data())
def test_order_of_lines_does_not_matter_and_totals_add_up(year, lines, data):
    result = calculate(TABLE, year, lines)
    shuffled = data.draw(st.permutations(lines))
    assert calculate(TABLE, year, shuffled).totals == result.totals
    t = result.totals
    assert t["total_location"] == t["scope1"] + t["scope2_location"] + t["scope3"]
    assert t["total_market"] == t["scope1"] + t["scope2_market"] + t["scope3"]
    assert t["total_location"] == sum((line.t_location for line in result.lines), 0)
    assert all(v >= 0 for v in t.values())


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
              st.sampled_from(["kWh", "kWh_hs", "l", "m3", "natural_gas", "electricity", "1e999", "-0", "1,5"])),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
raw_line = st.fixed_dictionaries({}, optional={
    "carrier": st.one_of(st.sampled_from(TABLE.carriers()), json_values),
    "quantity": st.one_of(st.decimals(allow_nan=True, allow_infinity=True).map(str), json_values),
    "unit": st.one_of(st.sampled_from(sorted(TABLE.units)), json_values),
    "supplier_factor_kg_per_kwh": json_values,
    "refrigerant": st.one_of(st.sampled_from(["R-404A", "r32", "R 410 A", "R-999"]), json_values),
    "category": st.one_of(st.sampled_from(["business_travel", "commuting", "x"]), json_values),
    "calorific_value_kwh_per_m3": st.one_of(st.sampled_from(["11,2", "0", "-1", "99"]), json_values),
    "z_number": st.one_of(st.sampled_from(["0.9543", "0", "5"]), json_values),
})


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.one_of(years, json_values), lines=st.one_of(st.lists(st.one_of(raw_line, json_values), max_size=5),
                                                           json_values))
def test_arbitrary_input_never_crashes(year, lines):
    try:
        result = calculate(TABLE, year, lines)
    except CalculationError as error:
        assert error.errors
        for e in error.errors:
            assert isinstance(e.message(), str) and e.message()
            assert e.line is None or 0 <= e.line < len(lines)
    else:
        assert isinstance(result, Result)
        for value in result.totals.values():
            format_t(value)


@settings(max_examples=150, deadline=None)
@given(year=years, groups=st.lists(st.tuples(st.integers(0, 3), activities()), max_size=20))
def test_totals_by_key_equal_the_line_by_line_calculation(year, groups):
    from klimapakt.ghg.calculation import totals_by_key

    rows = [(key, line["carrier"], line["unit"],
             Decimal(line["supplier_factor_kg_per_kwh"]) if "supplier_factor_kg_per_kwh" in line else None,
             line.get("refrigerant"), line.get("category"), line.get("calorific_value_kwh_per_m3"),
             line.get("z_number"), int(Decimal(line["quantity"]).scaleb(6))) for key, line in groups]
    totals, rejected = totals_by_key(TABLE, year, rows)
    assert not rejected
    for key in {k for k, _line in groups}:
        expected = calculate(TABLE, year, [line for k, line in groups if k == key]).totals
        assert totals[key].totals() == expected
        assert totals[key].rounded() == {k: round_t(v) for k, v in expected.items()}


@settings(max_examples=300, deadline=None)
@given(year=years, m3=quantities, hs=calorific, z=z_numbers)
def test_gas_in_cubic_metres_equals_entering_its_kwh_hs(year, m3, hs, z):
    """Rule 6: m3 x Brennwert x Zustandszahl = kWh_hs, then as kWh_hs (exactly, not rounded)."""
    by_volume = calculate(TABLE, year, [{"carrier": "natural_gas", "quantity": str(m3), "unit": "m3",
                                         "calorific_value_kwh_per_m3": str(hs), "z_number": str(z)}])
    direct = calculate(TABLE, year, [{"carrier": "natural_gas", "quantity": str(m3 * hs * z), "unit": "kWh_hs"}])
    assert by_volume.totals == direct.totals
    assert by_volume.lines[0].quantity_in_factor_unit == direct.lines[0].quantity_in_factor_unit


BLENDS = [f for f in TABLE.factors if f.composition]


@settings(max_examples=200, deadline=None)
@given(blend=st.sampled_from(BLENDS), kg=quantities, year=years)
def test_a_blend_emits_what_its_components_emit(blend, kg, year):
    """Rule 7: a blend's GWP is the mass-weighted sum of its parts: leaking a blend equals
    leaking each component's share of it."""
    whole = calculate(TABLE, year, [{"carrier": "refrigerant", "refrigerant": blend.variant, "quantity": str(kg),
                                     "unit": "kg"}])
    parts = calculate(TABLE, year, [{"carrier": "refrigerant", "refrigerant": name, "unit": "kg",
                                     "quantity": str(kg * share / 100)} for name, share in blend.composition])
    assert whole.totals == parts.totals
    gwp = TABLE.factor_for("refrigerant", year, blend.variant)[0].value
    assert gwp == sum(share * TABLE.factor_for("refrigerant", year, name)[0].value / 100
                      for name, share in blend.composition)
