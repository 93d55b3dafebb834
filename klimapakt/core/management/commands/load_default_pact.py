import json

from django.core.management.base import BaseCommand
from django.db import transaction

from klimapakt.core.defaults import KREFELD
from klimapakt.core.models import InitialPartner, Pact, Page
from klimapakt.core.selectors import clear_pact_cache


def load_pact(config: dict) -> Pact:
    data = dict(config)
    partners = data.pop("initial_partners", [])
    pages = data.pop("pages", {})
    pact = Pact.objects.create(**data)
    for position, partner in enumerate(partners):
        InitialPartner.objects.create(pact=pact, position=position, **partner)
    for slug, fields in pages.items():
        Page.objects.create(pact=pact, slug=slug, **fields)
    clear_pact_cache()
    return pact


class Command(BaseCommand):
    help = "Load the default pact (Krefeld) when the database has none. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="JSON file with another city's pact configuration")

    @transaction.atomic
    def handle(self, *args, file=None, **options):
        if Pact.objects.exists():
            self.stdout.write("A pact is already configured; nothing to do.")
            return
        config = KREFELD
        if file:
            with open(file, encoding="utf-8") as fh:
                config = json.load(fh)
        pact = load_pact(config)
        self.stdout.write(self.style.SUCCESS(f"Loaded pact: {pact}"))
