"""Reporting periods: a month, a quarter, a year or a range of local
receipt dates, both ends included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import deadlines


def is_first_working_day_of_month(day: date) -> bool:
    """The day the monthly report and the department summaries go out."""
    calendar = deadlines.current_calendar()
    if not calendar.is_working_day(day):
        return False
    d = day.replace(day=1)
    while d < day:
        if calendar.is_working_day(d):
            return False
        d += timedelta(days=1)
    return True


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, year, range
    start: date
    end: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls("month", start, next_month(start) - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * (quarter - 1) + 1, 1)
        return cls("quarter", start, add_months(start, 3) - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def range(cls, start: date, end: date) -> Period:
        return cls("range", start, end)

    @classmethod
    def last_full_month(cls, today: date) -> Period:
        previous = add_months(month_start(today), -1)
        return cls.month(previous.year, previous.month)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Quarter %(q)s %(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @property
    def dates(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def query(self) -> dict[str, str]:
        """The GET parameters that choose this period on the pages."""
        if self.kind == "month":
            return {"period": "month", "month": f"{self.start:%Y-%m}"}
        if self.kind == "quarter":
            return {"period": "quarter", "year": str(self.start.year), "quarter": str((self.start.month - 1) // 3 + 1)}
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": "range", "received_from": self.start.isoformat(), "received_to": self.end.isoformat()}
