"""Leases and heartbeats for the task queue, which django-tasks itself does not have.

With the database backend (django-tasks-db, the default) every worker process
(``manage.py run_worker``) writes a heartbeat row every HEARTBEAT_INTERVAL seconds. The reaper
(``reap_tasks``, a frequent job of the scheduler) looks at the tasks that are RUNNING: one whose
worker has not been seen for WORKER_TIMEOUT lost its worker (``kill -9``, a crash, a power
cut). An idempotent task (``core.registry.idempotent_tasks``) goes back to the queue, at most
MAX_RUNS times in all; any other task is marked FAILED with a clear error, shown in the back
office (*Hintergrundaufgaben*) with "Erneut versuchen". ``queue_health`` is what
``/healthz?deep=1`` answers.

With RQ (``TASK_BACKEND=rq``) RQ's own worker heartbeats and registries do this: an abandoned
job is retried when it has retries left (``core.task_backends.RetryingRQBackend`` gives the
idempotent tasks some) and otherwise lands in RQ's FailedJobRegistry (docs/operations.md)."""

from __future__ import annotations

import datetime
import logging
import os
import socket
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import OutboxMail, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 30                              # seconds between two heartbeats of a worker
WORKER_TIMEOUT = datetime.timedelta(minutes=2)       # no heartbeat this long: the worker is gone
QUEUE_AGE_LIMIT = datetime.timedelta(minutes=10)     # a task waiting longer: the queue is not served
MAX_RUNS = 3                                         # an idempotent task is started at most this often


class WorkerLost(Exception):
    """The worker running the task died before the task finished (recorded on reaped tasks)."""


def tasks_in_database() -> bool:
    return settings.TASK_BACKEND == "database"


# --------------------------------------------------------------------------- heartbeats


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def beat(*, worker_id: str, started_at: datetime.datetime, now: datetime.datetime | None = None) -> None:
    """Record that the worker `worker_id` of this process is alive."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=socket.gethostname()[:255], pid=os.getpid(),
                                       started_at=started_at, seen_at=now)


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_worker_ids(now: datetime.datetime | None = None) -> set[str]:
    now = now or timezone.now()
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=now - WORKER_TIMEOUT).values_list("worker_id", flat=True))


def prune_heartbeats(now: datetime.datetime | None = None) -> int:
    """Heartbeats of workers gone for a day are of no more use."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()[0]


# --------------------------------------------------------------------------- the reaper


def _results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def orphaned_tasks(now: datetime.datetime | None = None) -> list:
    """Tasks RUNNING for longer than WORKER_TIMEOUT on a worker without a recent heartbeat."""
    from django_tasks_db.compat import TaskResultStatus

    now = now or timezone.now()
    running = list(_results().filter(status=TaskResultStatus.RUNNING, started_at__lte=now - WORKER_TIMEOUT)
                   .only("id", "task_path", "worker_ids", "started_at", "status", "backend_name"))
    if not running:
        return []
    alive = live_worker_ids(now)
    return [result for result in running if not (result.worker_ids and result.worker_ids[-1] in alive)]


def release_task(result, *, reason: str, now: datetime.datetime | None = None) -> str | None:
    """Take a task away from its dead worker: an idempotent one back to the queue (unless it has
    been started MAX_RUNS times: a task that kills its worker every time must stop), any other
    one FAILED. Returns "requeued", "failed", or None when the task moved on meanwhile."""
    from django_tasks_db.compat import TaskResultStatus

    now = now or timezone.now()
    rows = _results().filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
    if result.task_path in registry.idempotent_tasks and len(result.worker_ids) < MAX_RUNS:
        if rows.update(status=TaskResultStatus.READY, run_after=now):
            logger.warning("task %s (%s) lost its worker: queued again", result.pk, result.task_path)
            return "requeued"
        return None
    message = _("Der Worker, der diese Aufgabe ausführte, ist ausgefallen (%(reason)s). Die Aufgabe wurde "
                "nicht abgeschlossen und muss erneut gestartet werden.") % {"reason": reason}
    if not rows.update(status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                       exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                       traceback=f"{WorkerLost.__qualname__}: {message}"):
        return None
    logger.error("task %s (%s) lost its worker: marked failed", result.pk, result.task_path)
    _tell_finished(result.pk)
    return "failed"


