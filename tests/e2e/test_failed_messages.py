"""Messages that could not be sent, in the browser: an SMTP server refuses a
sender's address for good, an administrator signed in with TOTP finds the
message on /notiser/misslyckade/, first types a bad address (the error
pattern), then corrects it and sends it again; axe-core on every page."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.models import Case, CaseEvent, Contact, UnitMembership
from cases.notices import case_id_of, subject_key
from cases.permissions import Role, ensure_groups
from cases.services import ContactData, case_register
from notifications import services
from notifications.models import OutboundMessage
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member
from tests.integration.notifications.servers import smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
WRONG = "anna@exampel.se"
RIGHT = "anna@example.se"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that refuses the misspelt address."""
    with smtp_server() as (controller, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        handler.refuse[WRONG] = f"550 5.1.1 <{WRONG}>: Recipient address rejected: User unknown"
        yield handler


@pytest.fixture
def failed_receipt(smtp):
    """A case whose receipt the SMTP server refused: sent by the same service
    the worker runs, so the message is marked failed the real way."""
    unit = UnitFactory(name="Gata och trafik", email="")
    case = case_register(
        kind=Case.Kind.FAULT_REPORT,
        category=CategoryFactory(name="Gatubelysning", default_unit=unit),
        channel=Case.Channel.WEB,
        description="Gatlampan utanför Storgatan 12 är trasig.",
        contact=ContactData(name="Anna Andersson", email=WRONG),
    )
    message = OutboundMessage.objects.get(subject_key=subject_key(case))
    assert services.message_deliver(message_id=message.pk).status == "failed"
    assert smtp.messages == []
    return message


def _case(message):
    return Case.objects.get(pk=case_id_of(message.subject_key))


def _staff(unit=None):
    ensure_groups()
    user = UserFactory(email="ada@burlov.example", username="ada@burlov.example", first_name="Ada", last_name="Admin")
    if unit is None:
        user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    else:
        member(user, unit, UnitMembership.Role.OFFICER)
    return user, activate_totp(user)


def test_administrator_corrects_the_address_of_a_failed_receipt_and_sends_it_again(page, smtp, failed_receipt):
    case = _case(failed_receipt)
    admin, secret = _staff()

    # The page is behind the back-office sign-in with TOTP.
    page.goto("/notiser/misslyckade/")
    assert "/konto/login/" in page.url
    sign_in_staff(page, admin.email, PASSWORD, secret, next_url="/notiser/misslyckade/")
    assert page.get_by_role("heading", level=1).inner_text() == "Meddelanden som inte kunde skickas"
    row = page.get_by_role("row").filter(has_text=case.number)
    assert WRONG in row.inner_text() and "550 5.1.1" in row.inner_text()
    assert_accessible(page, "failed messages")

    row.get_by_role("link", name="Rätta och skicka igen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Skicka meddelandet igen"
    field = page.get_by_label("E-postadress")
    assert field.input_value() == WRONG
    assert_accessible(page, "retry form")

    # A bad address: the error pattern, and what was typed is kept.
    field.fill("anna@")
    page.get_by_role("button", name="Skicka igen").click()
    summary = page.get_by_role("alert").filter(has_text="Det finns ett problem")
    expect(summary).to_be_visible()
    assert page.title().startswith("Fel: Skicka meddelandet igen")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("E-postadress").input_value() == "anna@"
    assert page.get_by_label("E-postadress").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "retry form with an error")
    summary.get_by_role("link", name="Skriv en e-postadress i rätt format, till exempel namn@exempel.se.").click()
    assert page.evaluate("() => document.activeElement.id") == "id_recipient"
    failed_receipt.refresh_from_db()
    assert (failed_receipt.status, failed_receipt.recipient) == ("failed", WRONG)

    # The right address: queued again, saved in the contact details.
    page.get_by_label("E-postadress").fill(RIGHT)
    page.get_by_role("button", name="Skicka igen").click()
    page.wait_for_url("**/notiser/misslyckade/**")
    expect(page.get_by_role("status").filter(has_text="Meddelandet ligger i kö igen.")).to_be_visible()
    expect(page.get_by_text("Alla meddelanden har skickats. Det finns inget att rätta.")).to_be_visible()
    assert_accessible(page, "failed messages after the retry")
    failed_receipt.refresh_from_db()
    assert (failed_receipt.status, failed_receipt.recipient, failed_receipt.attempts) == ("pending", RIGHT, 0)
    assert Contact.objects.get(case=case).email == RIGHT
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CONTACT_CHANGED, actor=admin).count() == 1

    # What the worker runs: one receipt now reaches the SMTP server.
    assert services.message_deliver(message_id=failed_receipt.pk).status == "sent"
    delivered = smtp.to(RIGHT)
    assert len(delivered) == 1 and case.number in delivered[0]["Subject"]


def test_unit_member_sees_the_failed_message_on_a_narrow_screen(narrow_page, failed_receipt):
    case = _case(failed_receipt)
    officer, secret = _staff(unit=case.unit)
    sign_in_staff(narrow_page, officer.email, PASSWORD, secret, next_url="/notiser/misslyckade/")
    expect(narrow_page.get_by_role("row").filter(has_text=case.number)).to_be_visible()
    assert_accessible(narrow_page, "failed messages at 320 px")
    assert_no_horizontal_scroll(narrow_page)
