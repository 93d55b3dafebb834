"""The built-in scheduler: each daily job once per local day at or after its time, a claim
that holds with several scheduler processes, failures recorded and not fatal."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from klimapakt.core import scheduler
from klimapakt.core.models import ScheduledRun

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def at(hour, minute, day=2):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


def test_default_jobs_run_once_a_day_at_their_local_time(pact, settings):
    assert scheduler.tick(at(3, 29)) == []
    assert [r.job for r in scheduler.tick(at(3, 30))] == ["events_retention"]
    assert scheduler.tick(at(3, 40)) == []  # done today
    later = scheduler.tick(at(9, 0))  # the reminders' 06:15 was missed: caught up now
    assert sorted(r.job for r in later) == sorted(job for job, _ in scheduler.schedule()[1:])
    assert "send_report_reminders" in {r.job for r in later}
    assert all(r.succeeded and r.finished_at for r in ScheduledRun.objects.all())
    assert "anonymised" in ScheduledRun.objects.get(job="events_retention").output
    assert len(scheduler.tick(at(3, 30, day=3))) == 1  # the next day again


def test_every_default_job_has_a_label_for_the_office():
    jobs = [job for job, _at in scheduler.schedule()]
    assert "send_talk_reminders" in jobs
    assert all(scheduler.job_label(job) != job for job in jobs)


def test_a_job_claimed_by_another_scheduler_is_not_run_again(settings, monkeypatch):
    settings.KLIMAPAKT_SCHEDULE = [("check", "00:00")]
    calls = []
    monkeypatch.setattr(scheduler, "call_command", lambda *a, **k: calls.append(a))
    # the other process claimed it between this one's look at the table and its claim
    monkeypatch.setattr(scheduler, "due_jobs", lambda now: ["check"])
    ScheduledRun.objects.create(job="check", day=at(8, 0).date())
    assert scheduler.tick(at(8, 0)) == []
    assert calls == []


def test_a_failing_job_is_recorded_and_the_others_still_run(settings):
    settings.KLIMAPAKT_SCHEDULE = [("no_such_command", "01:00"), ("check", "01:00")]
    runs = {r.job: r for r in scheduler.tick(at(2, 0))}
    assert runs["no_such_command"].succeeded is False and "Unknown command" in runs["no_such_command"].output
    assert runs["check"].succeeded is True
    assert scheduler.tick(at(2, 1)) == []  # retried tomorrow, not every minute


def test_command_once(settings, capsys):
    settings.KLIMAPAKT_SCHEDULE = [("check", "00:00")]
    call_command("run_scheduler", "--once")
    assert "check: ok" in capsys.readouterr().out
    assert ScheduledRun.objects.filter(job="check", succeeded=True).count() == 1


def test_the_office_sees_the_jobs_and_a_failed_run(client_for, world, settings):
    from django.urls import reverse
    from django.utils import timezone

    settings.KLIMAPAKT_SCHEDULE = [("no_such_command", "00:00"), ("check", "23:59")]
    scheduler.tick(timezone.localtime().replace(hour=12, minute=0))
    html = client_for(world["users"]["office"]).get(reverse("backoffice:start")).content.decode()
    assert "Geplante Aufgaben" in html and "fehlgeschlagen" in html and "nicht gelaufen" in html


def test_the_clock_offset_moves_the_schedulers_day(settings, time_machine):
    """SCHEDULER_CLOCK_OFFSET (the scale-out drill's hook): the claim is for the moved day."""
    settings.KLIMAPAKT_SCHEDULE = [("check", "12:00")]
    time_machine.move_to(at(13, 0), tick=False)
    assert [(r.job, r.day) for r in scheduler.tick()] == [("check", datetime.date(2026, 12, 2))]
    assert scheduler.tick() == []
    settings.SCHEDULER_CLOCK_OFFSET = 86400
    assert [(r.job, r.day) for r in scheduler.tick()] == [("check", datetime.date(2026, 12, 3))]
    settings.SCHEDULER_CLOCK_OFFSET = -3 * 3600  # 10:00: not yet due on the moved day
    ScheduledRun.objects.all().delete()
    assert scheduler.tick() == []
