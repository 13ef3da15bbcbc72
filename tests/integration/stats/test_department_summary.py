"""The monthly summary to each department head: beat runs the task every
morning, a real Celery worker runs it on the first working day of the month,
and the heads' e-mails go through the outbox to a real SMTP server, once."""

from datetime import date
from email.header import decode_header, make_header

import pytest

from notifications.models import OutboundMessage
from stats.summaries import department_summaries_send, overdue_now
from stats.tasks import department_summaries
from tests.factories import UserFactory
from tests.integration.notifications.servers import wait_for
from tests.integration.stats import dataset

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _body(message) -> str:
    text = message.get_payload()[0] if message.is_multipart() else message
    return text.get_payload(decode=True).decode()


def test_each_head_gets_the_departments_month_through_the_worker_and_smtp(smtp, celery_worker, redis_broker, settings):
    settings.SITE_URL = "https://kontakt.burlov.example"
    data = dataset.build()
    frans = UserFactory(email="frans@burlov.example", first_name="Frans", last_name="Förvaltningschef")
    karin = UserFactory(email="karin@burlov.example", first_name="Karin", last_name="Kultur")
    data.d1.heads.add(frans)
    data.d2.heads.add(karin)
    UserFactory(email="", first_name="Utan", last_name="Adress").headed_departments.add(data.d2)

    # 1 July 2025 is the first working day of the month: June's summary.
    redis_broker.send_task("stats.department_summaries", kwargs={"today": "2025-07-01"})
    # (The dataset's own receipts and notices reach the SMTP server too.)
    heads = ("frans@burlov.example", "karin@burlov.example")
    wait_for(lambda: all(smtp.to(address) for address in heads), what="a summary to each head")
    wait_for(
        lambda: OutboundMessage.objects.filter(template_key="stats_department", status="sent").count() == 2,
        what="both recorded as sent",
    )
    to_frans = smtp.to("frans@burlov.example")
    assert len(to_frans) == 1 and len(smtp.to("karin@burlov.example")) == 1
    message = to_frans[0]
    assert str(make_header(decode_header(message["Subject"]))) == "Kontaktärenden i Samhällsbyggnad, juni 2025"
    body = _body(message)
    assert body.startswith("Hej Frans Förvaltningschef!")
    # June 2025 in Samhällsbyggnad: B, C and G received; C and G closed in
    # time, B late. Overdue now: F and H (due 4 June and 15 April, open).
    assert "Mottagna: 3" in body
    assert "Avslutade i tid: 2" in body
    assert "Försenade just nu, alla öppna ärenden i förvaltningen: 2" in body
    department = data.d1.pk
    assert f"https://kontakt.burlov.example/handlaggning/arenden/?queue=overdue&department={department}" in body
    assert f"https://kontakt.burlov.example/statistik/?period=month&month=2025-06&department={department}" in body
    assert "Nöjdhet" not in body  # no survey yet
    for secret in (dataset.SECRET_NAME, dataset.SECRET_EMAIL, dataset.SECRET_TEXT):
        assert secret not in body

    # Once per month and head: a second run, or a second worker, queues nothing.
    assert department_summaries_send(today=date(2025, 7, 1)) == 0
    assert department_summaries(today="2025-07-02") == 0  # not the first working day
    assert OutboundMessage.objects.filter(template_key="stats_department").count() == 2
    assert overdue_now(data.d2, date(2025, 7, 1)) >= 1


def test_the_beat_schedule_runs_the_summaries_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["stats-department-summaries"]
    assert entry["task"] == "stats.department_summaries"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {35}
