"""The percentile fallback used where PostgreSQL's percentile_cont is not available."""

import pytest

from stats.selectors import percentile_from_histogram


def test_percentile_fallback_matches_percentile_cont():
    assert percentile_from_histogram([(1, 1), (2, 1), (4, 1), (9, 1), (11, 1)], 0.9) == pytest.approx(10.2)
    assert percentile_from_histogram([(3, 2), (5, 2)], 0.5) == 4
    assert percentile_from_histogram([(7, 1)], 0.9) == 7
    assert percentile_from_histogram([], 0.5) is None
