"""Stub: GET /api/v1/support/offers (filled by its helper)."""
from ninja import Router

router = Router(tags=["support"])
