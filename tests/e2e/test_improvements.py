"""Improvements in Chromium: a unit head makes an improvement of an
answer's suggestion, marks it done and publishes it; the public page
"Du sa – vi gjorde" at 1280 px, at 320 px and without JavaScript; axe-core
on every page."""

import pytest
from playwright.sync_api import expect

from cases import improvements, services
from cases.models import Answer, Case, Improvement, UnitMembership
from cases.permissions import ensure_groups
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
PUBLIC_TEXT = (
    "Många tyckte att skylten vid återvinningscentralen var svår att läsa. Nu sitter en större skylt vid entrén."
)


def _answered_case(unit, head):
    case = services.case_register(
        kind=Case.Kind.FEEDBACK,
        feedback_type=Case.FeedbackType.SUGGESTION,
        category=CategoryFactory(name="Återvinning", default_unit=unit),
        description="Skylten vid återvinningscentralen går inte att läsa. /Bertil Exempelsson",
        contact=services.ContactData(name="Bertil Exempelsson", email="bertil@example.se"),
    )
    services.case_answer(
        case=case,
        text="Tack för ditt förslag!",
        channel=Answer.Channel.EMAIL,
        by=head,
        improvement="Byt till en större skylt vid entrén.",
    )
    return case


def test_a_unit_head_follows_a_suggestion_up_and_publishes_it(page, browser, live_server):
    ensure_groups()
    unit = UnitFactory(name="Renhållning", email="")
    head = member(
        UserFactory(email="helga@burlov.example", username="helga@burlov.example", first_name="Helga"),
        unit,
        UnitMembership.Role.HEAD,
    )
    secret = activate_totp(head)
    case = _answered_case(unit, head)

    sign_in_staff(page, head.email, PASSWORD, secret, next_url=f"/handlaggning/arenden/{case.number}/")
    page.get_by_role("link", name="Följ upp det som en förbättring").click()
    expect(page.locator("h1")).to_have_text("Ny förbättring")
    assert page.get_by_label("Beskrivning").input_value() == "Byt till en större skylt vid entrén."
    assert_accessible(page, "new improvement")
    page.get_by_role("button", name="Skapa förbättringen").click()
    expect(page.get_by_role("alert").filter(has_text="Det finns ett problem")).to_be_visible()
    assert_accessible(page, "new improvement with an error")
    page.get_by_label("Rubrik").fill("Större skylt vid återvinningscentralen")
    page.get_by_role("button", name="Skapa förbättringen").click()
    expect(page.locator("h1")).to_have_text("Större skylt vid återvinningscentralen")
    expect(page.get_by_role("link", name=case.number)).to_be_visible()
    assert_accessible(page, "improvement")

    page.get_by_text("Ändra förbättringen").click()
    page.get_by_label("Genomförd").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").filter(has_text="Förbättringen är sparad.")).to_be_visible()
    page.get_by_label("Publik text").fill(PUBLIC_TEXT)
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Förbättringen är publicerad")).to_be_visible()
    assert_accessible(page, "published improvement")

    page.get_by_role("link", name="Förbättringar", exact=True).click()
    expect(page.locator("h1")).to_have_text("Förbättringar")
    expect(page.get_by_role("row").filter(has_text="Större skylt")).to_contain_text("Publicerad")
    assert_accessible(page, "improvements list")

    # The public page, as anyone sees it.
    public = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    try:
        public.goto("/")
        public.get_by_role("link", name="Du sa – vi gjorde").click()
        expect(public.locator("h1")).to_have_text("Du sa – vi gjorde")
        expect(public.locator("main")).to_contain_text(PUBLIC_TEXT)
        assert "Bertil" not in public.locator("main").inner_text()
        assert case.number not in public.locator("main").inner_text()
        assert_accessible(public, "public improvements page")
    finally:
        public.context.close()
    assert Improvement.objects.get().published_at is not None


@pytest.fixture
def published(db):
    unit = UnitFactory(name="Park", email="")
    user = UserFactory()
    done = improvements.improvement_create(title="Fler bänkar i Kronetorpsparken", unit=unit, by=user)
    improvements.improvement_update(
        improvement=done, title=done.title, unit=unit, status="done", description="", by=user
    )
    improvements.improvement_publish(
        improvement=done, public_text="Ni ville kunna vila på promenaden. Nu finns sex nya bänkar.", by=user
    )
    improvements.improvement_create(title="Ännu inte gjort", unit=unit, by=user)
    return done


def test_the_public_page_on_a_narrow_screen(narrow_page, published):
    narrow_page.goto("/du-sa-vi-gjorde/")
    expect(narrow_page.locator("h1")).to_have_text("Du sa – vi gjorde")
    expect(narrow_page.get_by_role("heading", name="Fler bänkar i Kronetorpsparken")).to_be_visible()
    assert "Ännu inte gjort" not in narrow_page.locator("main").inner_text()
    assert_accessible(narrow_page, "public improvements at 320 px")
    assert_no_horizontal_scroll(narrow_page)


def test_the_public_page_without_javascript(browser, live_server, published):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name="Du sa – vi gjorde").click()
        assert page.locator("h1").inner_text() == "Du sa – vi gjorde"
        assert "Nu finns sex nya bänkar." in page.locator("main").inner_text()
    finally:
        context.close()
