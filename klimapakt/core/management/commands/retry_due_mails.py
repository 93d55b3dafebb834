"""Queue deliveries of outbox mails whose next attempt is due (a frequent job of the scheduler)."""

from django.core.management.base import BaseCommand

from klimapakt.core.mail import retry_due_mails


class Command(BaseCommand):
    help = "Queue a delivery for every outbox mail whose next attempt is due or that is stuck in sending."

    def handle(self, *args, **options):
        queued = retry_due_mails()
        if queued or options["verbosity"] > 1:
            self.stdout.write(f"{queued} mail(s) queued for delivery")
