"""API of the CO2 balance: the public calculator and the factor library.

POST /api/v1/calculate          compute a balance with the current factor set (nothing stored)
GET  /api/v1/emission-factors   the factors that apply to a year (or all current ones)

Amounts are decimal strings; t CO2e with exactly 3 decimals (half-up). Errors: 400 with
{"errors": [{"line", "field", "message"}]} where ``line`` is the 0-based index into
``activities``."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import WithJsonSchema

from klimapakt.api.errors import ApiError, error
from klimapakt.api.schemas import ErrorOut

from . import calculation
from .selectors import factor_table

router = Router(tags=["co2"])
MAX_LINES = 1000

DecimalInput = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}],
                                              "examples": ["250000"]})]
OptionalDecimalInput = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"},
                                                                {"type": "null"}], "examples": ["0.0"]})]
TextInput = Annotated[Any, WithJsonSchema({"type": "string"})]


class ActivityIn(Schema):
    carrier: TextInput = Field(..., description="Carrier key, e.g. natural_gas, electricity, diesel")
    quantity: DecimalInput = Field(..., description="Quantity as a decimal string (or number), not negative")
    unit: TextInput = Field(..., description="Unit, e.g. kWh_hs (gas bill), kWh_hi, kWh, MWh, l, m3")
    supplier_factor_kg_per_kwh: OptionalDecimalInput = Field(
        None, description="Scope 2 only: the supplier's factor in kg CO2 per kWh (market-based)")
    refrigerant: TextInput | None = Field(
        None, description="Carrier `refrigerant` only: which refrigerant leaked (was refilled), e.g. R-404A; "
                          "quantity in kg or t")
    category: TextInput | None = Field(
        None, description="Scope 3 only, optional: business_travel or commuting")
    calorific_value_kwh_per_m3: OptionalDecimalInput = Field(
        None, description="Gas in m3 only: the bill's gross calorific value (Brennwert, Hs) in kWh per m3")
    z_number: OptionalDecimalInput = Field(None, description="Gas in m3 only: the bill's Zustandszahl")


class CalculateIn(Schema):
    year: int = Field(..., description="Balance year")
    activities: list[ActivityIn]


class FactorOut(Schema):
    id: int | str
    value: str
    unit: str
    year: int | None
    status: str | None = Field(None, description="final, preliminary or estimate where the source says")
    source: str
    fallback: bool
    market_based_fallback: bool


class LineOut(Schema):
    carrier: str
    name: str
    scope: int
    quantity: str
    unit: str
    t_co2e_location: str
    t_co2e_market: str
    supplier_factor_kg_per_kwh: str | None
    refrigerant: str | None = None
    category: str | None = None
    calorific_value_kwh_per_m3: str | None = None
    z_number: str | None = None
    factor: FactorOut
    fallback: bool
    market_based_fallback: bool


class TotalsOut(Schema):
    scope1: str
    scope2_location: str
    scope2_market: str
    scope3: str
    total_location: str
    total_market: str


class WarningOut(Schema):
    line: int | None
    field: str | None
    code: str
    message: str


class CalculateOut(Schema):
    year: int
    totals_t_co2e: TotalsOut
    scope3_by_category_t_co2e: dict[str, str] = Field(
        default_factory=dict, description="Scope 3 lines that name a category, summed per category")
    lines: list[LineOut]
    warnings: list[WarningOut]


class EmissionFactorOut(Schema):
    id: int | str
    carrier: str
    refrigerant: str | None = Field(None, description="Carrier `refrigerant`: the refrigerant; value = GWP")
    composition: str | None = Field(None, description="A refrigerant blend: components and mass %")
    name: str
    scope: int
    unit: str
    value: str
    year: int | None
    status: str | None = Field(None, description="final, preliminary or estimate where the source says")
    source: str
    note: str
    fallback: bool


def plain(value: Decimal | None) -> str | None:
    """A decimal as a plain string without exponent or trailing zeros: 0.363, 10, 2.645."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _message_dict(message: calculation.Message, *, as_error: bool) -> dict:
    text = message.message(_, get_language())
    if message.line is not None:
        where = f"activities[{message.line}]" + (f".{message.field}" if message.field else "")
        text = f"{where}: {text}"
    if as_error:
        return error(text, field=message.field, line=message.line)
    return {"line": message.line, "field": message.field, "code": message.code, "message": text}


