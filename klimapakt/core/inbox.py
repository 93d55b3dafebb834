"""The pact office's work list ("Aufgaben") on the back office's start page: every open to-do
the apps register in ``core.registry.office_tasks`` (agreements to counter-sign, reports to
review, ...), each kind bounded to its oldest ``TASKS_SHOWN`` with a link to the app's full
list, and the number of all open to-dos for the navigation's badge. Core names no app."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language

from . import derived, registry
from .formatting import age

TASKS_SHOWN = 20


def _kinds(request) -> list[registry.OfficeTasks]:
    user = request.user
    return [kind for kind in registry.office_tasks if kind.permission is None or user.has_perm(kind.permission)]


def _collect(kind: registry.OfficeTasks, request, limit: int) -> list[registry.Task]:
    if not kind.sources:
        return kind.collect(request, limit)
    return derived.cached(kind.sources, f"office-tasks:{kind.key}:{limit}:{get_language()}",
                          lambda: kind.collect(request, limit), timeout=kind.lifetime)


def work_list(request, *, limit: int = TASKS_SHOWN) -> list[dict]:
    """Per kind this person may see: its label, the number of open to-dos, the oldest `limit`
    of them (each with its age) and the link to all of them: a constant number of queries per
    kind, however many are open."""
    today = timezone.localdate()
    groups = []
    for kind in _kinds(request):
        tasks = _collect(kind, request, limit)
        count = kind.count(request)
        groups.append({
            "key": kind.key, "label": kind.label, "count": count,
            "tasks": [{"title": t.title, "detail": t.detail, "url": t.url, "age": age(t.since, today=today),
                       "since": t.since} for t in tasks],
            "more_url": kind.more_url() if kind.more_url and count else "",
            "more": count > len(tasks),
        })
    request._office_task_count = sum(group["count"] for group in groups)
    return groups


def open_count(request) -> int:
    """The number of open to-dos this person sees on the start page (one query per kind; once
    per request)."""
    counted = getattr(request, "_office_task_count", None)
    if counted is None:
        counted = request._office_task_count = sum(kind.count(request) for kind in _kinds(request))
    return counted
