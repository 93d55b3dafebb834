"""What GET /api/v1/partners publishes per partner from its accepted reports (with the
partner's consent). The partners API imports this; the reports app has no router of its own."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema

from .selectors import public_reports


class ReportOut(Schema):
    kind: str
    year: int
    scope1: str
    scope2_location: str
    scope2_market: str
    scope3: str
    total_t_co2e: str
    measures_implemented_share: str | None = None


def _dec(value: Decimal | None) -> str:
    return format(Decimal(value or 0).quantize(Decimal("0.001")), "f")


def reports_payload(org_ids: list[int]) -> dict[int, list[dict]]:
    """Per organisation id, its accepted reports as API items (one query for all partners).
    total_t_co2e = Scope 1 + Scope 2 (location-based) + Scope 3."""
    out: dict[int, list[dict]] = {}
    for org_id, reports in public_reports(org_ids).items():
        out[org_id] = [{
            "kind": r.kind, "year": r.year, "scope1": _dec(r.scope1_t), "scope2_location": _dec(r.scope2_location_t),
            "scope2_market": _dec(r.scope2_market_t), "scope3": _dec(r.scope3_t), "total_t_co2e": _dec(r.total_t_co2e),
            "measures_implemented_share": None if r.implemented_share is None else format(r.implemented_share, "f"),
        } for r in reports]
    return out
