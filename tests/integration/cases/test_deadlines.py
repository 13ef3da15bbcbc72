"""The deadline rule's module functions read the pause periods an
administrator has configured from the database."""

from datetime import UTC, date, datetime

import pytest

from cases import deadlines
from cases.models import PausePeriod


@pytest.mark.django_db
def test_module_functions_read_pause_periods_from_the_database():
    assert deadlines.is_working_day(date(2026, 7, 15))
    PausePeriod.objects.create(start=date(2026, 7, 13), end=date(2026, 7, 17), reason="Sommar")
    assert not deadlines.is_working_day(date(2026, 7, 15))
    assert deadlines.add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 20)
    assert deadlines.due_date(datetime(2026, 7, 10, 8, 0, tzinfo=UTC)) == date(2026, 7, 31)
