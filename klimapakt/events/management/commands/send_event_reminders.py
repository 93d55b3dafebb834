"""Remind confirmed participants of their event (settings.KLIMAPAKT_EVENT_REMINDER_DAYS local
days before it, default 2; 0 switches it off), with the personal link to cancel. Run daily from
the built-in scheduler or cron, e.g. ``0 7 * * * manage.py send_event_reminders``. Idempotent:
every registration is reminded once, however often (or however simultaneously) this runs."""

from django.core.management.base import BaseCommand

from klimapakt.events.services import send_event_reminders


class Command(BaseCommand):
    help = "Remind confirmed participants of events in the next days (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Local days before the event (default: KLIMAPAKT_EVENT_REMINDER_DAYS).")

    def handle(self, *args, days=None, **options):
        sent = send_event_reminders(days=days)
        if options.get("verbosity", 1):
            self.stdout.write(f"{sent} reminders queued.")
