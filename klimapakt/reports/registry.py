"""How apps above reports (insights) add a section to the partner's reports dashboard
(``reports:dashboard``) without reports importing them. They register in their
``AppConfig.ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klimapakt.core.registry import Registry


@dataclass(frozen=True)
class DashboardBlock:
    """A section of the partner's dashboard: ``template`` is included with ``block`` set to
    ``context(request, organisation)``; a block whose context is None is left out.
    ``permission`` (checked with the organisation as object) restricts who sees it; the page
    itself already needs ``reports.view_reports`` (the organisation's members and the office).
    ``context`` runs on every view of the page: it must take a constant number of queries."""

    key: str
    template: str
    context: Callable[[Any, Any], dict | None]
    order: int = 100
    permission: str | None = None


dashboard_blocks = Registry("reports dashboard blocks")


def blocks_for_dashboard(request, organisation) -> list[dict]:
    """The registered blocks this request may see on `organisation`'s dashboard, each
    {"key", "template", "context"}."""
    out = []
    for block in dashboard_blocks:
        if block.permission and not request.user.has_perm(block.permission, organisation):
            continue
        context = block.context(request, organisation)
        if context is not None:
            out.append({"key": block.key, "template": block.template, "context": context})
    return out
