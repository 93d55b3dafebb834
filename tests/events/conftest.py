"""Fixtures of the events tests. The concurrency tests need threads that each open their own
database connection; an in-memory SQLite database cannot be shared across connections, so on
SQLite the test database is a file (unless SQLITE_TEST_NAME already names one)."""

import datetime
import os
import tempfile

import pytest
from django.conf import settings

_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = os.path.join(
        tempfile.gettempdir(), f"klimapakt-test-{os.getpid()}.sqlite3")


@pytest.fixture
def make_event(pact):
    from django.utils import timezone

    from klimapakt.events.models import Event

    def make(**fields):
        start = timezone.now() + datetime.timedelta(days=14)
        defaults = dict(pact=pact, title_de="Netzwerktreffen", title_en="Network meeting", starts_at=start,
                        ends_at=start + datetime.timedelta(hours=2), venue_name="Rathaus",
                        venue_address="Von-der-Leyen-Platz 1, 47798 Krefeld", capacity=2,
                        status=Event.Status.PUBLISHED)
        defaults.update(fields)
        return Event.objects.create(**defaults)

    return make


@pytest.fixture
def person():
    from klimapakt.events.services import PersonData

    def make(n=1, **fields):
        data = dict(first_name=f"Vorname{n}", last_name=f"Nachname{n}", email=f"person{n}@firma.example",
                    organisation=f"Firma {n}", privacy_consent=True)
        data.update(fields)
        return PersonData(**data)

    return make


@pytest.fixture(autouse=True)
def _quiet_static_root(settings, tmp_path):
    """WhiteNoise scans STATIC_ROOT when a test client starts; a collectstatic running in
    parallel (make bench, make run) would make that scan fail at random. Static files are
    not under test here."""
    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