def result_as_dict(result: calculation.Result, *, language: str = "de") -> dict:
    lines = []
    for line in result.lines:
        lines.append({
            "carrier": line.carrier,
            "name": line.name_en if language == "en" and line.name_en else line.name_de,
            "scope": line.scope,
            "quantity": plain(line.quantity),
            "unit": line.unit,
            "t_co2e_location": calculation.format_t(line.t_location),
            "t_co2e_market": calculation.format_t(line.t_market),
            "supplier_factor_kg_per_kwh": plain(line.supplier_factor_kg_per_kwh),
            "refrigerant": line.refrigerant or None,
            "category": line.category or None,
            "calorific_value_kwh_per_m3": plain(line.calorific_value_kwh_per_m3),
            "z_number": plain(line.z_number),
            "factor": {"id": line.factor.id, "value": plain(line.factor.value), "unit": line.factor.unit,
                       "year": line.factor.year, "status": line.factor.status or None, "source": line.factor.source,
                       "fallback": line.fallback, "market_based_fallback": line.market_based_fallback},
            "fallback": line.fallback,
            "market_based_fallback": line.market_based_fallback,
        })
    return {
        "year": result.year,
        "totals_t_co2e": {k: calculation.format_t(v) for k, v in result.emissions.exact().items()},
        "scope3_by_category_t_co2e": {k: calculation.format_t(v) for k, v in sorted(result.by_category.items())},
        "lines": lines,
        "warnings": [_message_dict(w, as_error=False) for w in result.warnings],
    }


@router.post("/calculate", response={200: CalculateOut, 400: ErrorOut}, auth=None,
             summary="Compute a CO2 balance (nothing is stored)")
def calculate(request, payload: CalculateIn):
    """Scope 1, Scope 2 location- and market-based and Scope 3 in t CO2e, with the factor each
    line used. The rules are in docs/ghg.md and klimapakt/ghg/data/README.md."""
    if len(payload.activities) > MAX_LINES:
        raise ApiError([error(_("Höchstens %(n)s Zeilen je Anfrage.") % {"n": MAX_LINES}, field="activities")])
    activities = [a.model_dump() for a in payload.activities]
    with translation.override(_request_language(request)):
        try:
            result = calculation.calculate(factor_table(), payload.year, activities)
        except calculation.CalculationError as exc:
            raise ApiError([_message_dict(m, as_error=True) for m in exc.errors]) from None
        # The answer is built exactly as documented by CalculateOut; returned as JSON directly
        # to skip a second validation pass (the endpoint's time budget is 10 ms).
        return JsonResponse(result_as_dict(result, language=(get_language() or "de")[:2]))


def _request_language(request) -> str:
    """The API is not under a language prefix: it follows the Accept-Language header."""
    return translation.get_language_from_request(request, check_path=False)


class FactorQuery(Schema):
    year: int | None = Field(None, description="Only the factors that apply to this balance year")


@router.get("/emission-factors", response={200: list[EmissionFactorOut], 400: ErrorOut}, auth=None,
            summary="Emission factors of the current set (optionally: those that apply to a year)")
def emission_factors(request, filters: Query[FactorQuery]):
    table = factor_table()
    language = _request_language(request)[:2]
    if filters.year is not None:
        if not calculation.MIN_YEAR <= filters.year <= calculation.MAX_YEAR:
            raise ApiError([error(_("Das Jahr muss zwischen %(min)s und %(max)s liegen.")
                                  % {"min": calculation.MIN_YEAR, "max": calculation.MAX_YEAR}, field="year")])
        rows = table.factors_for_year(filters.year)
    else:
        rows = [(f, False) for f in table.factors]
    return [
        {"id": f.id, "carrier": f.carrier, "refrigerant": f.variant or None,
         "composition": calculation.format_composition(f.composition) or None,
         "name": f.name_en if language == "en" and f.name_en else f.name_de,
         "scope": f.scope, "unit": f.unit, "value": plain(f.value), "year": f.year, "status": f.status or None,
         "source": f.source, "note": f.note, "fallback": fallback}
        for f, fallback in rows
    ]
