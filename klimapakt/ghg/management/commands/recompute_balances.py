"""Recompute open balances computed with an older factor-set version (a frequent job of the
scheduler; the safety net behind the task a factor change queues)."""

from django.core.management.base import BaseCommand

from klimapakt.ghg.services.recalculation import recompute_stale_balances


class Command(BaseCommand):
    help = "Recompute every open balance whose factor-set version is outdated; list changes and tell owners."

    def handle(self, *args, **options):
        record = recompute_stale_balances()
        if record or options["verbosity"] > 1:
            changed = len(record.changes) if record else 0
            self.stdout.write(f"{record.balances if record else 0} balance(s) recomputed, {changed} changed")
