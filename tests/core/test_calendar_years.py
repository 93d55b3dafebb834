"""core.utils.calendar_years: the half-open local ranges per calendar year used for counting per
year in one query (the support requests and events on the progress page)."""

import datetime

from django.utils import timezone

from klimapakt.core.utils import MAX_YEARS, calendar_years


def test_years_are_local_half_open_ranges():
    # 31 Dec 2024, 23:30 UTC is already 2025 in Krefeld
    first = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    years = calendar_years(first, datetime.date(2026, 3, 1))
    assert [y for y, _s, _e in years] == [2025, 2026]
    _year, start, end = years[0]
    assert timezone.localtime(start) == timezone.make_aware(datetime.datetime(2025, 1, 1))
    assert end == years[1][1]  # one range ends where the next begins


def test_years_are_bounded():
    years = calendar_years(datetime.date(1800, 1, 1), datetime.date(2026, 1, 1))
    assert len(years) == MAX_YEARS and years[-1][0] == 2026
