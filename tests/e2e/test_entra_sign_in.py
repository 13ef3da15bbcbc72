"""Staff sign-in through Entra ID in the browser, at 1280 px and 320 px:
the sign-in page, the provider (the loopback Entra-shaped provider of
tests/entra_idp.py), and back in the back office with the units the
directory's groups give; without the directory's MFA, the local TOTP set-up;
a refused sign-in says why. axe-core runs on every Kontakt page on the way."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from cases.models import UnitMembership
from cases.permissions import ensure_groups
from directory.models import GroupMapping
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.entra_idp import TENANT_ID, EntraIdP, Person
from tests.factories import CategoryFactory, DepartmentFactory, UnitFactory, register_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UNIT_GROUP = "0b1e2c3d-4a5b-4c7d-8e9f-0a1b2c3d4e5f"


@pytest.fixture
def entra(live_server, settings):
    with EntraIdP() as idp:
        providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
        providers["entra"] = idp.provider_settings()
        settings.SOCIALACCOUNT_PROVIDERS = providers
        settings.KONTAKT_ENTRA_TENANT_ID = TENANT_ID
        # The sign-in form's post is redirected to the provider (form-action).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], idp.origin]
        settings.CONTENT_SECURITY_POLICY = policy
        yield idp


@pytest.fixture
def unit(db):
    ensure_groups()
    unit = UnitFactory(name="Gata och trafik", department=DepartmentFactory(name="Samhällsbyggnad"))
    register_case(category=CategoryFactory(name="Gatubelysning", default_unit=unit), description="Gatlampan är trasig.")
    GroupMapping.objects.create(
        group_object_id=UNIT_GROUP, kind="unit", unit=unit, unit_role=UnitMembership.Role.OFFICER
    )
    return unit


def _window(request, name: str):
    return request.getfixturevalue(name)


@pytest.mark.parametrize("window", ["page", "narrow_page"])
def test_staff_sign_in_through_entra_reaches_the_units_cases(request, window, entra, unit):
    page = _window(request, window)
    entra.person = Person(groups=[UNIT_GROUP])
    page.goto("/konto/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in i ärendehanteringen")
    assert_accessible(page, f"sign-in page ({window})")
    page.get_by_role("button", name="Logga in med ditt kommunkonto").click()
    expect(page).to_have_url(re.compile(r"/handlaggning/arenden/\?queue=mine$"))
    expect(page.get_by_text("Anna Andersson").first).to_be_visible()
    assert_accessible(page, f"first page after the Entra sign-in ({window})")
    page.goto("/handlaggning/arenden/?queue=units")
    expect(page.get_by_text("Gatlampan är trasig.").first).to_be_visible()
    assert_accessible(page, f"the unit's cases ({window})")
    if window == "narrow_page":
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("window", ["page", "narrow_page"])
def test_without_the_directorys_mfa_the_local_code_is_set_up_and_a_refusal_says_why(request, window, entra, unit):
    page = _window(request, window)
    entra.person = Person(groups=[UNIT_GROUP], amr=["pwd"])
    page.goto("/konto/login/")
    page.get_by_role("button", name="Logga in med ditt kommunkonto").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("tvåstegsverifiering")
    assert_accessible(page, f"TOTP set-up after an Entra sign-in without MFA ({window})")

    page.context.clear_cookies()
    entra.person = Person(object_id=entra.person.object_id, extra={"_claim_names": {"groups": "src1"}})
    page.goto("/konto/login/")
    page.get_by_role("button", name="Logga in med ditt kommunkonto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du kunde inte loggas in")
    expect(page.get_by_text("för många grupper")).to_be_visible()
    assert_accessible(page, f"refused sign-in ({window})")
    if window == "narrow_page":
        assert_no_horizontal_scroll(page)
