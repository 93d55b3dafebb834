"""The JSON API, version 1. Each app registers its router (``<app>/api.py``) in
``core.registry.api_routers``; this module mounts them. OpenAPI document: /api/v1/openapi.json, interactive docs: /api/v1/docs."""

from django.http import Http404
from ninja import NinjaAPI, Swagger

from . import errors
from .schemas import ErrorOut, PactOut

api = NinjaAPI(
    title="Klimapakt API",
    version="1.0.0",
    description="Open data and services of the climate pact. Amounts are decimal strings. Errors: "
                "HTTP 4xx with {\"errors\": [{\"field\", \"message\", \"line\"?}]}. Texts come in the "
                "language of `?lang=de|en`, else of the Accept-Language header, else German.",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Served from our static files ("ninja" is an installed app). No validator badge: Swagger UI
    # would send the document to validator.swagger.io, an external host.
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api-1.0.0",
    parser=errors.Parser(),
)
errors.install(api)


@api.get("/pact", response={200: PactOut, 404: ErrorOut}, tags=["pact"], summary="The pact and its configuration")
def pact(request):
    from klimapakt.core.selectors import current_pact

    current = current_pact()
    if current is None:
        raise Http404
    return PactOut(
        city=current.city,
        name=current.name,
        decided_on=current.decided_on,
        target_year=current.target_year,
        monitoring_interval_years=current.monitoring_interval_years,
        baseline_report_due_months=current.baseline_report_due_months,
        first_monitoring_year=current.first_monitoring_year,
        monitoring_years=current.monitoring_years(),
        contact_email=current.contact_email,
        initial_partners=[
            {"name": p.name, "short_name": p.short_name, "kind": p.kind, "website": p.website}
            for p in current.partner_list
        ],
    )


def _mount_app_routers():
    """Every router an app registered (core.registry.api_routers), in their order."""
    from django.utils.module_loading import import_string

    from klimapakt.core.registry import api_routers

    for entry in api_routers:
        api.add_router("/", import_string(entry.router.replace(":", ".")))


_mount_app_routers()
