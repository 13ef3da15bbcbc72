"""stats listens to cases through its one domain-event hook (cases.hooks),
connected in StatsConfig.ready(): every change a cases service makes
refreshes the statistics rows of the cases it names, in the same
transaction; a changed pause period rebuilds the working-day calendar and
the durations it moves."""

from __future__ import annotations

from datetime import date

from stats import maintenance


def cases_changed(sender: object, *, case_ids: list[int], disposing: bool = False, **kwargs: object) -> None:
    maintenance.case_stats_refresh_ids(case_ids)
    if disposing:
        # The case is about to lose its contact details and citizen link:
        # keep whether it could be answered as it is now.
        maintenance.case_stats_freeze(case_ids)


def calendar_changed(sender: object, *, start: date, end: date, **kwargs: object) -> None:
    maintenance.calendar_changed(start=start, end=end)
