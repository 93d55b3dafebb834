"""The audit log: one function every service calls after a state change."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEntry


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def log_action(action: str, *, obj: models.Model | None = None, actor=None, data: dict | None = None) -> AuditEntry:
    """Record `action` (a code such as ``partners.agreement.signed``) on `obj` by `actor`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(action=action, actor=actor, data=_jsonable(data or {}))
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


# --------------------------------------------------------------------------- display
# How the back office shows an entry: each app registers, once (AppConfig.ready), the names of its
# actions ("events.registration.created" -> "Anmeldung eingegangen", lazily translated) and
# optionally a function that turns an entry's data into readable (label, text) pairs, label ""
# for a text that says it all ("mit Nachricht"). Unregistered actions show their key and data.

Details = Callable[[str, dict], list[tuple[str, Any]]]
_ACTION_LABELS: dict[str, Any] = {}
_DETAILS: dict[str, Details] = {}


def register_actions(app: str, labels: Mapping[str, Any], details: Details | None = None) -> None:
    """Names (and optionally the data's reading) for the audit actions of `app` (the first part
    of the action key, e.g. "events")."""
    _ACTION_LABELS.update(labels)
    if details is not None:
        _DETAILS[app] = details


def action_label(action: str) -> str:
    return str(_ACTION_LABELS.get(action, action))


def plain_details(data) -> list[tuple[str, Any]]:
    """Data without a registered reading: key and value, lists joined, yes/no for booleans."""
    from django.utils.translation import gettext as _

    if not isinstance(data, dict):
        return [("", data)]

    def text(value):
        if isinstance(value, bool):
            return _("ja") if value else _("nein")
        return ", ".join(map(str, value)) if isinstance(value, list) else value

    return [(key, text(value)) for key, value in data.items()]


def action_details(action: str, data) -> list[tuple[str, Any]]:
    reading = _DETAILS.get(action.split(".", 1)[0])
    if reading is None or not isinstance(data, dict):
        return plain_details(data)
    return reading(action, data)


# --------------------------------------------------------------------------- reading data by model fields
# Most entries carry field values of one model ({"year": 2024, "status": "submitted"}, {"fields": [...]},
# {"changes": {field: [old, new]}}): those read by the model's own labels and choices.


def _field(model, name):
    try:
        return model._meta.get_field(name) if model is not None else None
    except Exception:  # noqa: BLE001 - a field that no longer exists keeps its name
        return None


def field_label(model, name: str) -> str:
    field = _field(model, name)
    return str(getattr(field, "verbose_name", None) or name)


def date_text(value) -> str:
    """A date or moment stored as ISO text, in the reader's format (a moment in local time)."""
    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.formats import date_format

    text = str(value)
    moment = parse_datetime(text) if "T" in text or " " in text else None
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "SHORT_DATETIME_FORMAT")
    day = parse_date(text)
    return date_format(day, "SHORT_DATE_FORMAT") if day else text


def number_text(value) -> str:
    """A number stored as text ("1234.50"), in the reader's format ("1.234,5"): core.formatting."""
    from .formatting import number

    return number(value) or str(value)


def field_text(model, name: str, value) -> Any:
    """A stored value as the model shows it: choice labels, yes/no, dates in the reader's format."""
    from django.utils.translation import gettext as _

    field = _field(model, name)
    if isinstance(field, models.BooleanField) and value in ("True", "False"):
        value = value == "True"  # a change stored as text
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, list):
        return ", ".join(str(field_text(model, name, item)) for item in value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, (models.DateField, models.DateTimeField)) and value:
        return date_text(value)
    if isinstance(field, (models.DecimalField, models.FloatField)) and value not in (None, "", "None"):
        return number_text(value)
    return value


def model_details(data: dict, *, model=None, labels: Mapping[str, Any] | None = None,
                  readers: Mapping[str, Callable[[Any], Any]] | None = None,
                  skip: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """An entry's data as (label, text) pairs: `labels` and `readers` first, then `model`'s field names and
    choices; "fields" (names of changed fields) and "changes" ({field: [old, new]}) read as such. Keys in
    `skip` (object numbers the entry's object already names) and empty values are left out."""
    from django.utils.translation import gettext as _

    labels, readers = labels or {}, readers or {}
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key in skip or value is None or value == "" or value == [] or value == {}:
            continue
        if key == "fields" and key not in labels and isinstance(value, list):
            rows.append((_("Geändert"), ", ".join(field_label(model, name) for name in value)))
        elif key == "changes" and key not in labels and isinstance(value, dict):
            for name, change in value.items():
                old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
                old, new = field_text(model, name, old), field_text(model, name, new)
                rows.append((field_label(model, name), new if old in (None, "", "None") else f"{old} → {new}"))
        elif key in labels or key in readers:
            text = readers[key](value) if key in readers else field_text(model, key, value)
            if text is not None:  # a reader returns None for a value not worth a line
                rows.append((str(labels.get(key, "")), text))
        elif _field(model, key) is not None:
            rows.append((field_label(model, key), field_text(model, key, value)))
        else:
            rows.extend(plain_details({key: value}))
    return rows
