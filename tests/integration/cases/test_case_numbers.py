"""Case numbers stay unique and contiguous when many registrations happen at
once, and the counter is held only at the end of a registration."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case, Category
from notifications.models import OutboundMessage
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


def test_the_number_is_taken_last():
    """The yearly counter's row stays locked from the number's statement to
    the commit, and every registration of the year waits for it: only the
    case row, its statistics row and its messages may come after it. The
    contact details, the timeline entry, the calendar and the message
    templates are written and read before it."""
    category = Category.objects.select_related("default_unit").get(pk=CategoryFactory().pk)
    with CaptureQueriesContext(connection) as captured:
        case = register_case(
            category=category,
            contact=services.ContactData(name="Anna", email="anna@example.se", preferred="email"),
        )
    statements = [q["sql"] for q in captured.captured_queries]
    counter = next(i for i, sql in enumerate(statements) if "cases_casenumbercounter" in sql)
    before, after = statements[:counter], statements[counter + 1 :]
    assert [sql.split("(", 1)[0].strip() for sql in after] == [
        'INSERT INTO "cases_case"',
        "WITH up AS",
        'INSERT INTO "notifications_outboundmessage"',
        "COMMIT",
    ]
    for table in ("cases_contact", "cases_caseevent", "cases_pauseperiod", "notifications_messagetemplate"):
        assert any(table in sql for sql in before), table
    # Two messages: the receipt and the unit's notice, each with the number.
    assert [m.subject_key for m in OutboundMessage.objects.all()] == [f"case:{case.pk}"] * 2
    assert all(case.number in m.body_text for m in OutboundMessage.objects.all())
    assert case.contact.email == "anna@example.se" and case.events.get().kind == "registered"
