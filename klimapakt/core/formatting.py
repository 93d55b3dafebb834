"""How dates and times read, in one place for every page, mail and PDF: "27. November 2026,
17:34 Uhr" in German, "27 November 2026, 17:34" in English. The formats are translatable
strings (context "date format"), so each language writes dates its own way (Django's
SHORT_DATETIME_FORMAT for English is the US "11/27/2026 5:34 p.m.")."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext


def day(value: datetime.datetime, *, weekday: bool = True) -> str:
    fmt = pgettext("date format", "l, j. F Y") if weekday else pgettext("date format", "j. F Y")
    return formats.date_format(value, fmt)


def time(value: datetime.datetime) -> str:
    return formats.date_format(value, "H:i")


def moment(value: datetime.datetime | None, *, weekday: bool = False) -> str:
    """One point in time (a deadline, when someone registered, an audit entry)."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return pgettext("date format", "%(day)s, %(time)s Uhr") % {"day": day(value, weekday=weekday),
                                                               "time": time(value)}
