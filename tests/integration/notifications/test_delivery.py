"""End to end through the real parts: a case registered, an outbox row in
the same transaction, a real Celery worker on a real Redis broker, and the
message read back from a real SMTP server or a Twilio-like HTTP server."""

import pytest
from django.utils import timezone

from cases.models import CaseEvent, Contact
from cases.notices import subject_key
from cases.services import ContactData
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, register_case
from tests.integration.cases.helpers import case_page, signed_in
from tests.integration.notifications.servers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _status(message_id):
    return OutboundMessage.objects.values_list("status", flat=True).get(pk=message_id)


def test_registered_case_yields_exactly_one_receipt_email(smtp, celery_worker):
    category = CategoryFactory(default_unit=UnitFactory(email="parker@burlov.example"))
    case = register_case(
        category=category,
        description="Lampan vid Dalbyvägen 12 är trasig. Mitt personnummer är 19800101-1234.",
        contact=ContactData(name="Eva", email="eva@example.se"),
    )
    wait_for(lambda: len(smtp.messages) == 2, what="receipt and unit notice")
    receipts = smtp.to("eva@example.se")
    assert len(receipts) == 1
    receipt = receipts[0]
    assert case.number in receipt["Subject"]
    assert receipt.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in receipt.get_payload())
    assert case.number in text and case.number in html
    assert "personnummer" not in text and "19800101" not in text and "Dalbyvägen" not in text
    stored = OutboundMessage.objects.get(subject_key=subject_key(case), recipient="eva@example.se")
    assert receipt["Message-ID"] == stored.message_id_header == stored.provider_message_id
    wait_for(lambda: _status(stored.pk) == "sent", what="sent status")
    assert len(smtp.to("parker@burlov.example")) == 1
    # The case page reads the outcome from the outbox; the outbox wrote nothing on the timeline.
    assert case_page(case).count("Kvittens till avsändaren skickat via E-post.") == 1
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTIFICATION).exists()


def test_receipt_by_sms_goes_through_the_twilio_library(twilio, smtp, celery_worker):
    category = CategoryFactory(default_unit=UnitFactory(email=""))
    case = register_case(
        category=category, contact=ContactData(phone="+46701234567", email="a@example.se", preferred="sms")
    )
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    wait_for(lambda: _status(message.pk) == "sent", what="SMS sent")
    assert len(twilio.messages) == 1
    sms = twilio.messages[0]
    assert sms["to"] == "+46701234567" and sms["from"] == "+46700000000"
    assert case.number in sms["body"] and len(sms["body"]) <= 320
    message.refresh_from_db()
    assert message.provider_message_id == sms["sid"]
    assert smtp.messages == []


def test_invalid_number_is_marked_failed_and_noted_on_the_timeline(twilio, celery_worker):
    twilio.bad_numbers["+46701111111"] = 21211
    case = register_case(
        category=CategoryFactory(default_unit=UnitFactory(email="")),
        contact=ContactData(phone="+46701111111", preferred="sms"),
    )
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    wait_for(lambda: _status(message.pk) == "failed", what="failed status")
    message.refresh_from_db()
    assert message.attempts == 1
    assert "21211" in message.last_error
    assert twilio.messages == []
    page = case_page(case)
    assert "Kvittens till avsändaren kunde inte skickas via sms: " in page and "21211" in page


def test_refused_recipient_fails_then_staff_correct_the_address_and_it_is_sent(smtp, celery_worker):
    from cases.models import UnitMembership
    from notifications import services
    from tests.factories import UserFactory, member

    smtp.refuse["eva@exampel.se"] = "550 5.1.1 <eva@exampel.se>: Recipient address rejected"
    unit = UnitFactory(email="")
    case = register_case(category=CategoryFactory(default_unit=unit), contact=ContactData(email="eva@exampel.se"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    wait_for(lambda: _status(message.pk) == "failed", what="failed status")
    assert smtp.messages == []

    officer = member(UserFactory(), unit, UnitMembership.Role.OFFICER)
    client = signed_in(officer)
    page = client.get("/notiser/misslyckade/")
    assert page.status_code == 200 and case.number in page.content.decode()
    bad = client.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "eva@"})
    assert bad.status_code == 200 and "namn@exempel.se" in bad.content.decode()
    assert 'value="eva@"' in bad.content.decode()
    done = client.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "eva@example.se"})
    assert done.status_code == 302
    wait_for(lambda: _status(message.pk) == "sent", what="sent after correction")
    assert len(smtp.to("eva@example.se")) == 1
    assert Contact.objects.get(case=case).email == "eva@example.se"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CONTACT_CHANGED, actor=officer).count() == 1
    assert services.outbox_sweep() == 0


def test_sweep_sends_what_was_never_dispatched(smtp, celery_worker, settings):
    from django.db import transaction

    from notifications import services

    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
    category = CategoryFactory(default_unit=UnitFactory(email=""))
    # Written without its after-commit dispatch, as when the broker was down.
    with transaction.atomic():
        case = register_case(category=category, contact=ContactData(email="eva@example.se"))
        transaction.get_connection().run_on_commit.clear()
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert _status(message.pk) == "pending"
    assert services.outbox_sweep(now=timezone.now()) == 1
    wait_for(lambda: _status(message.pk) == "sent", what="sent by the sweep")
    assert services.outbox_sweep() == 0
    assert len(smtp.messages) == 1
