"""How apps above partners (reports, later insights) contribute to an organisation without
partners importing them: the obligations behind its next deadline, and the figures its public
page and the open-data API show. They register in their ``AppConfig.ready()``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klimapakt.core.registry import Registry


@dataclass(frozen=True)
class DeadlineSource:
    """``next(organisation, pact, today) -> (date, Organisation.Deadline) | None``: the next
    thing an active partner owes under this app's rules (e.g. the next report not yet in)."""

    key: str
    next: Callable[[Any, Any, datetime.date], tuple[datetime.date, str] | None]
    order: int = 100


deadline_sources = Registry("deadline sources")


@dataclass(frozen=True)
class PublicFigures:
    """A partner's published figures. ``html(organisation)``: a fragment for the public partner
    page (None: nothing to show); ``api_field``/``api_schema``: a list field of the partner in
    GET /api/v1/partners, filled for many partners at once by ``api_payload(ids) -> {id: [..]}``."""

    key: str
    html: Callable[[Any], str | None]
    api_field: str
    api_schema: type
    api_payload: Callable[[list[int]], dict[int, list[dict]]]
    order: int = 100


public_figures = Registry("public figures")


@dataclass(frozen=True)
class OrganisationLink:
    """A link on the member's organisation page to an area another app brings (support's
    requests, ...): ``url_name`` is reversed with the organisation's pk."""

    key: str
    url_name: str
    label: Any
    order: int = 100


organisation_links = Registry("organisation links")
