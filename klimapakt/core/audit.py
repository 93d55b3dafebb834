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
