"""An officer's day in the browser: sign in with TOTP, find a newly
registered case, answer it and close it; axe-core on every page."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.models import Case
from cases.permissions import Role, ensure_groups
from cases.services import ContactData, case_register
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import activate_totp, sign_in_staff, totp_code
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_officer_signs_in_with_totp_answers_and_closes_a_new_case(page):
    ensure_groups()
    unit = UnitFactory(name="Gata och trafik")
    category = CategoryFactory(name="Gatubelysning", default_unit=unit)
    officer = member(
        UserFactory(
            email="hugo@burlov.example", username="hugo@burlov.example", first_name="Hugo", last_name="Handläggare"
        ),
        unit,
    )
    secret = activate_totp(officer)
    case = case_register(
        kind=Case.Kind.FAULT_REPORT,
        category=category,
        channel=Case.Channel.PHONE,
        description="Gatlampan utanför Storgatan 12 är trasig sedan en vecka.",
        contact=ContactData(name="Anna Andersson", email="anna@example.se"),
    )

    # Sign-in page, first with a wrong password.
    page.goto("/handlaggning/arenden/")
    assert "/konto/login/" in page.url
    assert_accessible(page, "sign-in")
    page.get_by_label("E-post").fill(officer.email)
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "sign-in with errors")

    # TOTP step, first a wrong code.
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/konto/2fa/authenticate/")
    assert_accessible(page, "TOTP step")
    page.get_by_label("Kod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()
    assert_accessible(page, "TOTP step with error")
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url("**/handlaggning/arenden/**")

    # The unassigned queue shows the new case with its deadline in words.
    page.get_by_role("link", name="Ej tilldelade").click()
    row = page.get_by_role("row").filter(has_text=case.number)
    assert "arbetsdagar kvar" in row.inner_text()
    assert_accessible(page, "case list")
    page.get_by_label("Sök", exact=True).fill("gatlampa storgatan")
    page.get_by_role("button", name="Sök", exact=True).click()
    # Two words, one of them inflected; the matches are marked in the text.
    row = page.get_by_role("row").filter(has_text=case.number)
    expect(row.locator("mark").first).to_be_visible()
    assert_accessible(page, "search result")
    page.get_by_role("link", name=case.number).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Ärende {case.number}"
    assert_accessible(page, "case page")

    page.get_by_role("button", name="Ta ärendet").click()
    expect(page.get_by_text("Du handlägger nu ärendet.")).to_be_visible()

    # Answer without choosing a channel first: an error, and the text stays.
    page.get_by_text("Svara avsändaren").click()
    page.get_by_label("Svar till avsändaren").fill("Tack! Vi byter lampan i morgon.")
    page.get_by_label("E-post").uncheck() if page.get_by_label("E-post").is_checked() else None
    page.get_by_role("button", name="Registrera svaret").click()
    expect(page.get_by_role("alert").filter(has_text="Välj hur svaret gavs.")).to_be_visible()
    assert page.get_by_label("Svar till avsändaren").input_value() == "Tack! Vi byter lampan i morgon."
    assert_accessible(page, "answer form with errors")
    page.get_by_label("E-post").check()

    # The preview shows the e-mail Anna would get, the typed text kept.
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.get_by_role("region", name="Det här får avsändaren")
    expect(preview).to_be_visible()
    assert f"Svar på ditt ärende {case.number}" in preview.inner_text()
    assert "Tack! Vi byter lampan i morgon." in preview.inner_text()
    assert page.get_by_label("Svar till avsändaren").input_value() == "Tack! Vi byter lampan i morgon."
    assert page.get_by_label("E-post").is_checked()
    assert_accessible(page, "answer preview")

    page.get_by_label("Vad som gjordes (valfritt)").fill("Beställt byte av armatur.")
    page.get_by_role("button", name="Registrera svaret").click()
    expect(page.get_by_text("Svaret registrerades.")).to_be_visible()

    page.get_by_text("Avsluta ärendet", exact=True).first.click()
    page.get_by_role("radio", name="Besvarat").check()
    page.get_by_role("button", name="Avsluta ärendet").click()
    expect(page.get_by_text("Ärendet avslutades.")).to_be_visible()
    assert_accessible(page, "closed case")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.resolution == Case.Resolution.ANSWERED
    assert case.answered_in_time is True and case.assignee == officer


def test_register_page_with_errors_is_accessible(page):
    ensure_groups()
    desk_unit = UnitFactory(name="Medborgarservice")
    CategoryFactory(name="Annat", default_unit=desk_unit)
    desk = member(UserFactory(email="maja@burlov.example", username="maja@burlov.example"), desk_unit)
    desk.groups.add(Group.objects.get(name=Role.CITIZEN_SERVICE))
    sign_in_staff(page, desk.email, PASSWORD, activate_totp(desk))
    page.goto("/handlaggning/registrera/")
    assert_accessible(page, "register form")
    page.get_by_label("Telefonnummer (valfritt)").fill("12")
    page.get_by_role("button", name="Registrera ärendet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Telefonnummer (valfritt)").input_value() == "12"
    assert_accessible(page, "register form with errors")
