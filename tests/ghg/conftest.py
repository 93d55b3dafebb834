"""The concurrency test needs threads with their own database connections; an in-memory
SQLite database cannot be shared across connections, so on SQLite the test database is a file
(unless SQLITE_TEST_NAME already names one) - the same as in tests/events."""

import os
import tempfile

from django.conf import settings

_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.gettempdir(), f"klimapakt-test-{os.getpid()}.sqlite3")


import pytest  # noqa: E402


@pytest.fixture
def org(world):
    return world["org_a"]


@pytest.fixture
def member(world):
    return world["users"]["member_a"]
