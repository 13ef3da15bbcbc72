"""The citizen's whole journey in Chromium: sign in at the development
identity provider, follow a case on Mina sidor, read the answer, write a
follow-up and sign out. axe-core checks every page on the way.

The case is registered through cases.services.case_register with
citizen=<the signed-in user>, the same call the public intake form makes."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.models import Answer, CaseEvent
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import CategoryFactory, UserFactory, member, register_case
from tests.integration.accounts.conftest import dev_idp  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, label: str):
    page.goto("/mina-sidor/")
    expect(page.locator("h1")).to_have_text("Logga in på Mina sidor")
    assert_accessible(page, "sign-in page")
    page.get_by_role("button", name="Logga in med e-legitimation (BankID, Freja eID)").click()
    expect(page.locator("h1")).to_have_text("Välj testperson")
    assert_accessible(page, "persona page")
    page.get_by_label(label).check()
    page.get_by_role("button", name="Logga in", exact=True).click()


def test_citizen_follows_a_case_from_sign_in_to_sign_out(page, dev_idp):  # noqa: F811
    sign_in_as(page, re.compile("^Tolvan Tolvansson"))
    expect(page.locator("h1")).to_have_text("Mina sidor")
    expect(page.locator("main")).to_contain_text("Du är inloggad som Tolvan Tolvansson")
    expect(page.locator("main")).to_contain_text("19121212-****")
    assert_accessible(page, "empty Mina sidor")

    citizen = User.objects.get(kind=User.Kind.CITIZEN, is_active=True)
    category = CategoryFactory(name="Gator och vägar")
    officer = member(UserFactory(first_name="Olle", last_name="Officer"), category.default_unit)
    case = register_case(
        category=category,
        citizen=citizen,
        description="Gatlampan på Storgatan 3 är trasig.",
        contact=services.ContactData(name="Tolvan Tolvansson", email="tolvan@example.se", preferred="email"),
    )

    page.reload()
    row = page.locator("tbody tr", has_text=case.number)
    expect(row).to_contain_text("Gator och vägar")
    expect(row).to_contain_text("Mottaget")
    assert_accessible(page, "Mina sidor with a case")
    row.get_by_role("link", name=case.number).click()
    expect(page.locator("h1")).to_have_text(f"Ärende {case.number}")
    expect(page.locator("main")).to_contain_text("Vi har inte svarat ännu.")
    assert_accessible(page, "case before the answer")

    services.case_assign(case=case, assignee=officer, by=officer)
    services.case_answer(case=case, text="Vi lagar lampan den här veckan.", channel=Answer.Channel.PORTAL, by=officer)
    page.reload()
    expect(page.locator("main")).to_contain_text("Vi lagar lampan den här veckan.")
    expect(page.locator("main")).to_contain_text("Du fick svar")
    expect(page.locator("main")).not_to_contain_text("Olle")
    assert_accessible(page, "case with an answer")

    page.get_by_role("button", name="Skicka meddelande").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv ditt meddelande.")
    expect(page).to_have_title(re.compile("^Fel: "))
    assert_accessible(page, "message form with an error")
    page.get_by_label("Ditt meddelande").fill("Tack! Kan ni också titta på lampan bredvid?")
    page.get_by_role("button", name="Skicka meddelande").click()
    expect(page.locator(".alert-success")).to_contain_text("Ditt meddelande är skickat")
    expect(page.locator("main")).to_contain_text("Kan ni också titta på lampan bredvid?")
    assert case.events.filter(kind=CaseEvent.Kind.CITIZEN_MESSAGE, actor=citizen).count() == 1
    assert_accessible(page, "case after the follow-up")

    page.get_by_role("link", name="Aviseringar och kontaktuppgifter").first.click()
    expect(page.locator("h1")).to_have_text("Aviseringar och kontaktuppgifter")
    assert_accessible(page, "notification settings")

    page.get_by_role("button", name="Logga ut").first.click()
    expect(page.locator(".alert-success")).to_contain_text("Du är utloggad.")
    page.goto("/mina-sidor/")
    expect(page.locator("h1")).to_have_text("Logga in på Mina sidor")


def test_refused_sign_in_page_is_clear_and_accessible(page, dev_idp):  # noqa: F811
    sign_in_as(page, re.compile("tillitsnivå 2"))
    expect(page.locator("h1")).to_have_text("Du kunde inte loggas in")
    expect(page.locator("main")).to_contain_text("inte tillräckligt säker")
    assert_accessible(page, "refused sign-in")
    assert not User.objects.filter(kind=User.Kind.CITIZEN, is_active=True).exists()


def test_mina_sidor_reflows_at_320_pixels(narrow_page, dev_idp):  # noqa: F811
    sign_in_as(narrow_page, re.compile("^Karim Haddad"))
    expect(narrow_page.locator("h1")).to_have_text("Mina sidor")
    citizen = User.objects.get(kind=User.Kind.CITIZEN, is_active=True)
    register_case(citizen=citizen)
    narrow_page.reload()
    assert_no_horizontal_scroll(narrow_page)
