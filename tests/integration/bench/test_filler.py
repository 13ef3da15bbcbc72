"""The benchmarks' filler (bench/filler.py) writes cases with COPY, past the
models, so a new column without a database default breaks `make bench`
without any other test noticing. A small fill here keeps it honest: the
rows it writes are cases the models accept, and their statistics rows are
built."""

from __future__ import annotations

import pytest

from bench import filler
from cases.models import Case
from stats.models import CaseStat, MonthSummary

pytestmark = pytest.mark.postgres  # the filler uses COPY


@pytest.mark.django_db(transaction=True)
def test_a_small_fill_gives_valid_cases_and_their_statistics():
    filler.fill(300, verbose=False)

    assert Case.objects.count() == 300
    for case in Case.objects.order_by("?")[:25]:
        case.full_clean()
        assert case.original_due_date == case.due_date
        assert case.received_date <= case.due_date
    assert CaseStat.objects.count() == 300
    assert MonthSummary.objects.exists()
