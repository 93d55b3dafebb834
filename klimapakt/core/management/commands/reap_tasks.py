"""Release tasks whose worker died (a frequent job of the scheduler; database task backend)."""

from django.core.management.base import BaseCommand

from klimapakt.core.workers import reap_tasks


class Command(BaseCommand):
    help = ("Queue again the idempotent tasks RUNNING on a worker without a heartbeat for 2 minutes and mark "
            "the others failed (see klimapakt/core/workers.py).")

    def handle(self, *args, **options):
        counts = reap_tasks()
        if any(counts.values()) or options["verbosity"] > 1:
            self.stdout.write(f"{counts['requeued']} task(s) queued again, {counts['failed']} marked failed")
