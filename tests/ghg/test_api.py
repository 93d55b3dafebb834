"""POST /api/v1/calculate and GET /api/v1/emission-factors: the public contract."""

import json
from pathlib import Path

import pytest
from django.test import Client

EXAMPLE = json.loads((Path(__file__).parent / "data" / "calculate-basic.json").read_text(encoding="utf-8"))
URL = "/api/v1/calculate"


@pytest.fixture
def api(db):
    return Client(enforce_csrf_checks=True)


def post(client, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json")


def test_worked_example_passes(api):
    response = post(api, EXAMPLE["request"])
    assert response.status_code == 200, response.content
    data = response.json()
    expected = EXAMPLE["expected"]
    assert [line["t_co2e_location"] for line in data["lines"]] == expected["lines_t_co2e_location"]
    for key, value in expected["totals_t_co2e"].items():
        assert data["totals_t_co2e"][key] == value
    assert data["totals_t_co2e"]["scope3"] == "0.000"
    electricity = data["lines"][1]
    assert electricity["market_based_fallback"] is True and electricity["scope"] == 2
    assert electricity["factor"]["year"] == 2024 and electricity["factor"]["value"] == "0.363"
    assert "Umweltbundesamt" in electricity["factor"]["source"]
    assert isinstance(electricity["factor"]["id"], int)
    assert data["lines"][0]["market_based_fallback"] is False and data["lines"][0]["fallback"] is False
    assert data["year"] == 2024
    assert [w["code"] for w in data["warnings"]] == ["market_based_fallback"]
    assert data["warnings"][0]["line"] == 1


def test_issue_example_with_supplier_factor(api):
    response = post(api, {"year": 2024, "activities": [
        {"carrier": "natural_gas", "quantity": "250000", "unit": "kWh_hs"},
        {"carrier": "electricity", "quantity": "80", "unit": "MWh", "supplier_factor_kg_per_kwh": "0.0"}]})
    data = response.json()
    assert response.status_code == 200
    assert data["totals_t_co2e"] == {"scope1": "45.270", "scope2_location": "29.040", "scope2_market": "0.000",
                                     "scope3": "0.000", "total_location": "74.310", "total_market": "45.270"}
    assert data["lines"][1]["market_based_fallback"] is False
    assert data["lines"][1]["t_co2e_market"] == "0.000"


def test_fallback_year_is_flagged_and_named(api):
    data = post(api, {"year": 2026, "activities": [{"carrier": "electricity", "quantity": 1000, "unit": "kWh"}]}).json()
    line = data["lines"][0]
    assert line["fallback"] is True and line["factor"]["year"] == 2024 and line["factor"]["fallback"] is True
    assert any(w["code"] == "factor_fallback" and "2024" in w["message"] for w in data["warnings"])


@pytest.mark.parametrize("activity,field", [
    ({"carrier": "plutonium", "quantity": "1", "unit": "kWh"}, "carrier"),
    ({"carrier": "diesel", "quantity": "1", "unit": "gallon"}, "unit"),
    ({"carrier": "diesel", "quantity": "-3", "unit": "l"}, "quantity"),
    ({"carrier": "diesel", "quantity": "drei", "unit": "l"}, "quantity"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "kWh"}, "unit"),
    ({"carrier": "diesel", "quantity": "1", "unit": "kWh"}, "unit"),
    ({"carrier": "electricity", "quantity": "1", "unit": "kWh", "supplier_factor_kg_per_kwh": "-1"},
     "supplier_factor_kg_per_kwh"),
    ({"quantity": "1", "unit": "l"}, "carrier"),
    ({"carrier": "diesel", "unit": "l"}, "quantity"),
    ({"carrier": "diesel", "quantity": None, "unit": "l"}, "quantity"),
    ({"carrier": 5, "quantity": "1", "unit": "l"}, "carrier"),
])
def test_rejected_line_gives_400_with_line_and_field(api, activity, field):
    response = post(api, {"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1", "unit": "l"}, activity]})
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(e["line"] == 1 and e["field"] == field and e["message"] for e in errors), errors


