"""Mina sidor tells the signed-in sender how their case was closed, in
Chromium at 1280 and 320 px, with axe-core finding nothing: a case not
handled here (why, and where to turn) and a duplicate (the number of the
case it joined)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.models import Case, ExcludedMatter
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.test_mina_sidor import sign_in_as
from tests.factories import CategoryFactory, UserFactory, member, register_case
from tests.integration.accounts.conftest import dev_idp  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
