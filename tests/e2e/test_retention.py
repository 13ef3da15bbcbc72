"""An administrator finds everything Kontakt holds about a person and
downloads it; axe-core checks the empty form, the error and the results."""

import json

import pytest
from django.contrib.auth.models import Group

from cases.models import Case
from cases.permissions import Role, ensure_groups
from cases.services import ContactData, case_register
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
URL = "/admin-verktyg/registerutdrag/"


@pytest.fixture
def administrator(db):
    ensure_groups()
    user = UserFactory(email="dpo@burlov.example", username="dpo@burlov.example")
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    user.totp_secret = activate_totp(user)
    return user


def test_an_administrator_finds_a_persons_cases_and_downloads_them(page, administrator, tmp_path):
    case = case_register(
        kind=Case.Kind.QUESTION,
        category=CategoryFactory(),
        description="Var hämtar jag mitt parkeringstillstånd?",
        contact=ContactData(name="Petra Persson", email="petra@exempel.se", phone="+46701234567"),
    )
    case_register(
        kind=Case.Kind.QUESTION,
        category=CategoryFactory(),
        description="Någon annans fråga.",
        contact=ContactData(name="Annan", email="annan@exempel.se"),
    )
    page.goto(URL)
    sign_in_staff(page, administrator.email, PASSWORD, administrator.totp_secret, next_url=URL)
    assert page.locator("h1").inner_text() == "Allt vi har om en person"
    assert_accessible(page, "access tool, empty")

    page.get_by_label("E-postadress (valfritt)").fill("inte en adress")
    page.get_by_role("button", name="Sök").click()
    assert page.get_by_role("alert").locator("h2").inner_text() == "Det finns ett problem"
    assert page.title().startswith("Fel:")
    assert page.get_by_label("E-postadress (valfritt)").input_value() == "inte en adress"
    assert_accessible(page, "access tool, error")

    page.get_by_label("E-postadress (valfritt)").fill("")
    page.get_by_label("Telefonnummer (valfritt)").fill("070-123 45 67")
    page.get_by_role("button", name="Sök").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert case.number in rows.first.inner_text()
    assert_accessible(page, "access tool, results")
    assert_no_horizontal_scroll(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner som JSON").click()
    path = tmp_path / "utdrag.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c["number"] for c in data["cases"]] == [case.number]
    assert data["cases"][0]["contact"]["name"] == "Petra Persson"
    assert "petra" not in page.url and "0701234567" not in page.url