def test_ambiguous_kwh_message_asks_for_hs_or_hi(api):
    response = post(api, {"year": 2024, "activities": [{"carrier": "natural_gas", "quantity": "1", "unit": "kWh"}]})
    (error,) = response.json()["errors"]
    assert "kWh_hs" in error["message"] and "kWh_hi" in error["message"]
    assert error["line"] == 0 and error["field"] == "unit"


@pytest.mark.parametrize("body", [
    "", "not json", "[]", "null", "42", '{"year": 2024}', '{"activities": []}', '{"year": "x", "activities": []}',
    '{"year": 1700, "activities": []}', '{"year": 2024, "activities": {}}', '{"year": 2024, "activities": [1, "a"]}',
    '{"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1e999999", "unit": "l"}]}',
    '{"year": 2024, "activities": [{"carrier": "diesel", "quantity": 1e308, "unit": "l"}]}',
    '{"year": 2024, "activities": [{"carrier": "diesel", "quantity": "NaN", "unit": "l"}]}',
    '{"year": 1989, "activities": [{"carrier": "electricity", "quantity": "1", "unit": "kWh"}]}',
    '{"year": 2024, "activities": [{"carrier": ["x"], "quantity": {"a": 1}, "unit": true}]}',
    b"\xff\xfe\x00",
])
def test_bad_input_never_yields_a_500(api, body):
    response = post(api, body)
    assert response.status_code == 400, (body, response.status_code, response.content)
    errors = response.json()["errors"]
    assert errors and all("message" in e and "field" in e for e in errors)


def test_base_years_back_to_1990_are_balanced_and_earlier_ones_refused(api):
    response = post(api, {"year": 1990, "activities": [{"carrier": "electricity", "quantity": "1000", "unit": "kWh",
                                                        "supplier_factor_kg_per_kwh": "0.1"}]})
    assert response.status_code == 200, response.content
    line = response.json()["lines"][0]
    assert (line["t_co2e_location"], line["t_co2e_market"], line["factor"]["status"]) == ("0.764", "0.100", "final")
    response = post(api, {"year": 1989, "activities": [{"carrier": "electricity", "quantity": "1", "unit": "kWh"}]})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year"


def test_calculate_accepts_refrigerants_travel_and_gas_by_volume(api):
    response = post(api, {"year": 2024, "activities": [
        {"carrier": "refrigerant", "refrigerant": "R-404A", "quantity": "5", "unit": "kg"},
        {"carrier": "rail_long_distance", "quantity": "50000", "unit": "pkm", "category": "business_travel"},
        {"carrier": "natural_gas", "quantity": "10000", "unit": "m3", "calorific_value_kwh_per_m3": "11.2",
         "z_number": "0.9543"}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [line["t_co2e_location"] for line in body["lines"]] == ["23.640", "1.300", "19.354"]
    assert body["lines"][0]["refrigerant"] == "R-404A" and body["lines"][0]["factor"]["value"] == "4728"
    assert body["lines"][2]["calorific_value_kwh_per_m3"] == "11.2" and body["lines"][2]["z_number"] == "0.9543"
    assert body["totals_t_co2e"]["scope1"] == "42.994" and body["totals_t_co2e"]["scope3"] == "1.300"
    assert body["scope3_by_category_t_co2e"] == {"business_travel": "1.300"}


@pytest.mark.parametrize("line,field", [
    ({"carrier": "refrigerant", "refrigerant": "R-999", "quantity": "5", "unit": "kg"}, "refrigerant"),
    ({"carrier": "refrigerant", "quantity": "5", "unit": "kg"}, "refrigerant"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "m3", "z_number": "0.95"}, "calorific_value_kwh_per_m3"),
    ({"carrier": "natural_gas", "quantity": "1", "unit": "m3", "calorific_value_kwh_per_m3": "11"}, "z_number"),
    ({"carrier": "car_pkm", "quantity": "1", "unit": "pkm", "category": "holidays"}, "category"),
])
def test_errors_of_the_new_fields_name_line_and_field(api, line, field):
    response = post(api, {"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1", "unit": "l"}, line]})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [(1, field)]
    assert errors[0]["message"].startswith(f"activities[1].{field}: ")


