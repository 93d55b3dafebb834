"""The API's error format (DESIGN.md §4): HTTP 4xx with
``{"errors": [{"field": ..., "message": ..., "line": ...}]}``."""

from __future__ import annotations

from django.http import HttpRequest


class ApiError(Exception):
    """Raise from an endpoint to answer with the stable error format."""

    def __init__(self, errors: list[dict], status: int = 400):
        self.errors = errors
        self.status = status
        super().__init__(errors)


def error(message: str, *, field: str | None = None, line: int | None = None) -> dict:
    item: dict = {"field": field, "message": str(message)}
    if line is not None:
        item["line"] = line
    return item


def _loc_to_field(loc) -> tuple[str | None, int | None]:
    parts = [p for p in loc if p not in ("body", "query", "path", "payload", "header")]
    line = None
    field_parts = []
    for p in parts:
        if isinstance(p, int) and line is None:
            line = p
        else:
            field_parts.append(str(p))
    return (field_parts[-1] if field_parts else None), line


def install(api) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError):
        return api.create_response(request, {"errors": exc.errors}, status=exc.status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError):
        errors = []
        for item in exc.errors:
            field, line = _loc_to_field(item.get("loc", ()))
            errors.append(error(item.get("msg", "invalid"), field=field, line=line))
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [error(m, field=f if f != "__all__" else None) for f, ms in exc.message_dict.items() for m in ms]
        else:
            errors = [error(m) for m in exc.messages]
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc):
        return api.create_response(request, {"errors": [error("Authentication required")]}, status=401)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        return api.create_response(request, {"errors": [error(str(exc))]}, status=exc.status_code)
