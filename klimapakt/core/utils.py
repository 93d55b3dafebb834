"""Small helpers every app shares."""

from __future__ import annotations

import datetime
import re

# ASCII digits only: str.isdigit() is also true for "²", "٣" or "①", which int() then refuses
# (or reads as another number), so a query such as ``?fassung=²`` used to answer 500.
_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def parse_int(text) -> int | None:
    """A non-negative whole number written with ASCII digits (at most 18 of them, so it fits a
    database integer), else None. For values from the URL or a form that are not validated by a
    form field: ``parse_int(request.GET.get("jahr"))``."""
    if not isinstance(text, str) or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


MAX_YEARS = 60  # a pact's history in years; a bound for loops over calendar years


def calendar_years(first, last) -> list[tuple[int, datetime.datetime, datetime.datetime]]:
    """(year, start, end) for the calendar years from the year of `first` to that of `last`
    (aware datetimes, or dates), each as an aware half-open range in the current time zone: for
    counting per year with conditional aggregates in one query, where ExtractYear would run a
    Python function per row on SQLite. At most MAX_YEARS (the latest)."""
    from django.utils import timezone

    def year_of(value) -> int:
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).year if timezone.is_aware(value) else value.year
        return value.year

    low, high = year_of(first), year_of(last)
    low = max(low, high - MAX_YEARS + 1)
    return [(y, timezone.make_aware(datetime.datetime(y, 1, 1)), timezone.make_aware(datetime.datetime(y + 1, 1, 1)))
            for y in range(low, high + 1)]
