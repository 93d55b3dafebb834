"""The built-in scheduler: runs the frequent jobs every minute or so (the outbox's retries, the
reaper of tasks whose worker died) and the daily jobs (report reminders, reminders of unanswered talk
dates, the registration retention, pruning of finished tasks) at their time of day, so a platform
started with `make run` keeps its promises without cron. Jobs are management commands and
idempotent; they can still be run by cron instead (docs/operations.md).

A job runs once per local day, at the first tick at or after its time (a scheduler that was
down at 03:30 catches up when it starts). The claim is a row with a unique (job, day): any
number of scheduler processes on several servers run each job exactly once a day. A job that
fails is recorded with its error and tried again the next day.

Frequent jobs (``Job(every=seconds)``) are not claimed: each scheduler process runs them on its
own clock, and they are written to be harmless when two run at once (every change they make is
a conditional update). Their failures are logged, not recorded."""

from __future__ import annotations

import datetime
import io
import logging
import traceback

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import registry
from .models import ScheduledRun

logger = logging.getLogger(__name__)


def job_label(job: str) -> str:
    entry = registry.scheduled_jobs.get(job)
    return str(entry.label) if entry is not None else job


def schedule() -> list[tuple[str, datetime.time]]:
    """(management command, local time of day), earliest first: the jobs apps registered
    (core.registry.scheduled_jobs) at their default time; settings.KLIMAPAKT_SCHEDULE, when an
    installation (or a test) sets it, is the whole schedule instead."""
    configured = getattr(settings, "KLIMAPAKT_SCHEDULE", None)
    if configured is not None:
        pairs = list(configured)
    else:
        pairs = [(job.key, job.at) for job in registry.scheduled_jobs if not job.every and job.enabled()]
    return sorted(((job, datetime.time.fromisoformat(at)) for job, at in pairs), key=lambda entry: entry[1])


def due_jobs(now: datetime.datetime) -> list[str]:
    local = timezone.localtime(now)
    done = set(ScheduledRun.objects.filter(day=local.date()).values_list("job", flat=True))
    return [job for job, at in schedule() if local.time() >= at and job not in done]


def _claim(job: str, day: datetime.date) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job, day=day)
    except IntegrityError:  # another scheduler process claimed it first
        return None


def clock() -> datetime.datetime:
    """The scheduler's time: now, moved by settings.SCHEDULER_CLOCK_OFFSET seconds (env
    SCHEDULER_CLOCK_OFFSET, 0 by default). Only the scale-out drill moves it, to take several
    schedulers over a day boundary (docs/operations.md, "Scale-out drill"); the jobs themselves
    still use the real time."""
    return timezone.now() + datetime.timedelta(seconds=getattr(settings, "SCHEDULER_CLOCK_OFFSET", 0))


def tick(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Run every job that is due and not yet claimed today; returns the runs made here."""
    now = now or clock()
    runs = []
    for job in due_jobs(now):
        run = _claim(job, timezone.localtime(now).date())
        if run is None:
            continue
        out = io.StringIO()
        try:
            call_command(job, stdout=out, stderr=out)
            run.succeeded = True
        except Exception:  # noqa: BLE001 - a failing job is recorded, the scheduler goes on
            logger.exception("scheduled job %s failed", job)
            out.write(traceback.format_exc())
            run.succeeded = False
        run.output = out.getvalue()[-10_000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["succeeded", "output", "finished_at"])
        runs.append(run)
    return runs


def frequent_jobs() -> list[tuple[str, int]]:
    """(management command, seconds between runs) of the registered frequent jobs;
    settings.KLIMAPAKT_FREQUENT_JOBS, when set, is the whole list instead."""
    configured = getattr(settings, "KLIMAPAKT_FREQUENT_JOBS", None)
    if configured is not None:
        return list(configured)
    return [(job.key, job.every) for job in registry.scheduled_jobs if job.every and job.enabled()]


def tick_frequent(last_runs: dict[str, float], clock: float) -> list[tuple[str, bool, str]]:
    """Run each frequent job whose interval has passed since its last run in this process
    (`last_runs`, job -> `clock` value, updated here). Returns (job, succeeded, output)."""
    done = []
    for job, every in frequent_jobs():
        last = last_runs.get(job)
        if last is not None and clock - last < every - 1:  # a second of slack for the loop's own time
            continue
        last_runs[job] = clock
        out = io.StringIO()
        try:
            call_command(job, stdout=out, stderr=out)
            done.append((job, True, out.getvalue()))
        except Exception:  # noqa: BLE001 - logged; the next run comes in a minute
            logger.exception("frequent job %s failed", job)
            done.append((job, False, out.getvalue() + traceback.format_exc()))
    return done
