from django.core.management.base import BaseCommand

from stats import maintenance, summary


class Command(BaseCommand):
    help = "Rebuild the working-day calendar table, every case's statistics row and the monthly summary."

    def handle(self, *args, **options):
        days = maintenance.calendar_rebuild()
        months = maintenance.case_stats_refresh()
        maintenance.calendar_ensure()
        rebuilt = summary.summary_rebuild_all()
        self.stdout.write(f"{days} calendar days, {months} months of cases, {rebuilt} months summarised")
