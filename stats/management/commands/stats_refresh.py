from django.core.management.base import BaseCommand

from stats import maintenance


class Command(BaseCommand):
    help = "Rebuild the working-day calendar table and every case's statistics row (after bulk loads)."

    def handle(self, *args, **options):
        days = maintenance.calendar_rebuild()
        rows = maintenance.case_stats_refresh()
        maintenance.calendar_ensure()
        self.stdout.write(f"{days} calendar days, {rows} case rows")
