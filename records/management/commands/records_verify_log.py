from django.core.management.base import BaseCommand, CommandError

from records.services import access_log_verify


class Command(BaseCommand):
    help = "Verify the access log's hash chain; exits non-zero naming the first bad row."

    def handle(self, *args, **options):
        checked, problem = access_log_verify()
        if problem:
            raise CommandError(f"The access log is broken: {problem}. {checked} rows before it are whole.")
        self.stdout.write(f"The access log is whole: {checked} rows.")
