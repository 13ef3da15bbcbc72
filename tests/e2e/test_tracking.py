"""An officer's question answered by the sender through the tracking link,
in Chromium: the officer asks on the case page, the question's e-mail goes
through the outbox to a real SMTP server, and the sender opens the link from
that e-mail and replies, at 1280 px and at 320 px; the tracking page also
works without JavaScript. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import Case, CaseEvent
from cases.permissions import ensure_groups
from notifications import services as outbox
from notifications.models import OutboundMessage
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, watch_csp
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "anna@example.se"
PASSWORD = "correct-horse-battery"
LINK = re.compile(r"https?://\S+/folj/\S+/\S+/")
QUESTION = "Vilken gatlampa gäller det? Skriv närmaste husnummer."


@pytest.fixture
def world(smtp):
    ensure_groups()
    unit = UnitFactory(name="Gata och trafik", email="")
    officer = member(
        UserFactory(email="olle@burlov.example", username="olle@burlov.example", first_name="Olle", last_name="Ek"),
        unit,
    )
    case = services.case_register(
        kind=Case.Kind.FAULT_REPORT,
        category=CategoryFactory(name="Gatubelysning", default_unit=unit),
        description="Gatlampan på Storgatan är trasig.",
        contact=services.ContactData(name="Anna Andersson", email=EMAIL, preferred="email"),
    )
    services.case_assign(case=case, assignee=officer, by=officer)
    _deliver()
    return case, officer


def _deliver() -> None:
    for message in OutboundMessage.objects.filter(status="pending").order_by("pk"):
        assert outbox.message_deliver(message_id=message.pk).status == "sent"


def _text(message) -> str:
    parts = [p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/plain"]
    return "\n".join(parts)


def _question_link(smtp) -> str:
    _deliver()
    (message,) = [m for m in smtp.to(EMAIL) if QUESTION in _text(m)]
    match = LINK.search(_text(message))
    assert match
    return match.group(0)


def test_an_officers_question_answered_through_the_tracking_link(page, narrow_page, browser, live_server, smtp, world):
    case, officer = world
    sign_in_staff(
        page, officer.email, PASSWORD, activate_totp(officer), next_url=f"/handlaggning/arenden/{case.number}/"
    )
    page.get_by_text("Be avsändaren om komplettering").click()
    page.get_by_label("Din fråga till avsändaren").fill(QUESTION)
    page.get_by_role("button", name="Skicka frågan").click()
    expect(page.get_by_text("Frågan skickades till avsändaren med e-post")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Väntar på avsändaren")
    assert_accessible(page, "case page waiting for the sender")
    link = _question_link(smtp)

    # The sender at 1280 px, in a browser of their own.
    wide = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
    violations = watch_csp(wide)
    sender = wide.new_page()
    try:
        sender.goto(link)
        expect(sender.locator("h1")).to_have_text(f"Ditt ärende {case.number}")
        expect(sender.get_by_text(QUESTION)).to_be_visible()
        expect(sender.locator("#tracking-status")).to_have_text("Väntar på ditt svar")
        assert_accessible(sender, "tracking page at 1280 px")
    finally:
        wide.close()
    assert not violations

    # At 320 px: an empty reply shows the error pattern, then the reply goes in.
    narrow_page.goto(link)
    assert_accessible(narrow_page, "tracking page at 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.get_by_role("button", name="Skicka ditt svar").click()
    expect(narrow_page.get_by_role("alert").filter(has_text="Det finns ett problem")).to_be_visible()
    assert narrow_page.title().startswith("Fel: ")
    assert_accessible(narrow_page, "tracking page with errors at 320 px")
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.INFO_PROVIDED).exists()
    narrow_page.get_by_label("Ditt svar").fill("Lampan utanför Storgatan 14.")
    narrow_page.get_by_role("button", name="Skicka ditt svar").click()
    expect(narrow_page.get_by_text("Tack! Ditt svar är skickat")).to_be_visible()
    assert_accessible(narrow_page, "tracking page after the reply at 320 px")
    assert_no_horizontal_scroll(narrow_page)

    reply = CaseEvent.objects.get(kind=CaseEvent.Kind.INFO_PROVIDED)
    assert reply.text == "Lampan utanför Storgatan 14."
    assert OutboundMessage.objects.filter(template_key="staff_citizen_message", recipient=officer.email).exists()
    page.reload()
    expect(page.get_by_text("Lampan utanför Storgatan 14.")).to_be_visible()
    expect(page.locator(".lead")).not_to_contain_text("Väntar på avsändaren")


def test_the_tracking_page_without_javascript(browser, live_server, smtp, world):
    case, officer = world
    services.case_request_info(case=case, question=QUESTION, by=officer)
    link = _question_link(smtp)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(link)
        assert page.locator("h1").inner_text() == f"Ditt ärende {case.number}"
        page.get_by_role("button", name="Skicka ditt svar").click()
        assert page.title().startswith("Fel: ")
        assert "Skriv ditt svar." in page.locator("[data-error-summary]").inner_text()
        page.get_by_label("Ditt svar").fill("Storgatan 14.")
        page.get_by_role("button", name="Skicka ditt svar").click()
        assert "Tack! Ditt svar är skickat" in page.content()
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.INFO_PROVIDED).text == "Storgatan 14."
        assert not Case.objects.get(pk=case.pk).is_awaiting_sender
    finally:
        context.close()
