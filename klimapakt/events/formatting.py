"""How an event's dates read, in one place for the pages, the mails and the attendance list:
"Mittwoch, 16. Dezember 2026, 16:00–18:00 Uhr" in German, "Wednesday, 16 December 2026,
16:00–18:00" in English. The formats are translatable strings (context "date format"), so
each language writes dates its own way."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext


def _day(value: datetime.datetime, *, weekday: bool = True) -> str:
    fmt = pgettext("date format", "l, j. F Y") if weekday else pgettext("date format", "j. F Y")
    return formats.date_format(value, fmt)


def _time(value: datetime.datetime) -> str:
    return formats.date_format(value, "H:i")


def when(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """Start and end: one day with both times, or two days."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return pgettext("date format", "%(day)s, %(start)s–%(end)s Uhr") % {
            "day": _day(start), "start": _time(start), "end": _time(end)}
    return pgettext("date format", "%(day)s, %(start)s Uhr – %(end_day)s, %(end)s Uhr") % {
        "day": _day(start), "start": _time(start), "end_day": _day(end), "end": _time(end)}


def moment(value: datetime.datetime | None, *, weekday: bool = False) -> str:
    """One point in time (a deadline, when someone registered)."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return pgettext("date format", "%(day)s, %(time)s Uhr") % {"day": _day(value, weekday=weekday),
                                                               "time": _time(value)}
