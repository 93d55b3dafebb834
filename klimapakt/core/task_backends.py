"""RQ (``TASK_BACKEND=rq``): the idempotent tasks (core.registry.idempotent_tasks) get RQ's own
retries, with waits like the outbox's. RQ's workers keep heartbeats themselves; a job whose
worker died is found by RQ's registry clean-up (AbandonedJobError) and retried while it has
retries left, otherwise it lands in RQ's FailedJobRegistry (docs/operations.md). Used through
``RQ = {"QUEUE_CLASS": ...}`` in config/settings.py; imported only with that backend."""

from __future__ import annotations

from django_rq.queues import DjangoRQ
from rq import Retry

from . import registry

RETRY_INTERVALS = [60, 300, 1800]  # seconds


class RetryingQueue(DjangoRQ):
    def create_job(self, func, *args, **kwargs):
        if kwargs.get("retry") is None and isinstance(func, str) and func in registry.idempotent_tasks:
            kwargs["retry"] = Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
        return super().create_job(func, *args, **kwargs)
