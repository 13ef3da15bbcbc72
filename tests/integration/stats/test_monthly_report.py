"""The monthly report: sent on the month's first working day only, once."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from cases.permissions import Role, ensure_groups
from notifications.models import OutboundMessage
from notifications.services import message_deliver
from stats.models import MonthlyReport
from stats.tasks import is_first_working_day_of_month, monthly_report, monthly_report_send
from tests.factories import UserFactory
from tests.integration.stats import dataset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 1, 2), True),  # Friday after it
        (date(2026, 1, 5), False),
        (date(2025, 6, 2), True),  # Monday
        (date(2025, 11, 1), False),  # Saturday (and All Saints' Day)
        (date(2025, 11, 3), True),
        (date(2025, 12, 1), True),
    ],
)
def test_the_first_working_day_of_the_month(day, expected):
    assert is_first_working_day_of_month(day) is expected


def _delivered() -> list:
    for message in OutboundMessage.objects.filter(template_key="stats_monthly", status="pending"):
        message_deliver(message_id=message.pk)
    return list(mail.outbox)


def test_report_goes_once_to_the_configured_address_and_the_administrators(settings):
    settings.KONTAKT_STATS_REPORT_EMAIL = ["kommunikation@burlov.example"]
    settings.SITE_URL = "https://kontakt.burlov.example"
    ensure_groups()
    admin = UserFactory(email="alva@burlov.example")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    dataset.build()

    assert monthly_report_send(today=date(2025, 7, 1)) is True
    assert monthly_report_send(today=date(2025, 7, 1)) is False
    assert monthly_report(today="2025-07-02") is False  # not the first working day
    # One outbox message per recipient, to staff, tied to no case.
    queued = OutboundMessage.objects.filter(template_key="stats_monthly")
    assert sorted(queued.values_list("recipient", flat=True)) == ["alva@burlov.example", "kommunikation@burlov.example"]
    assert all(m.kind == "staff" and m.subject_key == "" for m in queued)
    sent = _delivered()
    assert len(sent) == 2
    assert sorted(m.to[0] for m in sent) == ["alva@burlov.example", "kommunikation@burlov.example"]
    message = sent[0]
    assert message.subject == "Statistik för juni 2025 – Burlövs kommun"
    # June 2025: B, C and G received; B late, C and G in time.
    assert "Mottagna: 3" in message.body
    assert "Avslutade i tid: 2" in message.body
    assert "Avslutade i tid, %: 66,7 %" in message.body
    assert "https://kontakt.burlov.example/statistik/?period=month&month=2025-06" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Avslutade i tid, %: 66,7 %" in html
    for secret in (dataset.SECRET_NAME, dataset.SECRET_EMAIL, dataset.SECRET_TEXT):
        assert secret not in message.body and secret not in html
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == [date(2025, 6, 1)]


def test_without_recipients_nothing_is_sent_or_recorded(settings):
    settings.KONTAKT_STATS_REPORT_EMAIL = []
    assert monthly_report_send(today=date(2025, 12, 1)) is False
    assert mail.outbox == [] and not MonthlyReport.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_a_failed_send_stays_in_the_outbox_and_is_tried_again(settings):
    settings.KONTAKT_STATS_REPORT_EMAIL = ["kommunikation@burlov.example"]
    # Nothing listens on this port: the SMTP connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    assert monthly_report_send(today=date(2025, 12, 1)) is True
    message = OutboundMessage.objects.get(template_key="stats_monthly")
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "pending" and message.attempts == 1 and message.next_attempt_at is not None
    # The month is recorded once; the outbox retries the message, not the task.
    assert monthly_report_send(today=date(2025, 12, 1)) is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_task_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["stats-monthly-report"]
    assert entry["task"] == "stats.monthly_report"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {30}
