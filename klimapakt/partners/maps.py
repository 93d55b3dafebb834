"""The map's configuration as the pages need it, and the pact's region (docs/partners.md, "Map").

Tiles are loaded by the visitor's browser only after the visitor clicked "Karte laden" (the
template puts the tile URL into data attributes, never into src or href); the geocoder is asked
by the server only (partners/geocoding.py)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def tile_host(url: str) -> str:
    """The host that receives the visitor's IP address, as people read it ("tile.openstreetmap.org";
    Leaflet's subdomains "{s}." of one operator are left out)."""
    return (urlsplit(url.replace("{s}.", "").replace("{s}", "a")).hostname or "") if url else ""


def map_config() -> dict | None:
    """What the map templates need (None: no tile server configured, the pages show only the list)."""
    url = settings.MAP_TILE_URL
    if not url:
        return None
    center = settings.MAP_CENTER or (51.3338, 6.5623)
    bounds = settings.MAP_BOUNDS
    return {
        "tile_url": url,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "host": tile_host(url),
        "center": f"{center[0]},{center[1]}",
        "bounds": ",".join(str(v) for v in bounds) if bounds else "",
    }


def check_in_region(latitude: Decimal | float | None, longitude: Decimal | float | None) -> None:
    """A location must lie inside the pact's region (settings.MAP_BOUNDS: south, west, north,
    east) where one is configured; the model's validators keep it on earth otherwise."""
    bounds = settings.MAP_BOUNDS
    if not bounds or latitude is None or longitude is None:
        return
    south, west, north, east = bounds
    if not (south <= float(latitude) <= north and west <= float(longitude) <= east):
        raise ValidationError({"latitude": _(
            "Dieser Standort liegt außerhalb des Gebiets des Klimapakts. Bitte setzen Sie den Punkt auf Ihren "
            "Standort in der Region.")})
