"""Capacity holds under simultaneous registrations: threads, each with its own database
connection (a file database on SQLite, see conftest.py; separate connections on PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from klimapakt.events import services
from klimapakt.events.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 60
SEATS = 10


def _run_parallel(n, work):
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def _assert_consistent(event, results_statuses):
    regs = list(Registration.objects.filter(event=event).order_by("pk"))
    assert len(regs) == PEOPLE
    confirmed = [r for r in regs if r.status == "confirmed"]
    waiting = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) == SEATS
    assert len(waiting) == PEOPLE - SEATS
    # Consistent order: every confirmed registration was written before every waitlisted one,
    # and the waitlist is 1..n in the order of writing, without gaps or duplicates.
    assert max(r.pk for r in confirmed) < min(r.pk for r in waiting)
    assert [r.waitlist_order for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
    assert sorted(results_statuses) == sorted(["confirmed"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS))
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlist_length) == (SEATS, PEOPLE - SEATS)  # the counters too


def test_simultaneous_service_calls_never_overbook(make_event, person):
    event = make_event(capacity=SEATS)

    def work(i):
        return services.registration_create(event=event, person=person(i)).status

    statuses = _run_parallel(PEOPLE, work)
    _assert_consistent(event, statuses)


def test_simultaneous_api_requests_never_overbook_and_never_fail(make_event, settings):
    settings.API_THROTTLE_RATE = "100000/m"
    # Not under test, and its start-up scan of STATIC_ROOT races with a parallel collectstatic.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "whitenoise" not in m]
    event = make_event(capacity=SEATS)
    url = f"/api/v1/events/{event.pk}/registrations"

    def work(i):
        response = Client().post(url, {
            "first_name": "Test", "last_name": f"Person {i}", "email": f"p{i}@firma.example",
            "organisation": f"Firma {i}", "privacy_consent": True, "answers": {}}, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    results = _run_parallel(PEOPLE, work)
    _assert_consistent(event, [r["status"] for r in results])
    positions = sorted(r["waitlist_position"] for r in results if r["status"] == "waitlisted")
    assert positions == list(range(1, PEOPLE - SEATS + 1))


def test_last_seat_goes_to_exactly_one_of_two(make_event, person):
    event = make_event(capacity=1)
    for round_ in range(5):
        Registration.objects.filter(event=event).delete()
        statuses = _run_parallel(2, lambda i, r=round_: services.registration_create(
            event=event, person=person(10 * r + i)).status)
        assert sorted(statuses) == ["confirmed", "waitlisted"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: how the write lock is taken")
def test_sqlite_transactions_take_the_write_lock_at_begin(make_event):
    """Why the service is race-safe on SQLite: with transaction_mode IMMEDIATE, entering
    `transaction.atomic()` already holds the write lock, so a second writer waits at BEGIN and
    cannot read the seat count before the first has committed."""
    import sqlite3

    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    event = make_event()
    path = connection.settings_dict["NAME"]
    with transaction.atomic():
        list(type(event).objects.select_for_update().filter(pk=event.pk))  # read only, no write yet
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_the_same_address_twice_at_the_same_moment_gives_one_registration(make_event, person):
    """The second insert fails at the unique constraint of active registrations per e-mail
    and becomes 'already registered' (the link is sent again), never an error."""
    event = make_event(capacity=5)

    def work(i):
        try:
            return services.registration_create(event=event, person=person(1, last_name=f"Zwilling {i}")).status
        except services.AlreadyRegistered:
            return "already registered"

    assert sorted(_run_parallel(2, work)) == ["already registered", "confirmed"]
    assert Registration.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert (event.seats_taken, event.waitlist_length) == (1, 0)


def test_two_simultaneous_reminder_runs_remind_everyone_once(make_event, person, settings):
    """Two schedulers (or a scheduler and a cron job) at the same moment: every confirmed
    participant is claimed by exactly one run (row locks skipped on PostgreSQL, the write lock
    taken at BEGIN on SQLite)."""
    import datetime

    from django.utils import timezone

    settings.KLIMAPAKT_EVENT_REMINDER_DAYS = 2
    start = timezone.now() + datetime.timedelta(hours=30)
    event = make_event(capacity=SEATS, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    for n in range(SEATS):
        services.registration_create(event=event, person=person(n))
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))

    sent = _run_parallel(2, lambda i: services.send_event_reminders())
    assert sum(sent) == SEATS
    assert Registration.objects.filter(event=event, reminded_at__isnull=True).count() == 0
