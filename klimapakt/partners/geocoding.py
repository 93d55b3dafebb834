"""A partner's location from its address, asked by the server (never by the visitor's browser)
from a Nominatim-compatible search endpoint (settings.GEOCODER_URL). Every failure becomes a
GeocodingError with a message for people; the lookup is bounded in time (GEOCODER_TIMEOUT per
connect and read), in answer size, and per organisation (LOOKUPS_PER_HOUR). Answers are cached for
a day, as Nominatim's usage policy asks. See docs/partners.md, "Map"."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from hashlib import sha256
from http.client import HTTPException
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .maps import check_in_region

MAX_ANSWER_BYTES = 512 * 1024
LOOKUPS_PER_HOUR = 20
CACHE_SECONDS = 24 * 3600
PLACES = Decimal("0.00001")  # the model's five decimal places (about a metre)


class GeocodingError(Exception):
    """The lookup failed; str(error) is a message for the person who asked."""


@dataclass(frozen=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    label: str


def is_enabled() -> bool:
    return bool(settings.GEOCODER_URL)


def geocode_organisation(organisation) -> Location:
    """The location of the organisation's address (street, postal code, city of its master data)."""
    if not is_enabled():
        raise GeocodingError(_("Die Adresssuche ist auf dieser Plattform nicht eingerichtet. Bitte setzen Sie "
                               "den Punkt auf der Karte."))
    if not organisation.street or not (organisation.postal_code or organisation.city):
        raise GeocodingError(_("Für die Suche brauchen wir Straße und Hausnummer sowie Postleitzahl oder Ort. "
                               "Bitte ergänzen Sie die Adresse in den Angaben Ihrer Organisation."))
    address = organisation.address
    key = "partners:geocode:" + sha256(f"{settings.GEOCODER_URL}|{address}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    _count_lookup(organisation.pk)
    location = _parse(_fetch(address))
    cache.set(key, location, CACHE_SECONDS)
    return location


def _count_lookup(organisation_pk: int) -> None:
    key = f"partners:geocode:count:{organisation_pk}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    if count > LOOKUPS_PER_HOUR:
        raise GeocodingError(_("Sie haben die Adresssuche in der letzten Stunde oft benutzt. Bitte versuchen Sie "
                               "es später noch einmal oder setzen Sie den Punkt auf der Karte."))


def _query(address: str) -> dict:
    params = {"q": address, "format": "jsonv2", "limit": "1"}
    if settings.MAP_BOUNDS:
        south, west, north, east = settings.MAP_BOUNDS
        params |= {"viewbox": f"{west},{north},{east},{south}", "bounded": "1"}
    return params


def _fetch(address: str) -> bytes:
    """The geocoder's raw answer (at most MAX_ANSWER_BYTES + 1 bytes read)."""
    url = settings.GEOCODER_URL
    request = Request(f"{url}{'&' if '?' in url else '?'}{urlencode(_query(address))}", headers={
        "User-Agent": f"Klimapakt-Plattform ({settings.SITE_URL})", "Accept": "application/json",
        "Accept-Language": "de"})
    try:
        with urlopen(request, timeout=settings.GEOCODER_TIMEOUT) as response:  # noqa: S310 (configured URL)
            return response.read(MAX_ANSWER_BYTES + 1)
    except (OSError, HTTPException, ValueError) as error:  # URLError, HTTPError, refused connections, bad URLs
        if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            # a slow read raises TimeoutError, a slow connect URLError(reason=TimeoutError)
            raise GeocodingError(_("Die Adresssuche hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es "
                                   "später noch einmal oder setzen Sie den Punkt auf der Karte.")) from error
        raise GeocodingError(_("Die Adresssuche ist gerade nicht erreichbar. Bitte versuchen Sie es später noch "
                               "einmal oder setzen Sie den Punkt auf der Karte.")) from error


def _parse(body: bytes) -> Location:
    unusable = GeocodingError(_("Die Adresssuche hat eine unverständliche Antwort geschickt. Bitte setzen Sie den "
                                "Punkt auf der Karte."))
    if len(body) > MAX_ANSWER_BYTES:
        raise unusable
    try:
        results = json.loads(body)
    except (ValueError, RecursionError) as error:  # RecursionError: arrays nested thousands deep
        raise unusable from error
    if not isinstance(results, list):
        raise unusable
    if not results:
        raise GeocodingError(_("Zu dieser Adresse haben wir keinen Ort gefunden. Bitte prüfen Sie die Adresse in "
                               "den Angaben Ihrer Organisation oder setzen Sie den Punkt auf der Karte."))
    first = results[0]
    try:
        latitude = Decimal(str(first["lat"])).quantize(PLACES, rounding=ROUND_HALF_UP)
        longitude = Decimal(str(first["lon"])).quantize(PLACES, rounding=ROUND_HALF_UP)
        on_earth = -90 <= latitude <= 90 and -180 <= longitude <= 180
    except (KeyError, TypeError, InvalidOperation) as error:  # InvalidOperation: NaN, Infinity
        raise unusable from error
    if not on_earth:
        raise unusable
    try:
        check_in_region(latitude, longitude)
    except ValidationError as error:
        raise GeocodingError(_("Die Adresssuche hat einen Ort außerhalb des Gebiets des Klimapakts gefunden. Bitte "
                               "prüfen Sie die Adresse oder setzen Sie den Punkt auf der Karte.")) from error
    label = first.get("display_name")
    label = label if isinstance(label, str) else ""
    return Location(latitude=latitude, longitude=longitude, label=label[:300])
