"""Open the report periods that have begun and send each open report its due reminder once.

Run daily from cron or a systemd timer, e.g. ``15 6 * * * manage.py send_report_reminders``.
Idempotent: a reminder step is recorded under a unique constraint before its mail is queued,
so running the command twice (or twice at once) never sends a mail twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from klimapakt.reports.services import send_due_reminders


class Command(BaseCommand):
    help = "Berichtszeiträume öffnen und fällige Erinnerungen an Berichte senden (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Stichtag im Format JJJJ-MM-TT (Standard: heute)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date: bitte im Format JJJJ-MM-TT angeben") from None
        sent = send_due_reminders(today=today)
        self.stdout.write(f"{len(sent)} Erinnerung(en) versendet.")
