from django.core.management.base import BaseCommand

from cases import demo


class Command(BaseCommand):
    help = "Load demo data (Burlöv's departments, units, categories) and demo staff accounts, and print them."

    def add_arguments(self, parser):
        parser.add_argument("--no-staff", action="store_true", help="Load the organisation only.")

    def handle(self, *args, no_staff=False, **options):
        demo.load_organisation()
        self.stdout.write(self.style.SUCCESS("Demo organisation loaded."))
        if no_staff:
            return
        rows = demo.load_staff()
        self.stdout.write("\nDemo staff accounts (password for all: %s):" % demo.DEMO_PASSWORD)
        for email, name in rows:
            self.stdout.write(f"  {email:<36} {name}")
        self.stdout.write("Staff set up a second factor (TOTP) at first sign-in.\n")
