"""The satisfaction survey in Chromium, from the link in the closing e-mail
as a real SMTP server received it: at 1280 px with the error pattern, at
320 px, and without JavaScript; axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import Answer, Case, CaseEvent, SatisfactionSurvey
from notifications import services as outbox
from notifications.models import OutboundMessage
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "anna@example.se"
LINK = re.compile(r"https?://\S+/enkat/\S+/\S+/")


@pytest.fixture
def link(smtp) -> str:
    """A case answered and closed; its closing e-mail delivered by the
    service the worker runs; the survey's link read from that e-mail."""
    unit = UnitFactory(name="Gata och trafik", email="")
    officer = member(UserFactory(), unit)
    case = services.case_register(
        kind=Case.Kind.FAULT_REPORT,
        category=CategoryFactory(name="Gatubelysning", default_unit=unit),
        description="Gatlampan utanför Storgatan 12 är trasig.",
        contact=services.ContactData(name="Anna Andersson", email=EMAIL, preferred="email"),
    )
    services.case_answer(case=case, text="Vi har bytt lampan.", channel=Answer.Channel.EMAIL, by=officer)
    services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer)
    for message in OutboundMessage.objects.filter(status="pending").order_by("pk"):
        assert outbox.message_deliver(message_id=message.pk).status == "sent"
    assert len(smtp.to(EMAIL)) == 3  # the receipt, the answer and the closing notice
    (message,) = [m for m in smtp.to(EMAIL) if "/enkat/" in _text(m)]
    assert "är nu avslutat" in _text(message)
    match = LINK.search(_text(message))
    assert match
    return match.group(0)


def _text(message) -> str:
    parts = [p.get_payload(decode=True).decode() for p in message.walk() if p.get_content_type() == "text/plain"]
    return "\n".join(parts)


def test_the_survey_from_the_email_link(page, link):
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Berätta vad du tycker")
    assert_accessible(page, "survey")

    # Nothing chosen: the error pattern, and the comment is kept.
    page.get_by_label("Vill du berätta något mer? (valfritt)").fill("Snabb hjälp!")
    page.get_by_role("button", name="Skicka dina svar").click()
    summary = page.get_by_role("alert").filter(has_text="Det finns ett problem")
    expect(summary).to_be_visible()
    assert page.title().startswith("Fel: ")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label("Vill du berätta något mer? (valfritt)").input_value() == "Snabb hjälp!"
    assert_accessible(page, "survey with errors")
    summary.get_by_role("link", name="Välj hur nöjd du är, från 1 till 5.").click()
    assert page.evaluate("() => document.activeElement.id") == "id_score_0"

    group = page.get_by_role("group", name="Hur nöjd är du med hur kommunen tog hand om ditt ärende?")
    group.get_by_label("4 – Ganska nöjd").check()
    page.get_by_role("group", name="Fick du svar på det du undrade?").get_by_label("Delvis").check()
    page.get_by_role("button", name="Skicka dina svar").click()
    expect(page.locator("h1")).to_have_text("Tack för dina svar")
    assert_accessible(page, "thanks")
    survey = SatisfactionSurvey.objects.get()
    assert (survey.score, survey.got_answer) == (4, "partly")
    assert CaseEvent.objects.get(kind=CaseEvent.Kind.SURVEY_ANSWERED).text == "Snabb hjälp!"

    # The same link again: a clear page, nothing changes.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Du har redan svarat")
    assert_accessible(page, "survey already answered")
    assert SatisfactionSurvey.objects.get().score == 4


def test_the_survey_on_a_narrow_screen(narrow_page, link):
    narrow_page.goto(link)
    expect(narrow_page.locator("h1")).to_have_text("Berätta vad du tycker")
    assert_accessible(narrow_page, "survey at 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.get_by_label("5 – Mycket nöjd").check()
    narrow_page.get_by_label("Ja", exact=True).check()
    narrow_page.get_by_role("button", name="Skicka dina svar").click()
    expect(narrow_page.locator("h1")).to_have_text("Tack för dina svar")
    assert_accessible(narrow_page, "thanks at 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.goto(link.replace("/enkat/", "/enkat/X").rstrip("/") + "/")
    expect(narrow_page.locator("h1")).to_have_text("Länken fungerar inte")
    assert_accessible(narrow_page, "wrong link at 320 px")
    assert_no_horizontal_scroll(narrow_page)


def test_the_survey_without_javascript(browser, live_server, link):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(link)
        assert page.locator("h1").inner_text() == "Berätta vad du tycker"
        page.get_by_role("button", name="Skicka dina svar").click()
        assert page.title().startswith("Fel: ")
        assert "Svara ja, delvis eller nej." in page.locator("[data-error-summary]").inner_text()
        page.get_by_label("2 – Ganska missnöjd").check()
        page.get_by_label("Nej", exact=True).check()
        page.get_by_label("Vill du berätta något mer? (valfritt)").fill("Lampan lyser fortfarande inte.")
        page.get_by_role("button", name="Skicka dina svar").click()
        assert page.locator("h1").inner_text() == "Tack för dina svar"
        survey = SatisfactionSurvey.objects.get()
        assert (survey.score, survey.got_answer) == (2, "no")
    finally:
        context.close()
