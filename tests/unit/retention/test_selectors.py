"""The date arithmetic of the retention rules."""

from datetime import datetime

from django.utils import timezone

from retention import selectors


def test_years_before_keeps_the_moment_and_turns_a_leap_day_into_the_28th():
    tz = timezone.get_current_timezone()
    assert selectors.years_before(datetime(2026, 3, 1, 2, 30, tzinfo=tz), 2) == datetime(2024, 3, 1, 2, 30, tzinfo=tz)
    assert selectors.years_before(datetime(2028, 2, 29, tzinfo=tz), 1) == datetime(2027, 2, 28, tzinfo=tz)
