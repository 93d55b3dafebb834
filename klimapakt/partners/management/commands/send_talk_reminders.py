"""Follow up proposed dates of orientation talks that the organisation has not answered.

Run daily from the built-in scheduler or cron, e.g. ``30 6 * * * manage.py send_talk_reminders``.
When the talk is at most ``TALK_REMINDER_DAYS_BEFORE`` days away, the organisation's members are
reminded and the pact office gets one summary of these organisations. Idempotent: each step is
recorded under a unique constraint before its mail is queued, so running the command twice (or
twice at once) never sends a mail twice."""

from django.core.management.base import BaseCommand

from klimapakt.partners.services import send_talk_reminders


class Command(BaseCommand):
    help = "Unbeantwortete Terminvorschläge für Orientierungsgespräche nachfassen (idempotent)."

    def handle(self, *args, **options):
        reminded, listed = send_talk_reminders()
        self.stdout.write(f"{len(reminded)} Organisation(en) erinnert, {len(listed)} der Geschäftsstelle gemeldet.")
