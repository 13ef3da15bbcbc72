"""Case numbers stay unique when many registrations happen at once."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from cases.models import Case
from tests.factories import CategoryFactory, register_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_registrations_get_distinct_consecutive_numbers():
    category = CategoryFactory()
    threads_n, per_thread = 8, 10
    barrier = threading.Barrier(threads_n)
    errors = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                register_case(category=category, received_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"KB-2026-{i:05d}" for i in range(1, threads_n * per_thread + 1)]
