"""The deadline rule (README, "The deadline rule"), day by day."""

from datetime import UTC, date, datetime

import pytest

from cases import deadlines
from cases.deadlines import WorkingCalendar

CAL = WorkingCalendar()
UTC = UTC


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year's Day
        date(2026, 1, 6),  # Epiphany
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),  # May Day
        date(2026, 5, 14),  # Ascension Day
        date(2025, 6, 6),  # National Day on a Friday
        date(2026, 6, 19),  # Midsummer Eve (de facto)
        date(2026, 12, 24),  # Christmas Eve (de facto)
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 31),  # New Year's Eve (de facto)
        date(2027, 12, 31),  # New Year's Eve on a Friday
    ],
)
def test_holidays_and_eves_are_not_working_days(day):
    assert day.weekday() < 5
    assert not CAL.is_working_day(day)


def test_midsummer_eve_is_not_a_working_day():
    assert not CAL.is_working_day(date(2027, 6, 25))
    assert CAL.is_working_day(date(2027, 6, 24))


def test_weekends_are_not_working_days():
    assert not CAL.is_working_day(date(2026, 11, 28))  # Saturday
    assert not CAL.is_working_day(date(2026, 11, 29))  # Sunday
    assert CAL.is_working_day(date(2026, 11, 30))  # Monday


def test_ordinary_weekday_is_a_working_day():
    assert CAL.is_working_day(date(2026, 11, 27))


def test_add_working_days_counts_strictly_after_start():
    # Monday 2026-11-23 + 1 → Tuesday; + 10 → Monday 2026-12-07.
    assert CAL.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)
    assert CAL.add_working_days(date(2026, 11, 23), 10) == date(2026, 12, 7)


def test_saturday_receipt_counts_from_monday():
    assert CAL.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert CAL.add_working_days(date(2026, 11, 28), 10) == date(2026, 12, 11)


def test_across_christmas_and_new_year():
    # From Monday 21 Dec 2026: 22, 23, 28, 29, 30, 4 Jan (1 Jan holiday), 5, 7 (6 Jan Epiphany), 8, 11.
    assert CAL.add_working_days(date(2026, 12, 21), 10) == date(2027, 1, 11)


def test_across_easter():
    # Thursday 2 April 2026: Good Friday 3 and Easter Monday 6 are skipped.
    assert CAL.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert CAL.add_working_days(date(2026, 4, 2), 10) == date(2026, 4, 20)


def test_across_midsummer():
    # Wednesday 17 June 2026: 18, (19 Midsummer Eve), 22, 23, ...
    assert CAL.add_working_days(date(2026, 6, 17), 2) == date(2026, 6, 22)


def test_pause_period_days_are_not_working_days():
    cal = WorkingCalendar.with_pauses([(date(2026, 7, 6), date(2026, 8, 7))])
    assert not cal.is_working_day(date(2026, 7, 15))
    assert cal.is_working_day(date(2026, 8, 10))
    # Received Friday 3 July: the next working day after the pause is 10 August.
    assert cal.add_working_days(date(2026, 7, 3), 1) == date(2026, 8, 10)
    assert cal.add_working_days(date(2026, 7, 3), 10) == date(2026, 8, 21)


def test_overlapping_pause_periods():
    cal = WorkingCalendar.with_pauses([(date(2026, 7, 1), date(2026, 7, 31)), (date(2026, 7, 10), date(2026, 7, 12))])
    assert not cal.is_working_day(date(2026, 7, 20))


def test_received_late_on_new_years_eve_utc_counts_as_new_years_day(settings):
    settings.KONTAKT_RESPONSE_WORKING_DAYS = 10
    received = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert deadlines.local_date(received) == date(2027, 1, 1)
    # Counting from Friday 1 Jan 2027: 4, 5, 7, 8, 11, 12, 13, 14, 15, 18 (6 Jan Epiphany).
    assert CAL.due_date(received) == date(2027, 1, 18)


def test_local_date_in_summer_time():
    assert deadlines.local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert deadlines.local_date(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == date(2026, 6, 30)


def test_response_days_is_a_setting(settings):
    settings.KONTAKT_RESPONSE_WORKING_DAYS = 5
    assert CAL.due_date(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) == date(2026, 11, 30)


def test_naive_moment_is_refused():
    with pytest.raises(ValueError):
        deadlines.local_date(datetime(2026, 1, 1, 12, 0))


def test_working_days_between_counts_down_through_zero():
    assert CAL.working_days_between(date(2026, 11, 27), date(2026, 12, 1)) == 2
    assert CAL.working_days_between(date(2026, 12, 1), date(2026, 12, 1)) == 0
    assert CAL.working_days_between(date(2026, 12, 3), date(2026, 12, 1)) == -2
