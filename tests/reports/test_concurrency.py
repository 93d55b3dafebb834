"""Two reminder runs at the same moment (cron overlapping a manual run) send each mail once,
on SQLite and on PostgreSQL."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from .conftest import SIGNED

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_reminder_runs_send_each_step_once(partner):
    from klimapakt.reports.models import Reminder, Report
    from klimapakt.reports.services import send_due_reminders

    day = datetime.date(2025, 2, 3)  # 4 weeks before the baseline deadline; monitoring 2025 has opened
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            send_due_reminders(today=day)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(datetime.datetime(2025, 2, 3, 7, tzinfo=datetime.UTC), tick=True):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors
    assert set(Report.objects.values_list("kind", "year")) == {("baseline", SIGNED.year), ("monitoring", 2025)}
    steps = sorted(Reminder.objects.values_list("report__kind", "step"))
    assert steps == [("baseline", "w4"), ("monitoring", "opened")]
    assert len(mail.outbox) == 2
