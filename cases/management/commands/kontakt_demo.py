from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from cases import demo


class Command(BaseCommand):
    help = (
        "Load demo data: Burlöv's departments, units and subject areas, demo staff accounts, answer templates, "
        "a summer pause, two citizens of the development identity provider and a year and more of cases, "
        "and print the accounts. Cases are loaded only into a database without cases, so running it twice "
        "adds nothing. Their messages are recorded as sent, never delivered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-staff", action="store_true", help="Load the organisation only.")
        parser.add_argument(
            "--cases", type=int, default=demo.DEMO_CASES, help="How many cases (default %(default)s); 0 for none."
        )

    def handle(self, *args: object, no_staff: bool = False, cases: int = demo.DEMO_CASES, **options: object) -> None:
        demo.load_organisation()
        self.stdout.write(self.style.SUCCESS("Demo organisation loaded."))
        if no_staff:
            return
        rows = demo.load_staff()
        if cases > 0:
            loaded = demo.load_cases(n=cases)
            if loaded.skipped:
                self.stdout.write("There are cases already: no demo cases added.")
            else:
                self.stdout.write(self.style.SUCCESS(f"{loaded.cases} demo cases loaded."))
                if apps.is_installed("stats"):
                    # The statistics' calendar and monthly summary, so the
                    # statistics show the demo's figures at once.
                    call_command("stats_refresh", stdout=self.stdout)
        self.stdout.write("\nDemo staff accounts (password for all: %s):" % demo.DEMO_PASSWORD)
        for email, name, role in rows:
            self.stdout.write(f"  {email:<34} {name:<22} {role}")
        self.stdout.write("Staff set up a second factor (TOTP) at first sign-in.")
        self.stdout.write("\nCitizens on Mina sidor (sign in with the development identity provider):")
        for _key, given, family, number, _email, _phone in demo.DEMO_CITIZENS:
            self.stdout.write(f"  {given} {family}, personnummer {number[:8]}-{number[8:]}")
        self.stdout.write("")
