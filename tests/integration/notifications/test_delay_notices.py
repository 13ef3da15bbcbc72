"""A pause period created in the admin sends exactly one delay notice per
affected case with contact details, written to the outbox in the admin's
transaction and delivered by a real Celery worker from the real Redis
broker to a real SMTP server.

PostgreSQL only (marker `postgres`), like the other worker tests: the
request and the worker thread write at the same moment."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from cases import services
from cases.models import Answer, Case, PausePeriod
from notifications import services as outbox
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, register_case
from tests.integration.cases.helpers import signed_in
from tests.integration.notifications.servers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _parts(message) -> list[str]:
    return [part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()]


def _all_sent() -> bool:
    return set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboundMessage.Status.SENT}


def test_a_pause_period_created_in_the_admin_sends_one_delay_notice_per_affected_case(smtp, celery_worker):
    officer = UserFactory()
    category = CategoryFactory(default_unit=UnitFactory(email=""))

    def case(email: str = "", **kw) -> Case:
        contact = services.ContactData(name="Anna", email=email, preferred="email") if email else None
        return register_case(category=category, contact=contact, **kw)

    anna, bo = case("anna@example.se"), case("bo@example.se")
    anonymous = case()
    answered = case("cilla@example.se")
    services.case_answer(case=answered, text="Svar", channel=Answer.Channel.EMAIL, by=officer)
    old = case("dan@example.se", received_at=timezone.now() - timedelta(days=60))
    services.case_close(case=old, resolution=Case.Resolution.TRANSFERRED, transfer_reference="X-1", by=officer)
    wait_for(lambda: len(smtp.messages) == 6 and _all_sent(), what="four receipts, an answer and a closing notice")
    smtp.messages.clear()
    before = {c.pk: c.due_date for c in (anna, bo)}

    today = timezone.localdate()
    admin = signed_in(UserFactory(is_staff=True, is_superuser=True))
    response = admin.post(
        "/admin/cases/pauseperiod/add/",
        {
            "start": (today + timedelta(days=1)).isoformat(),
            "end": (today + timedelta(days=14)).isoformat(),
            "reason": "Julledigheten",
        },
    )
    assert response.status_code == 302
    assert PausePeriod.objects.count() == 1

    wait_for(lambda: len(smtp.messages) == 2 and _all_sent(), what="two delay notices sent")
    for sender in (anna, bo):
        (message,) = smtp.to(sender.contact.email)
        assert (
            str(make_header(decode_header(message["Subject"]))).strip()
            == f"Nytt datum för svar på ditt ärende {sender.number}"
        )
        new_due = Case.objects.get(pk=sender.pk).due_date
        assert new_due > before[sender.pk]
        body = _parts(message)[0]
        assert f"i stället för {before[sender.pk].day} " in body and "Skäl: Julledigheten" in body
        assert f"Du får svar senast {new_due.day} " in body
    assert smtp.to("cilla@example.se") == [] and smtp.to("dan@example.se") == []
    assert Case.objects.get(pk=anonymous.pk).due_date > anonymous.due_date  # moved, but nobody to tell

    # Nothing is left for the sweep: still exactly one notice per case.
    assert outbox.outbox_sweep() == 0
    assert OutboundMessage.objects.filter(template_key="delayed").count() == 2
    assert len(smtp.messages) == 2
