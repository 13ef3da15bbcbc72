from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from cases import search


class Command(BaseCommand):
    help = (
        "Set up the Swedish search configuration again (with the hunspell dictionary if the database server "
        "can load it now: install it first, see README) and recompute every case's search vector and the "
        "search vocabulary. Run it after installing or removing the dictionary. PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--without-dictionary",
            action="store_true",
            help="Use Snowball's stemmer only, even where the dictionary is installed.",
        )

    def handle(self, *args: object, without_dictionary: bool = False, **options: object) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite searches the text directly: nothing to rebuild.")
            return
        hunspell = search.configure(dictionary=not without_dictionary)
        self.stdout.write(
            "Swedish hunspell (sv_se) in use."
            if hunspell
            else "Snowball's Swedish stemmer in use (no hunspell dictionary on the database server)."
        )
        done = search.rebuild(progress=lambda n: self.stdout.write(f"  {n:,} cases", ending="\r"))
        self.stdout.write(self.style.SUCCESS(f"Search vectors of {done:,} cases and the vocabulary rebuilt."))
