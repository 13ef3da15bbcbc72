"""The failed-message page and Twilio's signed status callback."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from twilio.request_validator import RequestValidator

from cases import secrecy
from cases.models import Case, CaseEvent, SecrecyProvision, UnitMembership
from cases.notices import case_id_of, subject_key
from cases.services import ContactData
from notifications import services
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.cases.helpers import case_page, signed_in

pytestmark = pytest.mark.django_db
TOKEN = "secret-twilio-token"
URL = "http://testserver/notiser/twilio/status/"


def _failed_case(unit, phone="+46701234567"):
    """A case whose receipt SMS was sent and then reported undelivered by
    the provider: the services' own path to a failed message."""
    case = register_case(category=CategoryFactory(default_unit=unit), contact=ContactData(phone=phone, preferred="sms"))
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert services.message_deliver(message_id=message.pk).status == "sent"
    message.refresh_from_db()
    assert services.message_status_update(
        provider_message_id=message.provider_message_id, provider_status="undelivered", error_code="30003"
    )
    return case


def test_failed_list_shows_unit_members_their_units_messages_only():
    mine, other = UnitFactory(email=""), UnitFactory(email="")
    officer = member(UserFactory(), mine)
    visible, hidden = _failed_case(mine), _failed_case(other)
    client = signed_in(officer)
    page = client.get("/notiser/misslyckade/").content.decode()
    assert visible.number in page and hidden.number not in page
    hidden_message = OutboundMessage.objects.get(subject_key=subject_key(hidden))
    assert client.get(f"/notiser/misslyckade/{hidden_message.pk}/").status_code == 404


def test_administrators_see_every_failed_message_in_a_fixed_number_of_queries():
    admin = UserFactory(is_superuser=True)
    client = signed_in(admin)
    unit = UnitFactory(email="")
    _failed_case(unit)
    with CaptureQueriesContext(connection) as few:
        client.get("/notiser/misslyckade/")
    cases = [_failed_case(UnitFactory(email="")) for _ in range(6)]
    with CaptureQueriesContext(connection) as many:
        page = client.get("/notiser/misslyckade/").content.decode()
    assert all(c.number in page for c in cases)
    assert len(many) == len(few)


def test_citizens_and_anonymous_visitors_are_kept_out(client):
    message = OutboundMessage.objects.get(subject_key=subject_key(_failed_case(UnitFactory(email=""))))
    for url in ("/notiser/misslyckade/", f"/notiser/misslyckade/{message.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    citizen = signed_in(UserFactory(kind="citizen"), mfa=False)
    assert citizen.get("/notiser/misslyckade/").status_code == 404
    assert citizen.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "+46707654321"}).status_code == 404


def test_staff_who_did_not_pass_the_second_factor_are_sent_to_set_it_up_or_sign_in(client):
    from tests.e2e.staff import activate_totp

    unit = UnitFactory(email="")
    message = OutboundMessage.objects.get(subject_key=subject_key(_failed_case(unit)))
    without_totp = signed_in(member(UserFactory(), unit), mfa=False)
    for url in ("/notiser/misslyckade/", f"/notiser/misslyckade/{message.pk}/"):
        assert without_totp.get(url)["Location"] == "/konto/2fa/totp/activate/"
    has_totp = member(UserFactory(), unit)
    activate_totp(has_totp)
    skipped_step = signed_in(has_totp, mfa=False)
    response = skipped_step.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "+46707654321"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    message.refresh_from_db()
    assert message.status == "undelivered" and message.recipient == "+46701234567"


def test_statistics_readers_are_refused_and_department_heads_only_read(client):
    from django.contrib.auth.models import Group

    from cases.permissions import Role, ensure_groups
    from tests.factories import DepartmentFactory

    ensure_groups()
    unit = UnitFactory(email="", department=DepartmentFactory())
    case = _failed_case(unit)
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    reader = UserFactory()
    reader.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    assert signed_in(reader).get("/notiser/misslyckade/").status_code == 403
    dept_head = UserFactory()
    unit.department.heads.add(dept_head)
    head_client = signed_in(dept_head)
    assert case.number in head_client.get("/notiser/misslyckade/").content.decode()
    assert head_client.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "+46707654321"}).status_code == 403
    message.refresh_from_db()
    assert message.status == "undelivered"


