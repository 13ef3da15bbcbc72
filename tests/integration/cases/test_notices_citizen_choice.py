"""A citizen signed in with e-legitimation chooses on Mina sidor how to be
notified (accounts.CitizenIdentity.notify_by). "none" stops the receipt, the
answer notice and the closing notice for their cases; e-mail or SMS decides
the channel. Everything goes through the services."""

import pytest

from accounts.models import CitizenIdentity, User
from cases import services as case_services
from cases.models import Answer, Case, CaseEvent
from cases.notices import subject_key
from cases.services import ContactData
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case

pytestmark = pytest.mark.django_db

BOTH = {"name": "Anna Andersson", "email": "anna@example.se", "phone": "+46701234567"}


@pytest.fixture
def unit():
    return UnitFactory(email="enhet@burlov.example")


@pytest.fixture
def citizen():
    return UserFactory(kind=User.Kind.CITIZEN, email="anna@example.se")


def _choose(citizen, notify_by):
    """The choice as Mina sidor saves it."""
    email = BOTH["email"] if notify_by != "sms" else ""
    phone = BOTH["phone"] if notify_by != "email" else ""
    case_services.citizen_contact_update(
        citizen=citizen, name=BOTH["name"], email=email, phone=phone, notify_by=notify_by
    )


def _register(unit, citizen, **contact):
    return register_case(
        category=CategoryFactory(default_unit=unit), citizen=citizen, contact=ContactData(**{**BOTH, **contact})
    )


def _to_citizen(case):
    return list(
        OutboundMessage.objects.filter(subject_key=subject_key(case), kind=OutboundMessage.Kind.CITIZEN)
        .order_by("pk")
        .values_list("template_key", "channel", "recipient")
    )


def _handle(case, unit, channel=Answer.Channel.EMAIL):
    officer = member(UserFactory(), unit)
    case_services.case_answer(case=case, text="Vi lagar lampan på tisdag.", channel=channel, by=officer)
    case_services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer)


@pytest.mark.parametrize("answer_channel", [Answer.Channel.EMAIL, Answer.Channel.SMS, Answer.Channel.PORTAL])
def test_no_notifications_stops_receipt_answer_and_closing_notice(unit, citizen, answer_channel):
    _choose(citizen, "none")
    case = _register(unit, citizen, preferred="email")
    _handle(case, unit, answer_channel)
    assert _to_citizen(case) == []
    # Staff still hear of the new case, and the timeline says what was not sent.
    assert OutboundMessage.objects.filter(subject_key=subject_key(case), recipient="enhet@burlov.example").count() == 1
    notes = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTIFICATION, data__outcome="not_wanted")
    assert sorted(notes.values_list("data__template", flat=True)) == ["answered", "closed", "receipt"]
    assert all("Mina sidor" in note.text for note in notes)
    assert not any(note.is_for_citizen for note in notes)


def test_choosing_none_on_mina_sidor_stops_notices_of_cases_already_open(unit, citizen):
    _choose(citizen, "email")
    case = _register(unit, citizen, preferred="email")
    assert _to_citizen(case) == [("receipt", "email", "anna@example.se")]
    _choose(citizen, "none")
    _handle(case, unit)
    assert _to_citizen(case) == [("receipt", "email", "anna@example.se")]


def test_sms_choice_on_mina_sidor_is_the_channel_of_notices(unit, citizen):
    _choose(citizen, "sms")
    # The form's own choice said e-mail; the standing choice on Mina sidor wins.
    case = _register(unit, citizen, preferred="email")
    _handle(case, unit, Answer.Channel.PORTAL)
    assert _to_citizen(case) == [
        ("receipt", "sms", "+46701234567"),
        ("answered", "sms", "+46701234567"),
        ("closed", "sms", "+46701234567"),
    ]


def test_email_choice_on_mina_sidor_is_the_channel_of_notices(unit, citizen):
    _choose(citizen, "email")
    case = _register(unit, citizen, preferred="sms")
    _handle(case, unit, Answer.Channel.PORTAL)
    assert _to_citizen(case) == [
        ("receipt", "email", "anna@example.se"),
        ("answered", "email", "anna@example.se"),
        ("closed", "email", "anna@example.se"),
    ]


def test_chosen_channel_without_its_address_falls_back_to_the_other(unit, citizen):
    _choose(citizen, "sms")
    case = _register(unit, citizen, phone="", preferred="email")
    assert _to_citizen(case) == [("receipt", "email", "anna@example.se")]


def test_an_answer_given_by_email_is_still_sent_by_email_when_sms_was_chosen(unit, citizen):
    """The officer's channel for the answer itself decides where its text goes;
    the choice only governs notices."""
    _choose(citizen, "sms")
    case = _register(unit, citizen)
    _handle(case, unit, Answer.Channel.EMAIL)
    assert ("answered", "email", "anna@example.se") in _to_citizen(case)


def test_choice_of_one_citizen_does_not_touch_another_senders_case(unit, citizen):
    _choose(citizen, "none")
    other = _register(unit, None)
    assert _to_citizen(other) == [("receipt", "email", "anna@example.se")]
    assert CitizenIdentity.objects.get(user=citizen).notify_by == "none"


def test_signed_in_citizen_who_never_chose_gets_the_usual_notices(unit, citizen):
    case = _register(unit, citizen, preferred="sms")
    assert not CitizenIdentity.objects.filter(user=citizen).exists()
    assert _to_citizen(case) == [("receipt", "sms", "+46701234567")]
