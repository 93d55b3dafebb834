"""The task worker of the database backend: django-tasks-db's worker loop, plus a heartbeat every
30 s (core.workers) and survival of database errors ("database is locked" under a long write,
a PostgreSQL restart): the loop waits and goes on instead of exiting. `make run` starts it;
options are those of `db_worker`."""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from klimapakt.core import workers

logger = logging.getLogger("klimapakt.core.workers")

RECOVERY_DELAYS = [1, 2, 5, 10, 30]  # seconds to wait after the loop failed, growing


class HeartbeatWorker(Worker):
    """django-tasks-db's Worker that remembers the task it runs, so that a task interrupted by a
    database error is released (re-queued or failed, as the reaper would) instead of staying
    RUNNING on a worker that is still alive."""

    current = None

    def run_task(self, db_task_result) -> None:
        self.current = db_task_result
        super().run_task(db_task_result)  # records the task's own errors itself
        self.current = None  # left set when recording the outcome failed (see Command._release)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            workers.beat(worker_id=self.worker_id, started_at=self.started_at)
        except OperationalError as error:  # locked or unreachable: the next beat comes soon
            logger.warning("heartbeat of %s not written: %s", self.worker_id, error)
        finally:
            connection.close()  # this thread's own connection; never hold SQLite open in between

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.beat()


class Command(DbWorkerCommand):
    help = "Run the database task worker with a heartbeat; it survives database errors (see core.workers)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None, reload=False)
        parser.add_argument("--heartbeat", type=float, default=workers.HEARTBEAT_INTERVAL,
                            help="Seconds between two heartbeats (default %(default)s).")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks,
               worker_id, exclude_queues, heartbeat, **options) -> None:
        self.configure_logging(verbosity)
        worker = HeartbeatWorker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id or workers.new_worker_id(),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [])
        pulse = Heartbeat(worker.worker_id, heartbeat)
        pulse.beat()
        pulse.start()
        worker.configure_signals()
        self.stdout.write(f"Worker {worker.worker_id}: heartbeat every {heartbeat:g}s")
        try:
            self.run_surviving(worker)
        finally:
            pulse.stopped.set()
            try:
                workers.forget(worker.worker_id)
            except OperationalError:  # the reaper will see it gone
                pass

    def run_surviving(self, worker: HeartbeatWorker) -> None:
        failures = 0
        while worker.running:
            try:
                worker.run()
                return  # --batch or --max-tasks reached
            except (OperationalError, InterfaceError) as error:
                delay = RECOVERY_DELAYS[min(failures, len(RECOVERY_DELAYS) - 1)]
                failures += 1
                logger.warning("worker %s: database error (%s); going on in %ss", worker.worker_id, error, delay)
                self._release(worker)
                close_old_connections()
                connection.close()
                time.sleep(delay)
                worker.startup_delay = False

    @staticmethod
    def _release(worker: HeartbeatWorker) -> None:
        """A database error interrupted a task: release it, as if its worker had died."""
        result, worker.current = worker.current, None
        if result is None:
            return
        for _attempt in range(10):
            try:
                workers.release_task(result, reason=f"database error in {worker.worker_id}")
                return
            except OperationalError:
                connection.close()
                time.sleep(1)
        logger.error("task %s could not be released; the reaper will once this worker is gone", result.pk)
