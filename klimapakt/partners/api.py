"""Open data: the public partner directory as JSON or CSV (no login, cacheable). Apps above
partners add their published figures as list fields of each partner through
``partners.registry.public_figures`` (the reports app: ``reports``)."""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import create_model

from klimapakt.api.caching import cacheable_json, json_body
from klimapakt.api.errors import ApiError, error
from klimapakt.api.schemas import ErrorOut
from klimapakt.core.spreadsheet import csv_bytes

from .registry import public_figures
from .selectors import api_partners
from .services import directory_version

router = Router(tags=["partners"])
CACHE_SECONDS = 300


class TargetOut(Schema):
    base_year: int
    target_year: int
    reduction_percent: str | None = None
    reduction_t_co2e: str | None = None
    scopes: str
    neutral_by: int | None = None


class PartnerBase(Schema):
    id: int
    name: str
    kind: str
    sector: str
    partner_since: datetime.date | None
    website: str
    targets: list[TargetOut]
    latitude: str | None = None
    longitude: str | None = None
    url: str = Field("", description="This partner in this API: GET /api/v1/partners/{id}")


# Built when the API is mounted (after every app registered its figures).
PartnerOut = create_model("PartnerOut", __base__=PartnerBase,
                          **{entry.api_field: (list[entry.api_schema], []) for entry in public_figures})


def _dec(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def partners_payload(partners: list | None = None, *, request=None) -> list[dict]:
    """The API items of `partners` (default: every listed partner), with their published figures
    (public_figures, one query per app for all of them). With `request`: each with its `url`."""
    items = []
    partners = api_partners() if partners is None else partners
    ids = [o.pk for o in partners]
    figures = {entry.api_field: entry.api_payload(ids) for entry in public_figures}
    for o in partners:
        public_location = o.show_location and o.latitude is not None and o.longitude is not None
        items.append({
            "id": o.pk, "name": o.name, "kind": o.kind, "sector": o.sector,
            "partner_since": o.partner_since, "website": o.website,
            "targets": [{"base_year": t.base_year, "target_year": t.target_year,
                         "reduction_percent": _dec(t.reduction_percent), "reduction_t_co2e": _dec(t.reduction_t_co2e),
                         "scopes": t.scopes, "neutral_by": t.neutral_by} for t in o.current_targets],
            "latitude": _dec(o.latitude) if public_location else None,
            "longitude": _dec(o.longitude) if public_location else None,
            **{field: payload.get(o.pk, []) for field, payload in figures.items()},
            "url": request.build_absolute_uri(reverse("api-1.0.0:partner", args=[o.pk])) if request else "",
        })
    return items


def _csv(items: list[dict]) -> str:
    """One row per target; every cell through the export rule (core.spreadsheet)."""
    header = ["id", "name", "kind", "sector", "partner_since", "website", "latitude", "longitude",
              "target_base_year", "target_year", "reduction_percent", "reduction_t_co2e", "scopes", "neutral_by"]
    return csv_bytes(_csv_rows(items), header=header, delimiter=",").decode("utf-8").lstrip("\ufeff")


def _csv_rows(items: list[dict]):
    for p in items:
        head = [p["id"], p["name"], p["kind"], p["sector"], p["partner_since"] or "", p["website"],
                p["latitude"] or "", p["longitude"] or ""]
        for t in p["targets"] or [None]:
            tail = ["", "", "", "", "", ""] if t is None else [
                t["base_year"], t["target_year"], t["reduction_percent"] or "", t["reduction_t_co2e"] or "",
                t["scopes"], t["neutral_by"] or ""]
            yield head + tail


@router.get("/partners", response=list[PartnerOut], url_name="partners",
            summary="Active Klimapartner who consented to be listed",
            description="Open data, no login. `?format=csv` gives one row per target (partners without target: "
                        "one row). Decimal values are strings. Cached for 5 minutes; supports ETag.")
def partners(request, format: str = "json"):
    fmt = "csv" if format == "csv" else "json"
    key = f"partners:api:{directory_version()}:{fmt}:{request.get_host()}"
    cached = cache.get(key)
    if cached is None:
        items = partners_payload(request=request)
        body = _csv(items) if fmt == "csv" else json.dumps(items, cls=DjangoJSONEncoder, ensure_ascii=False)
        cached = (body, f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"')
        cache.set(key, cached, CACHE_SECONDS)
    body, etag = cached
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        if fmt == "csv":
            response["Content-Disposition"] = 'attachment; filename="klimapartner.csv"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept-Encoding"
    return response


@router.get("/partners/{partner_id}", response={200: PartnerOut, 304: None, 404: ErrorOut}, url_name="partner",
            summary="One active Klimapartner who consented to be listed",
            description="The same item as in GET /api/v1/partners: targets in force and the published figures of "
                        "accepted reports. 404 for any organisation that is not listed (not active, or without "
                        "consent). Cached for 5 minutes; supports ETag (If-None-Match gives 304).")
def partner(request, partner_id: int):
    key = f"partners:api:{directory_version()}:one:{partner_id}:{request.get_host()}"
    body = cache.get(key)
    if body is None:
        items = partners_payload(api_partners(pk=partner_id), request=request)
        body = json_body(items[0]) if items else ""  # "": not listed (kept too, until the directory changes)
        cache.set(key, body, CACHE_SECONDS)
    if not body:
        raise ApiError([error(_("Klimapartner nicht gefunden."))], status=404)
    return cacheable_json(request, body, max_age=CACHE_SECONDS)
