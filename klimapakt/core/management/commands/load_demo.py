import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand

from klimapakt.core.models import Pact

# Each app may provide klimapakt/<app>/demo.py with load(pact); loaded in this order.
DEMO_APPS = ["core", "partners", "events", "ghg", "reports", "support", "insights"]


class Command(BaseCommand):
    help = "Load the default pact and the demo content (idempotent: existing demo data is kept)."

    def handle(self, *args, **options):
        call_command("load_default_pact", stdout=self.stdout)
        pact = Pact.objects.current()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"klimapakt.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"klimapakt.{app}.demo":
                    raise
                continue
            module.load(pact)
            self.stdout.write(f"Demo content loaded: {app}")
