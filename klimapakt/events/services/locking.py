"""One writer per event. Capacity is enforced in the database transaction:
`Event.objects.select_for_update()` locks the event row on PostgreSQL; on SQLite the settings open
every transaction with ``BEGIN IMMEDIATE``, which takes the database write lock before the first
read. Either way one writer per event counts the seats and inserts, so confirmed registrations
never exceed the capacity, also under simultaneous requests (tests/events/test_concurrency.py)."""

from __future__ import annotations

import contextlib
import os

from django.db import connection

from ..models import Event, Registration

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


@contextlib.contextmanager
def sqlite_write_gate():
    """On SQLite, queue registration writers on a blocking file lock next to the database.

    Correctness does not depend on it (BEGIN IMMEDIATE serialises the writers anyway), but
    SQLite's busy handler polls with sleeps of up to 100 ms, so under a burst most of the time
    is spent sleeping while the lock is free. Waiting in flock() wakes the next writer the
    moment the previous one has committed (and queued its mail). Works across threads and
    gunicorn worker processes; a no-op on PostgreSQL, on Windows, for in-memory databases and
    inside an outer transaction (which may already hold the SQLite lock)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if (fcntl is None or connection.vendor != "sqlite" or connection.in_atomic_block or not name
            or name == ":memory:" or name.startswith("file:")):
        yield
        return
    fd = os.open(name + ".write-gate", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def locked_event(event_id: int) -> Event:
    """The event, its row locked until the transaction ends (PostgreSQL; SQLite: see above)."""
    return Event.objects.select_for_update().get(pk=event_id)


def locked_registration(registration: Registration) -> tuple[Event, Registration]:
    """The registration read again under its event's lock, so a change to it sees the seats as
    they are (the caller's copy may be stale)."""
    event = locked_event(registration.event_id)
    return event, Registration.objects.get(pk=registration.pk)
