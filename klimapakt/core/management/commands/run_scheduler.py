"""Run the jobs of klimapakt/core/scheduler.py: the frequent ones every minute, the daily ones at
their time (`make run` starts it)."""

import time

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections

from klimapakt.core import scheduler


class Command(BaseCommand):
    help = ("Run the frequent jobs every minute and the daily jobs (core.registry.scheduled_jobs) at their "
            "time of day; --once for one check.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, run what is due, exit.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between checks (default 60).")

    def handle(self, *args, once=False, interval=60.0, **options):
        jobs = ", ".join(f"{job} {at:%H:%M}" for job, at in scheduler.schedule())
        self.stdout.write(f"Scheduler: {jobs}")
        self.stdout.write("Frequent: " + ", ".join(f"{job} every {every}s" for job, every in scheduler.frequent_jobs()))
        last_runs: dict[str, float] = {}
        while True:
            try:
                self._tick(last_runs)
            except OperationalError as error:  # e.g. "database is locked": try again next minute
                self.stderr.write(f"Scheduler: database not available ({error}); trying again")
            if once:
                return
            time.sleep(interval)
            close_old_connections()  # a long-running process: drop broken or too old connections

    def _tick(self, last_runs):
        for job, succeeded, output in scheduler.tick_frequent(last_runs, time.monotonic()):
            if not succeeded or output.strip():
                last_line = (output.strip().splitlines() or [""])[-1]
                self.stdout.write(f"{job}: {'ok' if succeeded else 'FAILED'} {last_line}".rstrip())
        for run in scheduler.tick():
            last_line = (run.output.strip().splitlines() or [""])[-1]
            self.stdout.write(f"{run.job}: {'ok' if run.succeeded else 'FAILED'} {last_line}".rstrip())
