"""A statistics reader signs in, reads the overview, changes the period,
opens a breakdown and downloads the CSV; axe-core checks every page."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from cases.permissions import Role, ensure_groups
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import UserFactory
from tests.integration.stats import dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def reader(db):
    ensure_groups()
    user = UserFactory(email="stina@burlov.example")
    user.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    user.totp_secret = activate_totp(user)
    return user


def test_a_statistics_reader_reads_changes_the_period_and_downloads(page, reader, tmp_path):
    dataset.build()
    page.goto("/statistik/")
    assert "/konto/login/" in page.url
    sign_in_staff(page, reader.email, PASSWORD, reader.totp_secret, next_url="/statistik/")
    page.wait_for_url("**/statistik/")
    assert page.locator("h1").inner_text() == "Statistik"
    assert_accessible(page, "overview, default period")

    page.get_by_role("radio", name="Kvartal").check()
    page.get_by_role("textbox", name="År").fill("2025")
    page.get_by_role("combobox", name="Kvartal").select_option("2")
    page.get_by_role("button", name="Visa statistik").click()
    page.wait_for_url("**period=quarter**")
    overview = page.locator("#table-oversikt tbody tr")
    assert overview.nth(0).locator("td").inner_text() == "8"
    assert overview.nth(6).locator("td").inner_text() == "66,7 %"
    assert overview.nth(8).locator("td").inner_text() == "37,5 %"
    assert page.locator("#trend-summary").inner_text().startswith("Under de 24 månaderna från juli 2023")
    assert page.locator("a[href^='/handlaggning/']").count() == 0
    assert_accessible(page, "overview, Q2 2025")

    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner ”Översikt” som CSV").click()
    path = tmp_path / "oversikt.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert ["Period (mottagningsdatum)", "Kvartal 2 2025 (2025-04-01 – 2025-06-30)"] in rows
    assert ["Mottagna", "8"] in rows and ["Avslutade i tid, %", "37,5"] in rows

    page.get_by_role("link", name="Per ärendetyp").click()
    assert page.locator("h1").inner_text() == "Statistik per ärendetyp"
    assert "<3" in page.locator("#table-undertyp").inner_text()
    assert_accessible(page, "breakdown by case type")


def test_a_bad_period_is_explained_and_the_page_stays_accessible(page, reader):
    page.goto("/statistik/")
    sign_in_staff(page, reader.email, PASSWORD, reader.totp_secret, next_url="/statistik/")
    page.wait_for_url("**/statistik/")
    page.get_by_role("radio", name="Från–till").check()
    page.get_by_label("Från (datum)").fill("2025-05-01")
    page.get_by_label("Till (datum)").fill("2025-04-01")
    page.get_by_role("button", name="Visa statistik").click()
    assert page.get_by_role("alert").locator("h2").inner_text() == "Det finns ett problem"
    assert page.get_by_label("Till (datum)").input_value() == "2025-04-01"
    assert page.title().startswith("Fel:")
    assert_accessible(page, "period with errors")


def test_the_statistics_reflow_on_a_narrow_screen(narrow_page, reader, live_server):
    narrow_page.goto("/statistik/")
    sign_in_staff(narrow_page, reader.email, PASSWORD, reader.totp_secret, next_url="/statistik/")
    narrow_page.wait_for_url("**/statistik/")
    assert_no_horizontal_scroll(narrow_page)
