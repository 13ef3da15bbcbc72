"""Who is told what, by which channel, and what the messages say: the
policy of cases/notices.py as written to the outbox."""

import pytest

from cases import services as case_services
from cases.models import Answer, Case
from cases.notices import subject_key
from cases.services import ContactData
from notifications.models import OutboundMessage
from notifications.rendering import to_gsm
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case

pytestmark = pytest.mark.django_db


def _category(unit_email="enhet@burlov.example"):
    return CategoryFactory(
        name="Gator och parker", name_en="Streets and parks", default_unit=UnitFactory(email=unit_email)
    )


def test_receipt_and_unit_notice_are_written_in_the_registering_transaction():
    case = register_case(
        category=_category(),
        contact=ContactData(email="eva@example.se"),
        kind=Case.Kind.FAULT_REPORT,
        description="Trasig lampa. 19800101-1234",
    )
    rows = {m.recipient: m for m in OutboundMessage.objects.filter(subject_key=subject_key(case))}
    assert set(rows) == {"eva@example.se", "enhet@burlov.example"}
    receipt = rows["eva@example.se"]
    assert (receipt.channel, receipt.template_key, receipt.kind, receipt.status) == (
        "email",
        "receipt",
        "citizen",
        "pending",
    )
    assert receipt.subject == f"Vi har tagit emot ditt ärende {case.number}"
    for expected in (case.number, "Felanmälan", "Gator och parker", "Mina sidor", "/mina-sidor/"):
        assert expected in receipt.body_text
    assert case.due_date.strftime("%Y") in receipt.body_text
    for secret in ("Trasig lampa", "19800101"):
        assert secret not in receipt.body_text and secret not in receipt.body_html
    assert rows["enhet@burlov.example"].template_key == "staff_new_case"
    assert "Trasig lampa" not in rows["enhet@burlov.example"].body_text


def test_anonymous_case_gets_no_message_and_nothing_fails():
    case = register_case(category=_category(unit_email=""))
    assert not OutboundMessage.objects.filter(subject_key=subject_key(case)).exists()


def test_case_with_only_a_postal_address_gets_no_message():
    case = register_case(category=_category(unit_email=""), contact=ContactData(address="Storgatan 1, Arlöv"))
    assert not OutboundMessage.objects.filter(subject_key=subject_key(case)).exists()


def test_receipt_goes_by_sms_when_preferred_in_gsm_and_short():
    case = register_case(
        category=_category(""), contact=ContactData(email="eva@example.se", phone="+46701234567", preferred="sms")
    )
    sms = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert (sms.channel, sms.recipient) == ("sms", "+46701234567")
    assert len(sms.body_text) <= 320 and to_gsm(sms.body_text) == sms.body_text
    assert case.number in sms.body_text and "ärende" in sms.body_text


def test_email_wins_when_both_are_given_without_preference():
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se", phone="+46701234567"))
    assert OutboundMessage.objects.get(subject_key=subject_key(case)).channel == "email"


def test_receipt_is_in_the_case_language():
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se"), language="en")
    receipt = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert receipt.subject == f"We have received your case {case.number}"
    assert "Question" in receipt.body_text and "Streets and parks" in receipt.body_text


def test_answer_by_email_carries_the_text_and_by_sms_only_says_where_to_read_it():
    officer = UserFactory()
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se", phone="+46701234567"))
    case_services.case_answer(case=case, text="Vi lagar lampan på tisdag.", channel=Answer.Channel.EMAIL, by=officer)
    case_services.case_answer(case=case, text="Hemligt svar om din granne.", channel=Answer.Channel.SMS, by=officer)
    email = OutboundMessage.objects.get(subject_key=subject_key(case), template_key="answered", channel="email")
    sms = OutboundMessage.objects.get(subject_key=subject_key(case), template_key="answered", channel="sms")
    assert "Vi lagar lampan på tisdag." in email.body_text
    assert "Hemligt" not in sms.body_text and "besvarats" in sms.body_text


def test_answers_by_letter_or_phone_send_nothing_and_closing_notifies():
    officer = UserFactory()
    case = register_case(category=_category(""), contact=ContactData(email="eva@example.se", address="Storgatan 1"))
    OutboundMessage.objects.all().delete()
    case_services.case_answer(case=case, text="Brev", channel=Answer.Channel.LETTER, by=officer)
    assert not OutboundMessage.objects.exists()
    case_services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer)
    closed = OutboundMessage.objects.get()
    assert closed.template_key == "closed" and "avslutat" in closed.subject


def test_staff_notices_for_routing_assignment_and_citizen_messages():
    desk, officer = UserFactory(), UserFactory(email="handlaggare@burlov.example")
    citizen = UserFactory(kind="citizen")
    case = register_case(category=_category(""), citizen=citizen)
    new_unit = UnitFactory(email="ny@burlov.example")
    case_services.case_route(case=case, unit=new_unit, reason="Fel enhet", by=desk)
    member(officer, new_unit)
    case_services.case_assign(case=case, assignee=officer, by=desk)
    case_services.case_add_citizen_message(case=case, text="Hej igen, lampan lyser fortfarande inte.", citizen=citizen)
    rows = list(
        OutboundMessage.objects.filter(subject_key=subject_key(case))
        .order_by("pk")
        .values_list("template_key", "recipient", "kind")
    )
    assert rows == [
        ("staff_routed", "ny@burlov.example", "staff"),
        ("staff_assigned", "handlaggare@burlov.example", "staff"),
        ("staff_citizen_message", "handlaggare@burlov.example", "staff"),
    ]
    assert "lampan lyser" not in OutboundMessage.objects.get(template_key="staff_citizen_message").body_text
