"""The API's error format (DESIGN.md §4): HTTP 4xx with
``{"errors": [{"field": ..., "message": ..., "line": ...}]}``, in the language of the request
(Accept-Language, see klimapakt/api/middleware.py), also for the schema errors of pydantic."""

from __future__ import annotations

import json
import re

import ninja.parser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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


# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in words
# for the people who call the API, translatable like every other message.
_NOT_JSON = gettext_lazy("Der Inhalt der Anfrage ist kein gültiges JSON.")
_TOO_DEEP = gettext_lazy("Der Inhalt der Anfrage ist zu tief verschachtelt.")
SCHEMA_MESSAGES = {
    "missing": gettext_lazy("Diese Angabe fehlt."),
    "string_type": gettext_lazy("Bitte geben Sie einen Text an."),
    "bool_type": gettext_lazy("Bitte geben Sie true oder false an."),
    "bool_parsing": gettext_lazy("Bitte geben Sie true oder false an."),
    "int_type": gettext_lazy("Bitte geben Sie eine ganze Zahl an."),
    "int_parsing": gettext_lazy("Bitte geben Sie eine ganze Zahl an."),
    "int_from_float": gettext_lazy("Bitte geben Sie eine ganze Zahl an."),
    "float_type": gettext_lazy("Bitte geben Sie eine Zahl an."),
    "float_parsing": gettext_lazy("Bitte geben Sie eine Zahl an."),
    "decimal_type": gettext_lazy("Bitte geben Sie eine Zahl an."),
    "decimal_parsing": gettext_lazy("Bitte geben Sie eine Zahl an."),
    "dict_type": gettext_lazy("Bitte geben Sie ein JSON-Objekt an."),
    "model_type": gettext_lazy("Bitte geben Sie ein JSON-Objekt an."),
    "model_attributes_type": gettext_lazy("Bitte geben Sie ein JSON-Objekt an."),
    "list_type": gettext_lazy("Bitte geben Sie eine Liste an."),
    "json_invalid": _NOT_JSON,
    "json_too_deep": _TOO_DEEP,
}

# No body of this API nests deeper than a few levels. Python's json module and pydantic recurse
# once per level, so JSON nested thousands of levels deep ended in RecursionError, i.e. a 500.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class JsonTooDeep(ValueError):
    pass


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays and objects in `text` nest deeper than `limit` (brackets inside strings
    do not count). One pass without recursion, so it is safe on any input."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def loads(body: bytes | str):
    """json.loads for request bodies: raises JsonTooDeep (a ValueError) for bodies nested deeper
    than MAX_JSON_DEPTH, ValueError for anything that is not JSON."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if json_depth_exceeds(text):
        raise JsonTooDeep("JSON nested too deeply")
    try:
        return json.loads(body)
    except RecursionError:  # the check above should make this impossible; never a 500
        raise JsonTooDeep("JSON nested too deeply") from None


def schema_message(item: dict) -> str:
    """One pydantic error item as a sentence in the active language."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        return _("Bitte höchstens %(n)s Zeichen.") % {"n": ctx["max_length"]}
    if kind in ("literal_error", "enum") and "expected" in ctx:
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx["expected"]))) or str(ctx["expected"])
        return _("Bitte wählen Sie eine dieser Möglichkeiten: %(choices)s.") % {"choices": choices}
    return str(SCHEMA_MESSAGES.get(kind, gettext_lazy("Diese Angabe ist ungültig.")))


def schema_errors(items) -> list[dict]:
    """pydantic / ninja error items in the API's error format, in the active language."""
    errors = []
    for item in items:
        field, line = _loc_to_field(item.get("loc", ()))
        errors.append(error(schema_message(item), field=field, line=line))
    return errors


def parse_body(request: HttpRequest, schema, *, partial: bool = False):
    """Validate the JSON body against `schema` inside an endpoint, i.e. after its own checks (an
    unknown event is a 404 whatever the body says). Errors come out like ninja's own body
    validation: a ninja ValidationError, answered by the handler below.

    partial=True (every field of `schema` has a default): a body that is a JSON object always
    gives a payload, with the default in place of each field that failed, and the list of those
    failures in the error format, so the endpoint can add its own checks of the rest and
    report everything in one answer. Returns (payload, errors)."""
    import pydantic
    from ninja.errors import ValidationError

    try:
        data = loads(request.body) if request.body else {}
    except JsonTooDeep:
        raise ValidationError([{"type": "json_too_deep", "loc": ("body",), "msg": "Too deep"}]) from None
    except ValueError:  # also UnicodeDecodeError
        raise ValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Invalid JSON"}]) from None
    if not isinstance(data, dict):
        raise ValidationError([{"type": "dict_type", "loc": ("body",), "msg": "Not an object"}])
    try:
        payload = schema.model_validate(data)
    except pydantic.ValidationError as exc:
        items = exc.errors(include_url=False, include_input=False)
        if not partial:
            raise ValidationError([{**item, "loc": ("body", *item["loc"])} for item in items]) from None
        failed = {item["loc"][0] for item in items if item["loc"]}
        payload = schema.model_validate({k: v for k, v in data.items() if k not in failed})
        return payload, schema_errors(items)
    return (payload, []) if partial else payload


class Parser(ninja.parser.Parser):
    """ninja's body parser (for endpoints that declare a body schema) with the depth limit.
    ninja answers any failure here as HttpError 400 "Cannot parse request body" (see below)."""

    def parse_body(self, request: HttpRequest):
        return loads(request.body)


def install(api) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.http import Http404
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError):
        return api.create_response(request, {"errors": exc.errors}, status=exc.status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError):
        return api.create_response(request, {"errors": schema_errors(exc.errors)}, status=400)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [error(m, field=f if f != "__all__" else None) for f, ms in exc.message_dict.items() for m in ms]
        else:
            errors = [error(m) for m in exc.messages]
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc):
        return api.create_response(request, {"errors": [error(_("Bitte melden Sie sich an."))]}, status=401)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc):
        return api.create_response(request, {"errors": [error(_("Nicht gefunden."))]}, status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError):
        # ninja's own messages are English sentences; ours are translated where they are raised.
        message = str(exc)
        if exc.status_code == 429:
            message = _("Zu viele Anfragen. Bitte warten Sie einen Moment.")
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = str(_TOO_DEEP if isinstance(exc.__cause__, JsonTooDeep) else _NOT_JSON)
        return api.create_response(request, {"errors": [error(message)]}, status=exc.status_code)
