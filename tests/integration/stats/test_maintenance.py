"""The statistics rows stay in step with the cases and the calendar."""

from datetime import date

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Case, PausePeriod
from stats import maintenance, selectors, tasks
from stats.models import CaseStat, WorkingDay
from stats.periods import Period
from stats.selectors import Filters
from tests.factories import UserFactory, register_case
from tests.integration.stats import dataset

pytestmark = pytest.mark.django_db


def snapshot():
    return {row.case_id: model_to_dict(row) for row in CaseStat.objects.all()}


def test_the_rows_kept_by_each_change_equal_a_full_rebuild():
    dataset.build()
    kept = snapshot()
    assert len(kept) == Case.objects.count() == 11
    CaseStat.objects.all().delete()
    maintenance.case_stats_refresh()
    assert snapshot() == kept


def test_working_day_ordinals_follow_the_deadline_calendar():
    maintenance.calendar_rebuild(start=date(2025, 4, 1), end=date(2025, 4, 30))
    days = {d.date: d for d in WorkingDay.objects.all()}
    # Good Friday, Easter Monday and the weekend between are not working days.
    assert [days[date(2025, 4, d)].is_working for d in (17, 18, 19, 20, 21, 22)] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert days[date(2025, 4, 22)].ordinal - days[date(2025, 4, 16)].ordinal == 2


def test_removing_a_pause_changes_durations_but_never_verdicts():
    data = dataset.build()
    c = data.cases["C"]
    assert CaseStat.objects.get(case=c).answer_days == 9
    services.pause_period_delete(period=PausePeriod.objects.get())
    row = CaseStat.objects.get(case=c)
    # Without the pause, the 20 working days of 7 Jul – 1 Aug count too.
    assert (row.answer_days, row.close_days) == (29, 29)
    assert (row.answered_in_time, row.closed_in_time) == (True, True)
    # Cases outside the pause keep their figures.
    assert CaseStat.objects.get(case=data.cases["A"]).answer_days == 4


def test_a_new_pause_is_counted_at_once():
    data = dataset.build()
    services.pause_period_save(period=PausePeriod(start=date(2025, 4, 22), end=date(2025, 4, 23), reason="Flytt"))
    # A was answered 24 Apr: 22 and 23 Apr no longer count.
    assert CaseStat.objects.get(case=data.cases["A"]).answer_days == 2


def test_a_read_never_rebuilds_the_calendar_the_worker_does():
    dataset.build()
    WorkingDay.objects.all().delete()
    CaseStat.objects.update(answer_days=None, close_days=None)
    period, today = Period.quarter(2025, 2), timezone.localdate()
    with CaptureQueriesContext(connection) as read:
        f = selectors.overview(period=period, filters=Filters(), today=today)
    # The counts are there; the working-day durations wait for the calendar.
    assert f.received == 8 and (f.answer_median, f.close_median) == (None, None)
    assert not [q for q in read.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert not WorkingDay.objects.exists()
    tasks.summary_refresh()
    f = selectors.overview(period=period, filters=Filters(), today=today)
    assert (f.answer_median, f.close_median) == (4, 9)


def test_a_bulk_update_in_a_service_is_heard_too():
    data = dataset.build()
    CaseStat.objects.all().delete()
    # The deadline sweep writes its flags with one UPDATE per chunk and names
    # the changed cases through the hook.
    changed = services.case_flag_deadlines(today=date(2026, 1, 1))
    assert changed and CaseStat.objects.filter(case__in=[c.pk for c in data.cases.values() if c.is_open]).exists()


def test_contact_details_make_a_case_answerable():
    data = dataset.build()
    d = data.cases["D"]
    assert CaseStat.objects.get(case=d).answerable is False
    assert CaseStat.objects.get(case=data.cases["E"]).answerable is True


def test_deleting_a_case_removes_its_row():
    data = dataset.build()
    e = data.cases["E"]
    e.delete()
    assert not CaseStat.objects.filter(case_id=e.pk).exists()


def test_a_disposed_case_keeps_whether_it_could_be_answered():
    contact = services.ContactData(name="Ada", email="ada@example.se", preferred="email")
    case = register_case(contact=contact)
    services.case_close(case=case, resolution=Case.Resolution.TRANSFERRED, transfer_reference="W-1", by=UserFactory())
    assert CaseStat.objects.get(case=case).answerable is True
    services.case_dispose(case=case)
    # The contact details are gone; the statistics still count the case as
    # one that could be answered, also after a full rebuild.
    assert CaseStat.objects.get(case=case).answerable is True
    maintenance.case_stats_refresh()
    assert CaseStat.objects.get(case=case).answerable is True