def test_retry_with_a_bad_phone_number_keeps_the_input_and_says_what_to_do():
    unit = UnitFactory(email="")
    case = _failed_case(unit)
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    client = signed_in(member(UserFactory(), unit, UnitMembership.Role.HEAD))
    response = client.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "12"})
    html = response.content.decode()
    assert response.status_code == 200 and 'value="12"' in html
    assert "<title>Fel: " in html and 'role="alert"' in html and "Det finns ett problem" in html
    assert '<a href="#id_recipient">Skriv ett mobilnummer' in html
    assert re.search(
        r'<p id="id_recipient_error" class="field-error"><span class="d-block"><span class="visually-hidden">Fel:</span>',
        html,
    )
    field = re.search(r"<input [^>]*name=\"recipient\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_recipient_helptext id_recipient_error"' in field
    response = client.post(f"/notiser/misslyckade/{message.pk}/", {"recipient": "070-765 43 21"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.recipient, message.attempts) == ("pending", "+46707654321", 0)
    assert case.contact.__class__.objects.get(case=case).phone == "+46707654321"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CONTACT_CHANGED).count() == 1


@pytest.fixture
def sent_sms(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    case = register_case(
        category=CategoryFactory(default_unit=UnitFactory(email="")),
        contact=ContactData(phone="+46701234567", preferred="sms"),
    )
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    OutboundMessage.objects.filter(pk=message.pk).update(status="sent", provider_message_id="SM0123")
    return message


def _post(client, params, signature):
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature is not None else {}
    return client.post("/notiser/twilio/status/", params, **headers)


def test_twilio_callback_signed_with_our_token_updates_the_status(client, sent_sms):
    params = {"MessageSid": "SM0123", "MessageStatus": "delivered", "AccountSid": "AC1"}
    response = _post(client, params, RequestValidator(TOKEN).compute_signature(URL, params))
    assert response.status_code == 204
    sent_sms.refresh_from_db()
    assert sent_sms.status == "delivered"


def test_twilio_callback_undelivered_is_listed_as_failed(client, sent_sms):
    params = {"MessageSid": "SM0123", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert _post(client, params, RequestValidator(TOKEN).compute_signature(URL, params)).status_code == 204
    sent_sms.refresh_from_db()
    assert sent_sms.status == "undelivered" and "30003" in sent_sms.last_error
    case = Case.objects.get(pk=case_id_of(sent_sms.subject_key))
    page = case_page(case)
    assert "Kvittens till avsändaren kunde inte skickas via sms: Twilio: undelivered, error 30003" in page


@pytest.mark.parametrize("signature", [None, "", "forged", "signed-with-another-token", "signed-other-params"])
def test_twilio_callback_unsigned_or_forged_is_rejected(client, sent_sms, signature):
    params = {"MessageSid": "SM0123", "MessageStatus": "failed"}
    if signature == "signed-with-another-token":
        signature = RequestValidator("another-token").compute_signature(URL, params)
    elif signature == "signed-other-params":
        signature = RequestValidator(TOKEN).compute_signature(URL, {**params, "MessageStatus": "delivered"})
    assert _post(client, params, signature).status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == "sent"


def test_a_secret_cases_address_is_shown_only_to_those_who_may_read_it():

    unit = UnitFactory(email="")
    officer = member(UserFactory(), unit)
    admin = UserFactory(is_superuser=True)
    case = _failed_case(unit, phone="+46701239876")
    secrecy.secrecy_mark(case=case, provision=SecrecyProvision.objects.order_by("pk").first(), by=officer)
    message = OutboundMessage.objects.get(subject_key=subject_key(case))

    admin_client = signed_in(admin)
    page = admin_client.get("/notiser/misslyckade/").content.decode()
    assert case.number in page
    assert "+46701239876" not in page
    assert "Dold: ärendet är sekretessmarkerat." in page
    assert admin_client.get(f"/notiser/misslyckade/{message.pk}/").status_code == 404

    officer_client = signed_in(officer)
    assert "+46701239876" in officer_client.get("/notiser/misslyckade/").content.decode()
    assert officer_client.get(f"/notiser/misslyckade/{message.pk}/").status_code == 200
