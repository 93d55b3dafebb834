"""Open data: the initial partners' published offers as JSON (no login, cacheable), mounted
under /api/v1/ by klimapakt/api/urls.py (registered in apps.py)."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from ninja import Field, Router, Schema

from klimapakt.core.selectors import current_pact_or_404

from .models import Offer
from .selectors.offers import offers_api, offers_version

router = Router(tags=["support"])
CACHE_SECONDS = 300

OfferKind = Literal[tuple(Offer.Kind.values)]
OfferAudience = Literal[tuple(Offer.Audience.values)]
LanguageCode = Literal[tuple(code for code, _name in settings.LANGUAGES)]


class InstitutionOut(Schema):
    id: int = Field(description="Id of the initial partner (see GET /api/v1/pact)")
    name: str = Field(description="Name of the institution")


class CostOut(Schema):
    free: bool = Field(description="True when the offer is free of charge")
    text: str = Field(description="The price in words (e.g. a co-payment), in the answer's language; may be empty")


class OfferOut(Schema):
    id: int
    title: str = Field(description="Title in the answer's language (German when no English text exists)")
    kind: OfferKind = Field(description="first_advice: Erstberatung, funding: Fördermittelberatung, "
                                        "climate_concept: Klimaschutzkonzept für KMU, energy_scouts: Energie-Scouts, "
                                        "site_check: Vor-Ort-Check, network: Netzwerk, other: Sonstiges")
    kind_label: str = Field(description="The kind in words, in the answer's language")
    summary: str = Field(description="Short description in the answer's language")
    institution: InstitutionOut = Field(description="The initial partner that offers it")
    audience: OfferAudience = Field(description="everyone: every firm; partners: Klimapartner only")
    cost: CostOut
    url: str = Field(description="Absolute URL of the offer's public page (with the request form link)")


def _payload(request) -> list[dict]:
    items = []
    for offer in offers_api(pact=current_pact_or_404()):
        items.append({
            "id": offer.pk, "title": offer.title, "kind": offer.kind, "kind_label": str(offer.get_kind_display()),
            "summary": offer.summary,
            "institution": {"id": offer.institution_id, "name": offer.institution.name},
            "audience": offer.audience, "cost": {"free": offer.is_free, "text": offer.price},
            "url": request.build_absolute_uri(reverse("support:offer", args=[offer.pk])),
        })
    return items


@router.get("/support/offers", response=list[OfferOut], url_name="support_offers",
            summary="Published offers of the initial partners",
            description="Open data, no login: the advice, funding, training and network offers of the pact's "
                        "initial partners for firms. Texts in German, or in English with `?lang=en` or "
                        "`Accept-Language: en` (German where no English text exists; the answer's "
                        "Content-Language says which). Cached for 5 minutes; supports ETag / If-None-Match.")
def offers(request, lang: LanguageCode | None = None):
    language = lang or translation.get_language() or settings.LANGUAGE_CODE
    pact = current_pact_or_404()
    key = "support:api:offers:" + hashlib.sha256(
        f"{offers_version(pact=pact)}|{language}|{request.get_host()}|{request.scheme}".encode()).hexdigest()[:32]
    cached = cache.get(key)
    if cached is None:
        with translation.override(language):
            body = json.dumps(_payload(request), ensure_ascii=False)
        cached = (body, f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"')
        cache.set(key, cached, CACHE_SECONDS)
    body, etag = cached
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Content-Language"] = language
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ("Accept-Language", "Accept-Encoding"))
    return response
