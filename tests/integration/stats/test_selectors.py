"""Every figure of the known data set, from the queries behind the pages."""

from datetime import date

import pytest
from django.utils import timezone

from stats import selectors
from stats.periods import Period
from stats.selectors import DIMENSIONS, Filters
from tests.integration.stats import dataset

pytestmark = pytest.mark.django_db

Q2 = Period.quarter(2025, 2)


@pytest.fixture
def data():
    return dataset.build()


def test_case_rows_hold_the_working_days_counted_by_hand(data):
    from stats.models import CaseStat

    rows = {r.case_id: r for r in CaseStat.objects.all()}
    got = {key: (rows[c.pk].answer_days, rows[c.pk].close_days) for key, c in data.cases.items()}
    assert got == {
        "A": (4, 5),
        "B": (11, 12),
        "C": (9, 9),
        "D": (None, 16),
        "E": (None, None),
        "F": (2, None),
        "G": (None, 3),
        "H": (1, None),
        "J1": (None, None),
        "J2": (None, None),
        "K": (None, None),
    }


def test_overview_of_the_quarter(data):
    f = selectors.overview(period=Q2, filters=Filters(), today=timezone.localdate())
    assert (f.received, f.answered, f.closed, f.open, f.overdue) == (8, 5, 5, 3, 3)
    assert (f.answered_in_time, f.answer_base, f.answered_in_time_pct) == (4, 6, 66.7)
    assert (f.closed_in_time, f.close_base, f.closed_in_time_pct) == (3, 8, 37.5)
    assert (f.answer_median, round(f.answer_p90, 6)) == (4, 10.2)
    assert (f.close_median, round(f.close_p90, 6)) == (9, 14.4)


def test_a_case_counts_in_the_month_of_its_swedish_receipt_date(data):
    today = timezone.localdate()
    january = selectors.overview(period=Period.month(2025, 1), filters=Filters(), today=today)
    february = selectors.overview(period=Period.month(2025, 2), filters=Filters(), today=today)
    july = selectors.overview(period=Period.month(2025, 7), filters=Filters(), today=today)
    assert (january.received, february.received, july.received) == (1, 1, 1)


def test_breakdown_by_case_type(data):
    rows = selectors.breakdown(
        dimension=DIMENSIONS["undertyp"], period=Q2, filters=Filters(), today=timezone.localdate()
    )
    got = {r.key: (r.figures.received, r.figures.answered, r.figures.closed, r.figures.overdue) for r in rows}
    assert got == {
        "praise": (1, 1, 1, 0),
        "complaint": (2, 1, 2, 0),
        "suggestion": (1, 0, 0, 1),
        "question": (3, 3, 1, 2),
        "fault_report": (1, 0, 1, 0),
    }
    assert [r.key for r in rows] == ["praise", "complaint", "suggestion", "question", "fault_report"]
    question = next(r.figures for r in rows if r.key == "question")
    assert (question.answer_median, round(question.answer_p90, 6)) == (2, 9.2)
    assert (question.closed_in_time, question.close_base) == (0, 3)


def test_breakdown_by_department_and_unit(data):
    today = timezone.localdate()
    deps = selectors.breakdown(dimension=DIMENSIONS["forvaltning"], period=Q2, filters=Filters(), today=today)
    assert [(r.label, r.figures.received) for r in deps] == [("Kultur och fritid", 2), ("Samhällsbyggnad", 6)]
    units = selectors.breakdown(dimension=DIMENSIONS["enhet"], period=Q2, filters=Filters(), today=today)
    assert [(r.label, r.detail, r.figures.received) for r in units] == [
        ("Bibliotek", "Kultur och fritid", 2),
        ("Gata", "Samhällsbyggnad", 3),
        ("Park", "Samhällsbyggnad", 3),
    ]


def test_filters_narrow_every_figure(data):
    f = selectors.overview(period=Q2, filters=Filters(department=data.d2), today=timezone.localdate())
    assert (f.received, f.closed, f.overdue, f.answer_base, f.close_base) == (2, 1, 1, 1, 2)


def test_trend_counts_received_and_closed_in_time_per_month(data):
    months = selectors.trend(end_month=date(2025, 6, 1), filters=Filters(), today=timezone.localdate())
    assert len(months) == 24 and months[0].month == date(2023, 7, 1) and months[-1].month == date(2025, 6, 1)
    got = {m.month.strftime("%Y-%m"): (m.received, m.closed_in_time, m.close_base) for m in months if m.received}
    assert got == {
        "2025-01": (1, 0, 1),
        "2025-02": (1, 0, 1),
        "2025-04": (3, 1, 3),
        "2025-05": (2, 0, 2),
        "2025-06": (3, 2, 3),
    }
