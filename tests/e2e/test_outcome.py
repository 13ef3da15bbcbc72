"""The outcome of a case in Chromium, axe-core finding nothing: Mina sidor
tells the signed-in sender how their case was closed at 1280 and 320 px (a
case not handled here: why, and where to turn; a duplicate: the number of
the case it joined); an officer closing a case as transferred is told
plainly what is missing, and the case page lists a case's duplicates."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.models import Case, ExcludedMatter
from cases.permissions import ensure_groups
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.e2e.test_mina_sidor import sign_in_as
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.accounts.conftest import dev_idp  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_mina_sidor_shows_how_a_case_was_closed_at_1280_and_320_px(page, dev_idp):  # noqa: F811
    sign_in_as(page, re.compile("^Tolvan Tolvansson"))
    expect(page.locator("h1")).to_have_text("Mina sidor")
    citizen = User.objects.get(kind=User.Kind.CITIZEN, is_active=True)
    category = CategoryFactory(name="Gator och vägar")
    officer = member(UserFactory(), category.default_unit)
    matter = ExcludedMatter.objects.create(
        name="Partipolitik",
        texts={"sv": "Politiska frågor tar du upp direkt med de förtroendevalda eller med partiet."},
    )
    contact = services.ContactData(name="Tolvan Tolvansson", email="tolvan@example.se", preferred="email")
    not_here = register_case(category=category, citizen=citizen, contact=contact)
    services.case_close(case=not_here, resolution=Case.Resolution.NOT_HANDLED, excluded_matter=matter, by=officer)
    original = register_case(category=category, contact=services.ContactData(email="bo@example.se"))
    duplicate = register_case(category=category, citizen=citizen, contact=contact)
    services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=officer)

    for case, said in (
        (not_here, "Politiska frågor tar du upp direkt med de förtroendevalda eller med partiet."),
        (duplicate, f"Ditt ärende handlar om samma sak som ärende {original.number}."),
    ):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"/mina-sidor/arenden/{case.public_id}/")
        outcome = page.get_by_role("region", name="Så avslutade vi ditt ärende")
        expect(outcome).to_contain_text(said)
        assert_accessible(page, f"outcome of {case.number} at 1280 px")
        page.set_viewport_size({"width": 320, "height": 800})
        expect(outcome).to_be_visible()
        assert_accessible(page, f"outcome of {case.number} at 320 px")
        assert_no_horizontal_scroll(page)


def test_officer_closes_as_transferred_after_a_clear_error_and_sees_the_duplicates(page):
    ensure_groups()
    unit = UnitFactory(name="Gata och trafik")
    category = CategoryFactory(name="Gatubelysning", default_unit=unit)
    officer = member(UserFactory(email="hugo@burlov.example", username="hugo@burlov.example"), unit)
    secret = activate_totp(officer)
    contact = services.ContactData(name="Anna Andersson", email="anna@example.se")
    case = register_case(category=category, contact=contact)
    original = register_case(category=category, contact=contact)
    duplicate = register_case(category=category, contact=contact)
    services.case_close(case=duplicate, resolution=Case.Resolution.DUPLICATE, duplicate_of=original, by=officer)

    sign_in_staff(page, officer.email, PASSWORD, secret, next_url=f"/handlaggning/arenden/{case.number}/")
    page.get_by_text("Avsluta ärendet", exact=True).first.click()
    page.get_by_role("radio", name="Flyttat till ett annat system").check()
    page.get_by_label("Referens i det andra systemet").fill("TRV 2026/4711")
    page.get_by_role("button", name="Avsluta ärendet").click()
    message = "Skriv namnet på systemet eller myndigheten som ärendet har lämnats över till."
    expect(page.locator(".error-summary")).to_contain_text(message)
    assert page.get_by_label("Referens i det andra systemet").input_value() == "TRV 2026/4711"
    assert_accessible(page, "close form with an error")
    page.get_by_label("Annat system eller annan myndighet").fill("Trafikverket")
    page.get_by_role("button", name="Avsluta ärendet").click()
    expect(page.get_by_text("Ärendet avslutades.")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.transferred_to, case.transfer_reference) == ("closed", "Trafikverket", "TRV 2026/4711")

    page.goto(f"/handlaggning/arenden/{original.number}/")
    duplicates = page.locator("#duplicates")
    expect(duplicates.get_by_role("link", name=duplicate.number)).to_be_visible()
    assert_accessible(page, "case page with its duplicates")
