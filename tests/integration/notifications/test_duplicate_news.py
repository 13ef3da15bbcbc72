"""When a case is answered and when it is closed, the sender of every case
closed as its duplicate, with contact details, gets exactly one notice for
each: written to the outbox in the transaction of the answer or the
closing and delivered by a real Celery worker from the real Redis broker
to a real SMTP server.

PostgreSQL only (marker `postgres`), like the other worker tests."""

from email.header import decode_header, make_header

import pytest

from cases import services
from cases.models import Answer, Case
from notifications import services as outbox
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, register_case
from tests.integration.notifications.servers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"]))).strip()


def _text(message) -> str:
    part = next(p for p in message.walk() if not p.is_multipart())
    return " ".join(part.get_payload(decode=True).decode().split())


def _all_sent() -> bool:
    return set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboundMessage.Status.SENT}


def test_each_duplicates_sender_gets_one_notice_when_the_original_is_answered_and_one_when_closed(smtp, celery_worker):
    officer = UserFactory()
    category = CategoryFactory(default_unit=UnitFactory(email=""))

    def case(email: str = "") -> Case:
        contact = services.ContactData(name="Anna", email=email, preferred="email") if email else None
        return register_case(category=category, contact=contact)

    original = case("original@example.se")
    anna, bo, anonymous = case("anna@example.se"), case("bo@example.se"), case()
    for duplicate in (anna, bo, anonymous):
        services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=officer)
    wait_for(lambda: len(smtp.messages) == 5 and _all_sent(), what="three receipts and two closing notices")
    for sender in (anna, bo):
        closing = [m for m in smtp.to(sender.contact.email) if "avslutat" in _subject(m)]
        assert len(closing) == 1
        assert f"samma sak som ärende {original.number}" in _text(closing[0])
        assert "Vi meddelar dig när det ärendet har fått svar." in _text(closing[0])
    smtp.messages.clear()

    services.case_answer(case=original, text="Vi lagar lampan i veckan.", channel=Answer.Channel.EMAIL, by=officer)
    wait_for(lambda: len(smtp.messages) == 3 and _all_sent(), what="the answer and two notices to the duplicates")
    for sender in (anna, bo):
        (message,) = smtp.to(sender.contact.email)
        assert _subject(message) == f"Nytt i ärende {original.number}, som ditt ärende {sender.number} hör ihop med"
        assert f"Nu har vi svarat i ärende {original.number}." in _text(message)
        assert "Vi lagar lampan" not in _text(message)
    smtp.messages.clear()

    # A second answer tells the duplicates nothing new.
    services.case_answer(
        case=Case.objects.get(pk=original.pk), text="Lampan är lagad.", channel=Answer.Channel.EMAIL, by=officer
    )
    services.case_close(case=Case.objects.get(pk=original.pk), resolution=Case.Resolution.ANSWERED, by=officer)
    wait_for(
        lambda: len(smtp.messages) == 4 and _all_sent(),
        what="the second answer, the closing notice and two notices to the duplicates",
    )
    for sender in (anna, bo):
        (message,) = smtp.to(sender.contact.email)
        assert f"Nu är ärende {original.number} avslutat." in _text(message)
    assert len(smtp.to("original@example.se")) == 2

    # Nothing is left for the sweep: exactly one notice per duplicate and news.
    assert outbox.outbox_sweep() == 0
    assert OutboundMessage.objects.filter(template_key="duplicate_news").count() == 4
    assert len(smtp.messages) == 4
