from django.core.management.base import BaseCommand

from klimapakt.ghg.defaults import load_default_factor_set


class Command(BaseCommand):
    help = "Load the shipped default emission-factor set (idempotent; adds missing rows, never edits values)."

    def handle(self, *args, **options):
        factor_set, factors, conversions = load_default_factor_set()
        self.stdout.write(f"Factor set {factor_set.pk}: {factors} factors and {conversions} conversions added.")
