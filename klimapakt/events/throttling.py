"""Limits on registrations that the seat rules do not give: per client (the API's throttle in
events/api.py) and per e-mail address (both the web form and the API). Every registration mails
its address, so without the second limit anyone could sign a stranger's address up for every
event (one mail each) from as many clients as they like.

Fixed windows in the cache (shared by all web workers with Redis; per process with the local
memory cache, which only makes the limit looser). The address is hashed in the key: the cache
keeps no personal data."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

DEFAULT_EMAIL_RATE = "10/h"


def parse_rate(rate: str) -> tuple[int, int]:
    """"10/h" -> (10, 3600): a number of hits per second, minute, hour or day."""
    count, period = rate.split("/", 1)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0].lower()]
    return int(count), seconds


def hit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit in the current window of `key`; whether it is within `limit`."""
    window = int(time.time() // seconds)
    key = f"{key}:{window}"
    if cache.add(key, 1, seconds + 1):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 1)
        count = 1
    return count <= limit


def registration_by_address_allowed(email: str) -> bool:
    """Count one registration attempt for `email` (any event); False once the address has used
    up settings.EVENTS_REGISTRATION_EMAIL_RATE (default 10 an hour). An empty address is not
    counted: the service refuses it anyway."""
    email = (email or "").strip().lower()
    if not email:
        return True
    limit, seconds = parse_rate(getattr(settings, "EVENTS_REGISTRATION_EMAIL_RATE", DEFAULT_EMAIL_RATE))
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{email}".encode()).hexdigest()[:32]
    return hit(f"events:registrations-by-address:{digest}", limit=limit, seconds=seconds)


def too_many_for_address() -> str:
    """The answer when an address has used up its registrations (the form and the API say the same)."""
    return _("Mit dieser E-Mail-Adresse gab es in letzter Zeit zu viele Anmeldungen. Bitte versuchen Sie es "
             "später noch einmal.")
