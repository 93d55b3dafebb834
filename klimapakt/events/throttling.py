"""Limits on registrations that the seat rules do not give: per client (the API's throttle in
events/api.py) and per e-mail address (both the web form and the API). Every registration mails
its address, so without the second limit anyone could sign a stranger's address up for every
event (one mail each) from as many clients as they like.

The client limit counts in the cache (fixed windows). The address limit counts the address's
registrations of the last window in the database (indexed by address and time): exact across
all web workers, and no cache entry per address (with the file cache of a single machine, one
file per address made every registration list a directory of thousands of files)."""

from __future__ import annotations

import datetime
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
    """Whether `email` may register once more: fewer registrations (any event, any status) in
    the last window than settings.EVENTS_REGISTRATION_EMAIL_RATE allows (default 10 an hour).
    An empty address is not counted: the service refuses it anyway."""
    from django.utils import timezone

    from .models import Registration

    email = (email or "").strip().lower()
    if not email:
        return True
    limit, seconds = parse_rate(getattr(settings, "EVENTS_REGISTRATION_EMAIL_RATE", DEFAULT_EMAIL_RATE))
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    return Registration.objects.filter(email=email, created_at__gte=since).count() < limit


def too_many_for_address() -> str:
    """The answer when an address has used up its registrations (the form and the API say the same)."""
    return _("Mit dieser E-Mail-Adresse gab es in letzter Zeit zu viele Anmeldungen. Bitte versuchen Sie es "
             "später noch einmal.")
