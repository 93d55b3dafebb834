"""Answers of the open-data endpoints that clients and proxies may cache: a strong ETag over
the body (If-None-Match answers 304 Not Modified without it), Cache-Control and CORS for
anyone. The body is built in the request's language, so the ETag differs per language."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified


def etag_of(body: str) -> str:
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def json_body(payload) -> str:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)


def _matches(header: str, etag: str) -> bool:
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def cacheable_json(request, body: str, *, max_age: int, etag: str | None = None) -> HttpResponse:
    """`body` (JSON text) as a cacheable answer, or 304 when the client holds this version."""
    return cacheable(request, body, content_type="application/json; charset=utf-8", max_age=max_age, etag=etag)


def cacheable(request, body: str, *, content_type: str, max_age: int, etag: str | None = None,
              filename: str = "") -> HttpResponse:
    """`body` (text of any type: JSON, CSV, RDF) as a cacheable answer, or 304 when the client holds
    this version. With `filename`, browsers save it under that name (a CSV download)."""
    etag = etag or etag_of(body)
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept-Encoding"
    return response
