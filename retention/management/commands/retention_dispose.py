"""Dispose of the cases whose retention has passed, as the nightly job does,
or with --dry-run list them and change nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from retention import selectors, services
from retention.models import DisposalRun


class Command(BaseCommand):
    help = "Dispose of closed cases whose retention (years after closing) has passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be disposed of; change nothing.")
        parser.add_argument("--batch-size", type=int, default=None, help="Cases per transaction.")

    def handle(self, *args, dry_run=False, batch_size=None, **options):
        now = timezone.now()
        if dry_run:
            total = 0
            for rule in selectors.rules(now=now):
                due = list(selectors.cases_due(rule).values_list("number", "closed_at"))
                if not due:
                    continue
                total += len(due)
                self.stdout.write(
                    f"{rule.category.name}: {rule.years} years, closed before {rule.closed_before:%Y-%m-%d %H:%M}: "
                    f"{len(due)} cases"
                )
                for number, closed_at in due:
                    self.stdout.write(f"  {number} closed {timezone.localtime(closed_at):%Y-%m-%d}")
            self.stdout.write(f"Dry run: {total} cases would be disposed of. Nothing was changed.")
            return
        runs = services.disposal_run(now=now, trigger=DisposalRun.Trigger.COMMAND, batch_size=batch_size)
        for run in runs:
            if run.count:
                self.stdout.write(f"{run.category_name}: {run.count} cases disposed of: {', '.join(run.case_numbers)}")
        self.stdout.write(f"{sum(run.count for run in runs)} cases disposed of.")