def _tell_finished(pk) -> None:
    """Send django-tasks' task_finished signal for a task the reaper failed, so an app that
    listens (e.g. to show an import as failed) learns of it as of any other failure."""
    try:
        from django_tasks.signals import task_finished

        result = _results().get(pk=pk)
        task_result = result.task_result
        task_finished.send(sender=type(result.task.get_backend()), task_result=task_result)
    except Exception:  # noqa: BLE001 - a listener's error must not stop the reaper
        logger.exception("task_finished for reaped task %s failed", pk)


def reap_tasks(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Release every task whose worker died; returns {"requeued": n, "failed": m}."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for result in orphaned_tasks(now):
        outcome = release_task(result, reason=_("kein Lebenszeichen seit %(minutes)d Minuten")
                               % {"minutes": WORKER_TIMEOUT.total_seconds() // 60}, now=now)
        if outcome:
            counts[outcome] += 1
    prune_heartbeats(now)
    return counts


def task_retry(*, task_id, actor):
    """The office starts a failed task (or one whose worker died) again: the same row goes back
    to the queue with the same arguments."""
    from django_tasks_db.compat import TaskResultStatus

    from .audit import log_action

    now = timezone.now()
    with transaction.atomic():
        result = _results().select_for_update().filter(pk=task_id).first()
        if result is None:
            raise ValidationError(_("Diese Aufgabe gibt es nicht mehr."))
        orphaned = result.status == TaskResultStatus.RUNNING and result in orphaned_tasks(now)
        if result.status != TaskResultStatus.FAILED and not orphaned:
            raise ValidationError(_("Nur fehlgeschlagene oder hängende Aufgaben können erneut versucht werden."))
        previous = result.status
        _results().filter(pk=result.pk).update(status=TaskResultStatus.READY, run_after=now, finished_at=None,
                                               return_value=None, exception_class_path="", traceback="")
        log_action("core.task.retried", actor=actor,
                   data={"task_id": str(result.pk), "task": result.task_path, "status": previous})
    return result


# --------------------------------------------------------------------------- health


def queue_age(now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """How long the oldest task that could run now has been waiting (None: none is waiting)."""
    from django_tasks_db.models import get_date_max

    now = now or timezone.now()
    ready = _results().ready()
    oldest = [ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"],
              ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"]]
    oldest = [moment for moment in oldest if moment is not None]
    return max(now - min(oldest), datetime.timedelta(0)) if oldest else None


def queue_health(now: datetime.datetime | None = None) -> dict:
    """What /healthz?deep=1 answers: {"status": "ok" | "unavailable", "problems": [...], figures}."""
    from .mail import mails_stuck_sending

    now = now or timezone.now()
    data: dict = {"backend": settings.TASK_BACKEND, "problems": [],
                  "failed_mails": OutboxMail.objects.filter(status=OutboxMail.Status.FAILED).count(),
                  "stuck_mails": mails_stuck_sending(now).count(),
                  "waiting_mails": OutboxMail.objects.filter(status=OutboxMail.Status.QUEUED).count()}
    if tasks_in_database():
        from django_tasks_db.compat import TaskResultStatus

        last = WorkerHeartbeat.objects.aggregate(at=Max("seen_at"))["at"]
        age = queue_age(now)
        data.update({
            "last_heartbeat": last.isoformat() if last else None,
            "workers": WorkerHeartbeat.objects.filter(seen_at__gte=now - WORKER_TIMEOUT).count(),
            "queue_age_seconds": int(age.total_seconds()) if age is not None else 0,
            "failed_tasks": _results().filter(status=TaskResultStatus.FAILED).count(),
        })
        if last is None or now - last > WORKER_TIMEOUT:
            data["problems"].append("no_worker")
        if age is not None and age > QUEUE_AGE_LIMIT:
            data["problems"].append("queue_waiting")
    elif settings.TASK_BACKEND == "rq":  # pragma: no cover - needs a Redis
        data.update(_rq_health())
    data["status"] = "unavailable" if data["problems"] else "ok"
    return data


def _rq_health() -> dict:  # pragma: no cover - needs a Redis
    try:
        import django_rq
        from rq import Worker

        connection = django_rq.get_connection()
        queue = django_rq.get_queue("default")
        workers = Worker.count(connection=connection)
        figures = {"workers": workers, "queued_tasks": queue.count,
                   "failed_tasks": queue.failed_job_registry.count, "problems": []}
        if not workers:
            figures["problems"].append("no_worker")
        return figures
    except Exception as error:  # noqa: BLE001 - Redis down is a finding, not a crash
        return {"problems": ["redis"], "error": type(error).__name__}
