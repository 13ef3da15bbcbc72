"""The monthly summary always gives the figures a live count gives."""

from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Case
from stats import selectors, summary, tasks
from stats.models import DirtyMonth, MonthSummary
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters
from tests.integration.stats import dataset

pytestmark = pytest.mark.django_db

PERIODS = [
    Period.quarter(2025, 2),
    Period.year(2025),
    Period.month(2025, 2),
    Period.range(date(2025, 4, 15), date(2025, 6, 10)),  # partial months at both ends
    Period.range(date(2025, 1, 31), date(2025, 2, 1)),  # inside no whole month
    Period.range(date(2025, 3, 1), date(2025, 7, 31)),  # whole months only
]


def as_dict(figures):
    out = asdict(figures)
    for key in ("answer_median", "answer_p90", "close_median", "close_p90"):
        out[key] = None if out[key] is None else round(out[key], 6)
    return out


def selections(data) -> dict[str, Filters]:
    """No filter; each filter the summary is kept by (a department is its
    units); and selections counted live (a subject area, two filters)."""
    return {
        "none": Filters(),
        "department": Filters(department=data.d1),
        "unit": Filters(unit=data.u2),
        "case type": Filters(subtype="question"),
        "channel": Filters(channel="web"),
        "subject area": Filters(category=data.c3),
        "department and channel": Filters(department=data.d1, channel="web"),
    }


@pytest.mark.parametrize("dirty", [False, True], ids=["summarised", "dirty-april"])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.dates)
def test_summary_and_live_count_agree_on_every_figure(period, dirty):
    data = dataset.build()
    summary.summary_refresh()
    assert not DirtyMonth.objects.exists()
    if dirty:
        # A month whose summary is behind is counted live; the rest still
        # comes from the summary.
        MonthSummary.objects.filter(month=date(2025, 4, 1)).update(received=999)
        summary.mark_dirty(date(2025, 4, 1))
    today = timezone.localdate()
    for name, filters in selections(data).items():
        assert as_dict(selectors.overview(period=period, filters=filters, today=today)) == as_dict(
            selectors.overview_live(period=period, filters=filters, today=today)
        ), name
        for dimension in DIMENSIONS.values():
            summed = selectors.breakdown(dimension=dimension, period=period, filters=filters, today=today)
            live = selectors.breakdown_live(dimension=dimension, period=period, filters=filters, today=today)
            assert [(r.key, r.label, as_dict(r.figures)) for r in summed] == [
                (r.key, r.label, as_dict(r.figures)) for r in live
            ], (name, dimension.slug)
        end = period.end
        assert selectors.trend(end_month=end, filters=filters, today=today) == selectors.trend_live(
            end_month=end, filters=filters, today=today
        ), name


def test_filters_the_summary_is_kept_by_read_no_case_rows():
    """A page with one filter the summary is kept by reads stored rows for
    its whole months: only the open, overdue cases are counted live."""
    data = dataset.build()
    summary.summary_refresh()
    today = timezone.localdate()
    for filters in (Filters(department=data.d1), Filters(channel="web"), Filters(unit=data.u1)):
        assert filters.summary_source() is not None
    assert Filters(category=data.c1).summary_source() is None
    assert Filters(unit=data.u1, channel="web").summary_source() is None
    with CaptureQueriesContext(connection) as queries:
        selectors.breakdown(
            dimension=DIMENSIONS["enhet"], period=Period.year(2025), filters=Filters(channel="web"), today=today
        )
    case_rows = [q["sql"] for q in queries.captured_queries if "stats_casestat" in q["sql"]]
    assert len(case_rows) == 1 and "due_date" in case_rows[0]


def test_a_change_to_a_case_reaches_the_next_read_without_a_rebuild():
    data = dataset.build()
    summary.summary_refresh()
    today = timezone.localdate()
    q2 = Period.quarter(2025, 2)
    before = selectors.overview(period=q2, filters=Filters(), today=today)
    assert not DirtyMonth.objects.exists()
    services.case_close(
        case=data.cases["E"],
        resolution=Case.Resolution.NOT_HANDLED,
        note="Politisk fråga",
        by=data.officer,
        at=datetime(2025, 9, 1, 8, tzinfo=UTC),
    )
    assert list(DirtyMonth.objects.values_list("month", flat=True)) == [date(2025, 4, 1)]
    after = selectors.overview(period=q2, filters=Filters(), today=today)
    assert (after.closed, after.open, after.overdue) == (before.closed + 1, before.open - 1, before.overdue - 1)
    assert after.close_median == selectors.overview_live(period=q2, filters=Filters(), today=today).close_median
    trend = {m.month: m for m in selectors.trend(end_month=date(2025, 6, 1), filters=Filters(), today=today)}
    live = {m.month: m for m in selectors.trend_live(end_month=date(2025, 6, 1), filters=Filters(), today=today)}
    assert trend == live
    # The read counted April live and left the rebuild to the worker's task.
    assert DirtyMonth.objects.filter(month=date(2025, 4, 1)).exists()
    assert tasks.summary_refresh() == 1
    assert as_dict(selectors.overview(period=q2, filters=Filters(), today=today)) == as_dict(after)
    assert {m.month: m for m in selectors.trend(end_month=date(2025, 6, 1), filters=Filters(), today=today)} == live


def test_refresh_rebuilds_each_dirty_month_once():
    dataset.build()
    summary.summary_refresh()
    MonthSummary.objects.all().delete()
    summary.mark_dirty(date(2025, 4, 1))
    summary.mark_dirty(date(2025, 4, 1))
    assert DirtyMonth.objects.get().version == 2
    assert summary.summary_refresh() == 1
    assert not DirtyMonth.objects.exists()
    assert MonthSummary.objects.get(month=date(2025, 4, 1), dimension="all").received == 3
    assert summary.summary_refresh() == 0