def test_too_many_lines(api):
    response = post(api, {"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1", "unit": "l"}] * 1001})
    assert response.status_code == 400


def test_callable_without_csrf_even_with_a_session(db, client):
    from tests.conftest import make_user

    c = Client(enforce_csrf_checks=True)
    c.force_login(make_user("x@example.org"))
    assert post(c, EXAMPLE["request"]).status_code == 200


def test_empty_list_is_a_zero_balance(api):
    data = post(api, {"year": 2024, "activities": []}).json()
    assert data["totals_t_co2e"]["total_location"] == "0.000" and data["lines"] == []


def test_english_names_with_accept_language(api):
    response = api.post(URL, json.dumps(EXAMPLE["request"]), content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["lines"][0]["name"] == "Natural gas"


def test_emission_factors_for_a_year(api):
    response = api.get("/api/v1/emission-factors", {"year": 2024})
    assert response.status_code == 200
    rows = response.json()
    by_carrier = {r["carrier"]: r for r in rows}
    # 13 carriers of the default set, 7 Scope 3 defaults, 10 refrigerants
    assert len(rows) == 30 and by_carrier["electricity"]["value"] == "0.363"
    assert by_carrier["electricity"]["year"] == 2024 and by_carrier["electricity"]["fallback"] is False
    assert by_carrier["electricity"]["status"] == "estimate"
    assert by_carrier["natural_gas"]["year"] is None and by_carrier["natural_gas"]["unit"] == "kWh_hi"
    assert by_carrier["car_pkm"]["unit"] == "pkm" and by_carrier["car_pkm"]["value"] == "0.164"
    refrigerants = {r["refrigerant"]: r for r in rows if r["carrier"] == "refrigerant"}
    assert refrigerants["R-407C"]["value"] == "1907.93" and refrigerants["R-407C"]["composition"] \
        == "R-32:23;R-125:25;R-134a:52"
    assert all(r["source"] for r in rows)
    rows_2021 = {r["carrier"]: r for r in api.get("/api/v1/emission-factors", {"year": 2021}).json()}
    assert rows_2021["electricity"]["year"] == 2021 and rows_2021["electricity"]["fallback"] is False
    rows_2025 = {r["carrier"]: r for r in api.get("/api/v1/emission-factors", {"year": 2025}).json()}
    assert rows_2025["electricity"]["year"] == 2024 and rows_2025["electricity"]["fallback"] is True
    rows_1990 = {r["carrier"]: r for r in api.get("/api/v1/emission-factors", {"year": 1990}).json()}
    assert rows_1990["electricity"]["value"] == "0.764" and "diesel" in rows_1990


def test_emission_factors_all_and_bad_year(api):
    # every current row: 19 + 7 + 10 shipped, and 35 of the grid-mix edition of which 7 replace older rows
    assert len(api.get("/api/v1/emission-factors").json()) == 64
    assert api.get("/api/v1/emission-factors", {"year": "abc"}).status_code == 400
    assert api.get("/api/v1/emission-factors", {"year": 3000}).status_code == 400


def test_api_uses_the_current_factor_edition(api, world):
    from klimapakt.ghg.models import EmissionFactor
    from klimapakt.ghg.services import factor_edition_create

    old = EmissionFactor.objects.get(carrier="diesel")
    new = factor_edition_create(factor=old, value="2.7", source="Korrektur", actor=world["users"]["office"])
    data = post(api, {"year": 2024, "activities": [{"carrier": "diesel", "quantity": "1000", "unit": "l"}]}).json()
    assert data["lines"][0]["factor"]["id"] == new.pk and data["totals_t_co2e"]["scope1"] == "2.700"


def test_openapi_documents_the_endpoints(api):
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/calculate" in schema["paths"] and "/api/v1/emission-factors" in schema["paths"]
