"""Working days for the first-answer target: weekends and the state's public holidays (the
`holidays` package, e.g. NW for Nordrhein-Westfalen) do not count. Free of the database."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(region: str, year: int) -> frozenset[datetime.date]:
    try:
        calendar = holidays.Germany(subdiv=region or None, years=year)
    except NotImplementedError:  # an unknown state: the federal holidays only
        calendar = holidays.Germany(years=year)
    return frozenset(calendar.keys())


def is_working_day(day: datetime.date, region: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(region, day.year)


def add_working_days(start: datetime.date, days: int, region: str) -> datetime.date:
    """The date `days` working days after `start` (the day of receipt does not count):
    received on a Friday with 5 days, due the next Friday; around Christmas, later."""
    day = start
    counted = 0
    for _ in range(days * 7 + 60):   # bounded: no stretch of the year has more days off than that
        day += datetime.timedelta(days=1)
        if is_working_day(day, region):
            counted += 1
            if counted >= days:
                return day
    return day


def working_days_between(start: datetime.date, end: datetime.date, region: str) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    for _ in range(max(0, min((end - start).days, 3660))):
        day += datetime.timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count
