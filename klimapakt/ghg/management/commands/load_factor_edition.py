"""Load a newer source as an edition of the default factor set (rule 2a), e.g. UBA's next grid-mix
publication once its values are checked: rows as in emission_factors_de.csv plus `status`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from klimapakt.ghg.services.factors import factor_edition_load


class Command(BaseCommand):
    help = "Load a CSV file of factors as a new edition (newest edition wins per year; frozen balances keep theirs)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", default="", help="German title of the edition")
        parser.add_argument("--name-en", default="", help="English title of the edition")
        parser.add_argument("--key", default="", help="Key of the edition (default: the file name)")

    def handle(self, *args, path: Path, name: str, name_en: str, key: str, **options):
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            rows = factor_edition_load(path=path, key=key, name_de=name, name_en=name_en, actor=None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not rows:
            self.stdout.write("This edition was loaded before; nothing changed.")
        else:
            self.stdout.write(f"{rows} factor(s) loaded; open balances are recomputed by the worker.")
