"""Event dates read the same on pages, in mails and on the attendance list, in each
language's own way."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from klimapakt.events.formatting import moment, when

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime.datetime(2026, 12, 16, 16, 0, tzinfo=BERLIN)


def test_one_day_in_german_and_english():
    end = START + datetime.timedelta(hours=2)
    with translation.override("de"):
        assert when(START, end) == "Mittwoch, 16. Dezember 2026, 16:00–18:00 Uhr"
    with translation.override("en"):
        assert when(START, end) == "Wednesday, 16 December 2026, 16:00–18:00"


def test_several_days_and_a_moment():
    end = START + datetime.timedelta(days=1, hours=1)
    with translation.override("de"):
        assert when(START, end) == "Mittwoch, 16. Dezember 2026, 16:00 Uhr – Donnerstag, 17. Dezember 2026, 17:00 Uhr"
        assert moment(datetime.datetime(2026, 12, 14, 11, 0, tzinfo=datetime.UTC)) == "14. Dezember 2026, 12:00 Uhr"
    with translation.override("en"):
        assert moment(START) == "16 December 2026, 16:00"
    assert moment(None) == ""
