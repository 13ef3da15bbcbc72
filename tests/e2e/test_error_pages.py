"""Kontakt's own 404 and 403 pages in the browser: the site's layout, a way
onward, and zero axe-core violations, in Swedish and English."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.permissions import Role, ensure_groups
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_the_404_page_in_both_languages(page):
    response = page.goto("/finns-inte/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Sidan finns inte")
    expect(page.get_by_role("link", name="Gå till startsidan")).to_be_visible()
    assert_accessible(page, "404 in Swedish")
    page.get_by_role("button", name="In English").click()
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page, "404 in English")
    page.get_by_role("link", name="Go to the start page").click()
    expect(page).to_have_url("/")


def test_the_403_page_for_a_statistics_reader_in_the_back_office(page):
    ensure_groups()
    reader = UserFactory(email="stina@burlov.example", username="stina@burlov.example")
    reader.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    secret = activate_totp(reader)
    sign_in_staff(page, reader.email, PASSWORD, secret, next_url="/statistik/")
    response = page.goto("/handlaggning/arenden/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Du har inte tillgång till den här sidan")
    expect(page.locator("main")).not_to_contain_text("Forbidden")
    assert_accessible(page, "403 in Swedish")
