"""Open data: the pact's progress (GET /api/v1/pact/progress), public and cacheable, as JSON or
CSV. Mounted under /api/v1/ by klimapakt/api/urls.py (registered in apps.py). The figures are
the public ones of the progress page (``pact_progress(pact, public=True)``: privacy threshold and
complementary suppression applied); the shape is built in ``insights.open_data``."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from ninja import Field, Router, Schema

from klimapakt.api.caching import cacheable, json_body
from klimapakt.api.schemas import ErrorOut
from klimapakt.core.selectors import current_pact_or_404

from .figures import Progress
from .open_data import progress_csv, progress_payload
from .selectors.progress import public_progress

router = Router(tags=["pact"])
T_CO2E = ("t CO2e as a decimal string with 3 decimals; null where the year is suppressed, or where fewer "
          "organisations than the privacy threshold stand behind this figure (e.g. Scope 3, which only some report)")


class ProgressYearOut(Schema):
    year: int = Field(description="The balance year (the year the accepted reports' CO2 balances cover)")
    organisations_reporting: int = Field(description="Organisations with an accepted report for this year")
    scope1: str | None = Field(description=f"Scope 1 summed over those organisations; {T_CO2E}",
                               examples=["1234.567"])
    scope2_location: str | None = Field(description=f"Scope 2, location-based; {T_CO2E}")
    scope2_market: str | None = Field(description=f"Scope 2, market-based; {T_CO2E}")
    scope3: str | None = Field(description=f"Scope 3 (where reported; not every partner reports it); {T_CO2E}")
    total_scope12_location: str | None = Field(
        description=f"The pact's headline: Scope 1 + Scope 2 location-based, the minimum every partner reports; "
                    f"{T_CO2E}")
    total_location: str | None = Field(
        description=f"Scope 1 + Scope 2 location-based + Scope 3, as POST /api/v1/calculate defines it; {T_CO2E}")
    total_market: str | None = Field(description=f"Scope 1 + Scope 2 market-based + Scope 3; {T_CO2E}")
    suppressed: bool = Field(description="True where fewer organisations than the pact's privacy threshold "
                                         "reported (or another year's suppression would reveal this one): "
                                         "then every figure of the year is null")


class PartnerYearOut(Schema):
    year: int = Field(description="Calendar year")
    joined: int = Field(description="Partnerships that began in the year")
    left: int = Field(description="Partnerships that ended in the year")
    active: int = Field(description="Active partnerships at the end of the year")


class MeasureYearOut(Schema):
    year: int = Field(description="The balance year (the same reports as in `years`)")
    measures_total: int | None = Field(description="Measures those reports recorded; null when suppressed")
    measures_implemented: int | None = Field(description="Of them implemented; null when suppressed")
    expected_savings: str | None = Field(description=f"Expected savings per year of the measures; {T_CO2E}")
    realised_savings: str | None = Field(description=f"Savings per year the partners realised; {T_CO2E}")


class ProgressOut(Schema):
    years: list[ProgressYearOut] = Field(description="Emissions of the accepted reports per balance year")
    partners: list[PartnerYearOut] = Field(description="Partnerships per calendar year")
    measures: list[MeasureYearOut] = Field(description="The measures of the same reports per balance year")


def _progress(pact) -> Progress:
    """The public figures, the snapshot the German progress page shows (``public_progress``,
    cached for PROGRESS_CACHE_SECONDS): the payload has no words, so one language serves all."""
    with translation.override(settings.LANGUAGE_CODE):
        return public_progress(pact)


@router.get("/pact/progress", response={200: ProgressOut, 304: None, 404: ErrorOut}, url_name="pact_progress",
            summary="The pact's progress in figures (open data)",
            description="Open data, no login: the summed CO2 balances of the accepted reports per balance year "
                        "(the figures of the public progress page), partnerships per year and the measures of the "
                        "reports. Only closed balance years are listed: a year is closed some months after the due "
                        "date of its reports (or earlier by the pact office), and from then on its figures never "
                        "change (a report accepted or corrected later is not added). Amounts are t CO2e as decimal strings with 3 decimals. A year with fewer "
                        "reporting organisations than the privacy threshold is `suppressed` and its figures are "
                        "null. `?format=csv` gives one table with one row per year (comma-separated, decimal "
                        "point, UTF-8; columns: year, organisations_reporting, the seven figures, suppressed, the "
                        "four measure columns, partners_joined, partners_left, partners_active; empty cell: "
                        "null). The same snapshot as the public progress page, cached for 5 minutes; supports ETag / "
                        "If-None-Match (304).")
def pact_progress(request, format: str = "json"):
    fmt = "csv" if format == "csv" else "json"
    pact = current_pact_or_404()
    progress = _progress(pact)
    # The body of one snapshot is built once (per format); its ETag changes with the snapshot.
    key = f"insights:api:progress:{pact.pk}:{fmt}:{progress.generated_at.isoformat()}"
    seconds = max(int(settings.PROGRESS_CACHE_SECONDS), 0)
    cached = cache.get(key)
    if cached is None:
        payload = progress_payload(progress)
        body = progress_csv(payload) if fmt == "csv" else json_body(payload)
        cached = (body, f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"')
        if seconds:
            cache.set(key, cached, seconds)
    body, etag = cached
    if fmt == "csv":
        return cacheable(request, body, content_type="text/csv; charset=utf-8", max_age=seconds, etag=etag,
                         filename="klimapakt-fortschritt.csv")
    return cacheable(request, body, content_type="application/json; charset=utf-8", max_age=seconds, etag=etag)
