from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from klimapakt.core import registry
from klimapakt.core.models import OutboxMail, Pact


class Command(BaseCommand):
    help = "Load the default pact and the demo content (idempotent: existing demo data is kept)."

    def handle(self, *args, **options):
        # The demo's people are fictitious: nothing is queued while they are created (with
        # SMTP configured, a first `make run` would otherwise send some 350 mails to invented
        # addresses, and the worker would be busy with them and with archive PDFs, which are
        # rendered on demand instead).
        no_tasks = {alias: {**config, "BACKEND": "django_tasks.backends.dummy.DummyBackend"}
                    for alias, config in settings.TASKS.items()}
        # The mails the services write to the outbox while the demo is built are dropped too:
        # the sweeper would otherwise send them a minute later.
        last = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with override_settings(TASKS=no_tasks):
            self._load()
        OutboxMail.objects.filter(pk__gt=last).delete()

    def _load(self):
        call_command("load_default_pact", stdout=self.stdout)
        pact = Pact.objects.current()
        for loader in registry.demo_loaders:  # each app's demo (core.registry), in their order
            loader.load(pact)
            self.stdout.write(f"Demo content loaded: {loader.key}")
