"""The open-data page (/offene-daten/) and its DCAT-AP.de catalogue (/offene-daten/dcat.rdf and
/offene-daten/dcat.jsonld): public, no login. The catalogue is built from the pact's configuration
and the settings (no query besides the cached pact) and is cacheable with an ETag."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from klimapakt.api.caching import cacheable
from klimapakt.core.selectors import current_pact_or_404

from . import dcat

CACHE_SECONDS = 3600


def page(request):
    pact = current_pact_or_404()
    absolute = request.build_absolute_uri
    partners = absolute(reverse("api-1.0.0:partners"))
    progress = absolute(reverse("api-1.0.0:pact_progress"))
    return render(request, "insights/open_data.html", {
        "licence": dcat.licence(),
        "publisher": pact.office_name_de or f"Stadt {pact.city}",  # as the catalogue names it
        "datasets": [
            {"key": "partners", "json": partners, "csv": f"{partners}?format=csv"},
            {"key": "progress", "json": progress, "csv": f"{progress}?format=csv"},
        ],
        # The catalogue's stable addresses: without the language prefix in every language.
        **_unprefixed(absolute, dcat_rdf="open_data:dcat_rdf", dcat_jsonld="open_data:dcat_jsonld"),
        "api_docs": reverse("api-1.0.0:openapi-view"),
        "openapi": absolute(reverse("api-1.0.0:openapi-json")),
    })


def _unprefixed(absolute, **names) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {key: absolute(reverse(name)) for key, name in names.items()}


def dcat_rdf(request):
    catalogue = dcat.catalogue(current_pact_or_404(), request.build_absolute_uri)
    return cacheable(request, dcat.as_rdf_xml(catalogue), content_type="application/rdf+xml; charset=utf-8",
                     max_age=CACHE_SECONDS)


def dcat_jsonld(request):
    catalogue = dcat.catalogue(current_pact_or_404(), request.build_absolute_uri)
    return cacheable(request, dcat.as_json_ld(catalogue), content_type="application/ld+json; charset=utf-8",
                     max_age=CACHE_SECONDS)
