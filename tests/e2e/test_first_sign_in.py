"""First sign-in of every staff role, at 1280 px and 320 px: password, TOTP
set-up with the key shown on the page, the recovery codes shown once, the
role's own start page and one typical task. axe-core runs on every page on
the way, and no page answers 4xx."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from cases.models import Case, UnitMembership
from cases.permissions import Role, ensure_groups
from cases.services import case_assign
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import totp_code
from tests.factories import CategoryFactory, DepartmentFactory, UnitFactory, UserFactory, member, register_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
WIDTHS = {"wide": 1280, "narrow": 320}


def _staff(email: str) -> User:
    return UserFactory(email=email, username=email, first_name=email.split("@")[0].capitalize(), last_name="Test")


def _world() -> dict[str, tuple[User, Case]]:
    """A unit with an officer, its head, the department's head, the desk, a
    statistics reader and an administrator; a new case and one assigned to
    the officer."""
    ensure_groups()
    department = DepartmentFactory(name="Samhällsbyggnad")
    unit = UnitFactory(name="Gata och trafik", department=department)
    category = CategoryFactory(name="Gatubelysning", default_unit=unit)
    officer = member(_staff("olle@burlov.example"), unit)
    head = member(_staff("hedda@burlov.example"), unit, UnitMembership.Role.HEAD)
    department_head = _staff("dora@burlov.example")
    department.heads.add(department_head)
    desk = _staff("mia@burlov.example")
    desk.groups.add(Group.objects.get(name=Role.CITIZEN_SERVICE))
    reader = _staff("stina@burlov.example")
    reader.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    admin = UserFactory(email="ada@burlov.example", username="ada@burlov.example", is_staff=True)
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    new_case = register_case(category=category, description="Gatlampan vid Storgatan 12 är trasig.")
    mine = register_case(category=category, description="Hur ofta sandas cykelbanan?")
    case_assign(case=mine, assignee=officer, by=head)
    return {
        "officer": (officer, mine),
        "unit head": (head, new_case),
        "department head": (department_head, mine),
        "Medborgarservice": (desk, new_case),
        "statistics reader": (reader, new_case),
        "administrator": (admin, new_case),
    }


def _open_case(page, case: Case) -> None:
    page.get_by_role("link", name=case.number, exact=True).click()
    page.wait_for_url(f"**/handlaggning/arenden/{case.number}/")
    assert case.number in page.locator("h1").inner_text()


def _open_statistics_page(page, case: Case) -> None:
    page.locator("a[href^='/statistik/fordelning/']").first.click()
    page.wait_for_url("**/statistik/fordelning/**")


def _open_admin(page, case: Case) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Administration").click()
    page.wait_for_url("**/admin/")


# role: (where sign-in lands, the heading there, the typical task)
JOURNEYS: dict[str, tuple[str, str, Callable]] = {
    "officer": ("/handlaggning/arenden/?queue=mine", "Mina ärenden", _open_case),
    "unit head": ("/handlaggning/arenden/?queue=units", "Mina enheters kö", _open_case),
    "department head": ("/handlaggning/arenden/?queue=units", "Mina enheters kö", _open_case),
    "Medborgarservice": ("/handlaggning/arenden/?queue=new", "Alla nya ärenden", _open_case),
    "statistics reader": ("/statistik/", "Statistik", _open_statistics_page),
    "administrator": ("/handlaggning/arenden/?queue=new", "Alla nya ärenden", _open_admin),
}


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("role", sorted(JOURNEYS))
def test_first_sign_in_sets_up_totp_shows_the_codes_once_and_lands_on_the_role_s_page(
    browser, live_server, role, width
):
    user, case = _world()[role]
    landing, heading, task = JOURNEYS[role]
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": WIDTHS[width], "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []
    page.on(
        "response",
        lambda r: (
            refused.append(f"{r.status} {r.url}")
            if r.request.resource_type == "document" and 400 <= r.status < 500
            else None
        ),
    )
    where = f"{role}, {WIDTHS[width]} px"
    try:
        # Password.
        page.goto("/konto/login/")
        assert_accessible(page, f"sign-in ({where})")
        page.get_by_label("E-post").fill(user.email)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()

        # TOTP set-up: the key on the page goes into the app (pyotp here).
        page.wait_for_url("**/konto/2fa/totp/activate/")
        assert_accessible(page, f"TOTP set-up ({where})")
        secret = page.locator("#totp-secret").get_attribute("data-secret")
        page.get_by_label("Kod").fill(totp_code(secret))
        page.get_by_role("button", name="Aktivera").click()

        # The recovery codes, shown once, with a clear step onward.
        page.wait_for_url("**/konto/2fa/recovery-codes/")
        assert page.get_by_role("heading", level=1).inner_text() == "Reservkoder"
        assert page.get_by_role("list", name="Dina reservkoder").get_by_role("listitem").count() == 10
        assert_accessible(page, f"recovery codes ({where})")
        page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()

        # The role's own start page, with the staff menu and "Logga ut".
        page.wait_for_url(f"**{landing}")
        assert page.url.endswith(landing)
        assert heading in page.get_by_role("heading", level=1).inner_text()
        menu = page.get_by_role("navigation", name="Huvudmeny")
        assert menu.get_by_role("button", name="Logga ut").is_visible()
        assert menu.get_by_role("link", name="Statistik").count() == 1
        if role == "statistics reader":
            assert menu.get_by_role("link", name="Ärenden").count() == 0
            assert menu.get_by_role("link", name="Registrera ett ärende").count() == 0
        assert_accessible(page, f"start page ({where})")

        task(page, case)
        assert_accessible(page, f"typical task ({where})")
        assert not refused, f"pages answered 4xx on the way ({where}): {refused}"
    finally:
        context.close()
