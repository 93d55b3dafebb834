"""Remind advisors (and, at twice the target, the pact office) about requests whose first
answer is overdue. Daily; safe to run twice."""

from django.core.management.base import BaseCommand

from klimapakt.support.services.housekeeping import remind_unanswered


class Command(BaseCommand):
    help = "Remind about support requests without a first answer in time."

    def handle(self, *args, **options):
        advisors, office = remind_unanswered()
        if options.get("verbosity", 1):
            self.stdout.write(f"{advisors} requests reminded to advisors, {office} to the pact office.")
