"""Delete closed support requests and their files after the pact's retention period
(SupportSettings.retention_years, default 3). Daily; at most 2000 per run."""

from django.core.management.base import BaseCommand

from klimapakt.support.services.housekeeping import delete_expired_requests


class Command(BaseCommand):
    help = "Delete closed support requests older than the retention period."

    def handle(self, *args, **options):
        count = delete_expired_requests()
        if options.get("verbosity", 1):
            self.stdout.write(f"{count} closed support requests deleted.")
