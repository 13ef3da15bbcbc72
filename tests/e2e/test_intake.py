"""The whole intake in Chromium: start → type → form with an error → fix →
receipt, mostly by keyboard; axe-core on every page and no horizontal
scrolling at 320 px. And the same journey with JavaScript switched off."""

import io

import pytest
from django.utils import translation
from django.utils.formats import date_format
from PIL import Image

from cases.models import Case
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name):
    """axe-core at desktop width, then no horizontal scroll at 320 px."""
    assert_accessible(page, name)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def active(page, expression="el => el"):
    return page.evaluate(f"() => ({expression})(document.activeElement)")


def tab_to(page, predicate_js, limit=40):
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"never reached an element matching {predicate_js}")


def swedish_date(value):
    with translation.override("sv"):
        return date_format(value, "l j F Y")


def test_whole_intake_by_keyboard(page, organisation):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Kontakta kommunen"
    check_page(page, "start page")

    tab_to(page, "el => el.getAttribute('href') === '/lamna/'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Vad vill du göra?"
    check_page(page, "type choice")

    # Into the radio group: Space picks the first option, the arrows move on.
    tab_to(page, "el => el.name === 'kind'")
    page.keyboard.press("Space")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.locator("input[name=kind]:checked").get_attribute("value") == "felanmalan"
    tab_to(page, "el => el.type === 'submit' && el.closest('main')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Gör en felanmälan"
    assert page.title().startswith("Gör en felanmälan – ")
    check_page(page, "intake form")

    page.locator("#id_category").select_option(label="Gatubelysning")
    page.locator("#id_description").focus()
    page.keyboard.type("Lampa")
    # The counter tells how much is left (JavaScript comfort).
    assert "tecken kvar" in page.locator(".character-count").inner_text()
    page.locator("#id_place").focus()
    page.keyboard.type("Storgatan 12, Arlöv")
    page.locator("#id_reply_0").focus()
    page.keyboard.press("Space")
    page.locator("#id_email").focus()
    page.keyboard.type("anna@")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The error page: "Fel: " title, the summary focused, links to fields.
    assert page.title().startswith("Fel: Gör en felanmälan")
    assert active(page, "el => el.hasAttribute('data-error-summary')")
    assert page.locator("[data-error-summary] h2").inner_text() == "Det finns ett problem"
    check_page(page, "form with errors")
    page.locator("[data-error-summary]").focus()
    page.keyboard.press("Tab")
    assert active(page, "el => el.getAttribute('href')") == "#id_description"
    page.keyboard.press("Enter")
    assert active(page, "el => el.id") == "id_description"
    assert page.locator("#id_description").input_value() == "Lampa"
    assert page.locator("#id_place").input_value() == "Storgatan 12, Arlöv"
    assert page.locator("#id_email").input_value() == "anna@"
    page.keyboard.press("End")
    page.keyboard.type(" utanför nummer 12 lyser inte sedan i måndags.")
    page.locator("#id_email").fill("")
    page.locator("#id_email").focus()
    page.keyboard.type("anna@example.se")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    case = Case.objects.get()
    assert page.locator("h1").inner_text() == "Vi har tagit emot ditt ärende"
    assert page.locator(".case-number").inner_text() == case.number
    assert case.description == "Lampa utanför nummer 12 lyser inte sedan i måndags."
    assert case.contact.email == "anna@example.se"
    assert swedish_date(case.due_date) in page.locator(".due-date").inner_text()
    check_page(page, "receipt")


def test_whole_intake_without_javascript(browser, live_server, organisation, tmp_path):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    photo = tmp_path / "lampan.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 200, 0)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    try:
        page.goto("/")
        page.get_by_role("link", name="Börja").click()
        page.get_by_label("Fråga").check()
        page.get_by_role("button", name="Fortsätt").click()
        assert page.locator("h1").inner_text() == "Ställ en fråga"

        page.get_by_label("Ämnesområde").select_option(label="Förskola")
        page.get_by_label("Vad vill du fråga?").fill("Hur ansöker jag om plats i förskolan för mitt barn?")
        page.locator("#id_attachments").set_input_files(str(photo))
        page.get_by_label("Med sms").check()
        page.get_by_label("Mobilnummer").fill("070 12")
        page.get_by_role("button", name="Skicka").click()

        assert page.title().startswith("Fel: ")
        summary = page.locator("[data-error-summary]")
        assert "Skriv ett mobilnummer, till exempel 070 123 45 67" in summary.inner_text()
        assert "Välj dem igen innan du skickar." in summary.inner_text()
        assert page.get_by_label("Vad vill du fråga?").input_value().startswith("Hur ansöker jag")
        assert page.locator("#id_reply_1").is_checked()

        page.get_by_label("Mobilnummer").fill("070 123 45 67")
        page.locator("#id_attachments").set_input_files(str(photo))
        page.get_by_role("button", name="Skicka").click()

        case = Case.objects.get()
        assert page.locator("h1").inner_text() == "Vi har tagit emot ditt ärende"
        assert page.locator(".case-number").inner_text() == case.number
        assert swedish_date(case.due_date) in page.locator(".due-date").inner_text()
        assert case.contact.phone == "+46701234567"
        assert case.attachments.get().content_type == "image/jpeg"
    finally:
        context.close()


def test_english_version_of_the_intake(page, organisation):
    page.goto("/")
    page.get_by_role("button", name="In English").click()
    assert page.locator("h1").inner_text() == "Contact the municipality"
    page.goto("/lamna/berom/")
    assert page.locator("h1").inner_text() == "Give praise"
    page.get_by_label("Subject area").select_option(label="Libraries and culture")
    page.get_by_label("What do you want to praise?").fill("The staff at the library were very helpful.")
    page.get_by_label("I want to stay anonymous").check()
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "We have received your case"
    check_page(page, "English receipt")
    assert Case.objects.get().language == "en"
