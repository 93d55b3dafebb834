"""Response headers Django has no setting for (docs/security.md, "Headers")."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse

from .responses import MissingFile


def permissions_policy(features: dict[str, list[str]]) -> str:
    """{"camera": [], "geolocation": ["self"]} -> 'camera=(), geolocation=(self)'."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class SecurityHeadersMiddleware:
    """Permissions-Policy (settings.PERMISSIONS_POLICY: browser features no page uses are off) and
    Cross-Origin-Resource-Policy (settings.CROSS_ORIGIN_RESOURCE_POLICY) on every response. A
    view that needs more sets the header itself and it is kept, e.g. a check-in page that scans QR
    codes: ``response["Permissions-Policy"] = permissions_policy({**settings.PERMISSIONS_POLICY,
    "camera": ["self"]})``. Responses open to every origin by CORS (the open data,
    ``Access-Control-Allow-Origin: *``) may also be embedded by other origins."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        # A NUL character is never part of a search or a number; PostgreSQL refuses it in a
        # query (a 500 from any filter given ?q=%00), so such a request is answered 400 at once.
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest("Bad request")
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        if settings.CROSS_ORIGIN_RESOURCE_POLICY and "Cross-Origin-Resource-Policy" not in response:
            public = response.get("Access-Control-Allow-Origin") == "*"
            response["Cross-Origin-Resource-Policy"] = "cross-origin" if public else settings.CROSS_ORIGIN_RESOURCE_POLICY
        return response


class MissingFileMiddleware:
    """A download whose file is gone from the storage (core.responses.MissingFile) gets a page
    that says so, in the site's layout, with status 404; not the "page not found" text, which
    would send the person to check the address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MissingFile):
            return TemplateResponse(request, "core/file_missing.html", status=404).render()
        return None
