"""How an event's dates read, in one place for the pages, the mails and the attendance list:
"Mittwoch, 16. Dezember 2026, 16:00–18:00 Uhr" in German, "Wednesday, 16 December 2026,
16:00–18:00" in English. The formats are translatable strings (context "date format"), so
each language writes dates its own way."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import pgettext

from klimapakt.core.formatting import day as _day
from klimapakt.core.formatting import moment  # noqa: F401 - one point in time, for the events' callers
from klimapakt.core.formatting import time as _time


def when(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """Start and end: one day with both times, or two days."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return pgettext("date format", "%(day)s, %(start)s–%(end)s Uhr") % {
            "day": _day(start), "start": _time(start), "end": _time(end)}
    return pgettext("date format", "%(day)s, %(start)s Uhr – %(end_day)s, %(end)s Uhr") % {
        "day": _day(start), "start": _time(start), "end_day": _day(end), "end": _time(end)}
