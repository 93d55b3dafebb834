"""Anonymise the personal data of event registrations a configurable number of days after the
event (settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS, default 90). Answers and statuses stay,
so the evaluation survives without names. Run it daily (cron or systemd timer)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from klimapakt.events.services import anonymise_registrations, recount_events


class Command(BaseCommand):
    help = "Anonymise registrations of events that ended more than N days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Days after the event (default: KLIMAPAKT_REGISTRATION_RETENTION_DAYS).")

    def handle(self, *args, days=None, **options):
        days = settings.KLIMAPAKT_REGISTRATION_RETENTION_DAYS if days is None else days
        before = timezone.now() - datetime.timedelta(days=days)
        count = anonymise_registrations(before=before)
        recount_events()  # safety net for the seat counters (e.g. after an edit in the Django admin)
        if options.get("verbosity", 1):
            self.stdout.write(f"{count} registrations anonymised (events ended before {before:%Y-%m-%d %H:%M}).")
