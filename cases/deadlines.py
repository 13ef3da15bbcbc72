"""The working-day calendar behind every due date.

A working day is Monday to Friday, not a Swedish public holiday, not
Midsummer Eve, Christmas Eve or New Year's Eve (the holidays package's
public and de facto categories for Sweden), and not inside a pause period
an administrator has configured. The arithmetic lives in WorkingCalendar,
which takes its pause periods as data and reads no clock; the module
functions build one from the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction

from cases.models import PausePeriod
from core.cache import cached, forget

LOCAL_TZ = ZoneInfo("Europe/Stockholm")


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> frozenset[date]:
    days = holidays.country_holidays("SE", years=year, categories=(holidays.PUBLIC, holidays.DE_FACTO))
    return frozenset(days.keys())


def is_swedish_holiday(d: date) -> bool:
    return d in _swedish_holidays(d.year)


@dataclass(frozen=True)
class WorkingCalendar:
    """Pause periods as sorted, inclusive (start, end) pairs."""

    pauses: tuple[tuple[date, date], ...] = field(default_factory=tuple)

    @classmethod
    def with_pauses(cls, pauses: Iterable[tuple[date, date]]) -> WorkingCalendar:
        return cls(tuple(sorted(pauses)))

    def in_pause(self, d: date) -> bool:
        # A municipality has a handful of pause periods; a scan is enough.
        return any(start <= d <= end for start, end in self.pauses)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and not is_swedish_holiday(d) and not self.in_pause(d)

    def add_working_days(self, start: date, n: int) -> date:
        """The nth working day strictly after start."""
        if n < 1:
            raise ValueError("n must be at least 1")
        d = start
        left = n
        while left:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end is start, negative when
        end is before start (so 'days left' counts down through zero)."""
        if end == start:
            return 0
        sign, lo, hi = (1, start, end) if end > start else (-1, end, start)
        count = 0
        d = lo
        while d < hi:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return sign * count

    def due_date(self, received_at: datetime) -> date:
        return self.add_working_days(local_date(received_at), settings.KONTAKT_RESPONSE_WORKING_DAYS)


def local_date(moment: datetime) -> date:
    """The date in Europe/Stockholm of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    return moment.astimezone(LOCAL_TZ).date()


def current_calendar() -> WorkingCalendar:
    return WorkingCalendar.with_pauses(PausePeriod.objects.values_list("start", "end"))


# The pause periods as the pages read them (core.cache). Services that set
# due dates read the table itself, inside their transaction.
_PAUSES_KEY = "cases:pause-periods:1"


def calendar_for_pages() -> WorkingCalendar:
    """current_calendar() for pages that show deadlines in words, from the
    cache; forgotten whenever a pause period changes (calendar_forget)."""
    pauses = cached(_PAUSES_KEY, lambda: list(PausePeriod.objects.values_list("start", "end")), timeout=3600)
    return WorkingCalendar.with_pauses(pauses)


def calendar_forget(**_kwargs: object) -> None:
    """A receiver for hooks.calendar_changed and a pause period's save and
    delete: at once, and again after the commit."""
    forget(_PAUSES_KEY)
    transaction.on_commit(lambda: forget(_PAUSES_KEY))


def is_working_day(d: date) -> bool:
    return current_calendar().is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    return current_calendar().add_working_days(start, n)


def due_date(received_at: datetime) -> date:
    return current_calendar().due_date(received_at)


def working_days_left(today: date, due: date, calendar: WorkingCalendar | None = None) -> int:
    """Working days from today until the due date; 0 on the due date itself,
    negative once it has passed."""
    return (calendar or current_calendar()).working_days_between(today, due)
