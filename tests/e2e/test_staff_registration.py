"""In the browser, at 1280 and 320 pixels, with axe-core on every page: an
employee with no unit registers a phoned-in case with every new field (when
it came in, who passed it on, a scanned letter, a landline, a postal address,
the way the person wants an answer) and finds it in "Ärenden jag
registrerat"; the process owner changes a text of the start page and puts up
a service message, and both show on the portal."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from cases import deadlines
from cases.models import Attachment, Case
from cases.permissions import Role, ensure_groups
from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
LETTER = {
    "name": "inskannat-brev.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n",
}


def _user(email: str, role: str):
    ensure_groups()
    user = UserFactory(email=email, username=email, first_name="Vera", last_name="Vaktmästare")
    user.groups.add(Group.objects.get(name=role))
    user.totp_secret = activate_totp(user)
    return user


def _same_session(page, narrow_page) -> None:
    """The narrow window signed in as the wide one (a TOTP code is accepted once)."""
    narrow_page.context.add_cookies(page.context.cookies())


def _yesterday_working_day():
    day = deadlines.local_date(timezone.now()) - timedelta(days=1)
    while not deadlines.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _fill_registration(page, received) -> None:
    page.get_by_label("Telefon", exact=True).check()
    page.get_by_label("Datum").fill(received.isoformat())
    page.get_by_label("Klockslag").fill("14:20")
    page.get_by_label("En kollega").check()
    page.get_by_label("Vem förde det vidare?").fill("Kalle Karlsson, fritidsgården")
    page.get_by_label("Felanmälan").check()
    page.get_by_label("Ämnesområde").select_option(label="Lekplatser")
    page.get_by_label("Vad gäller det?").fill("Gungan på lekplatsen vid Dalbyvägen har gått sönder. Brevet bifogas.")
    page.get_by_label("Plats (valfritt)").fill("Dalbyvägen 12")
    page.get_by_label("Bilagor, till exempel ett skannat brev (valfritt)").set_input_files(LETTER)
    page.get_by_label("Namn (valfritt)").fill("Bertil Berg")
    page.get_by_label("Telefonnummer (valfritt)").fill("040-625 60 00")
    page.get_by_label("Postadress (valfritt)", exact=True).fill("Storgatan 1\n232 31 Arlöv")


def test_an_employee_registers_a_phoned_in_case_with_every_new_field(page, narrow_page):
    unit = UnitFactory(name="Park och natur")
    CategoryFactory(name="Lekplatser", default_unit=unit)
    employee = _user("vera@burlov.example", Role.EMPLOYEE)
    received = _yesterday_working_day()

    sign_in_staff(page, employee.email, PASSWORD, employee.totp_secret, next_url="/handlaggning/")
    page.wait_for_url("**/handlaggning/registrerade/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ärenden jag registrerat")
    assert_accessible(page, "my registrations, empty")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Registrera ett ärende").click()
    assert_accessible(page, "registration form")

    # First an answer by SMS to a landline: refused, with the typed text kept.
    _fill_registration(page, received)
    page.get_by_label("sms", exact=True).check()
    page.get_by_role("button", name="Registrera ärendet").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Sms kan bara skickas till ett mobilnummer")
    expect(summary).to_contain_text("Filerna du valde sparades inte")
    expect(page.get_by_label("Vad gäller det?")).to_have_value(
        "Gungan på lekplatsen vid Dalbyvägen har gått sönder. Brevet bifogas."
    )
    assert_accessible(page, "registration with errors")

    page.get_by_label("Telefonsamtal").check()
    page.get_by_label("Bilagor, till exempel ett skannat brev (valfritt)").set_input_files(LETTER)
    page.get_by_role("button", name="Registrera ärendet").click()
    page.wait_for_url("**/handlaggning/registrerade/")
    case = Case.objects.get()
    expect(page.get_by_role("status")).to_contain_text(f"Ärende {case.number} är registrerat")
    row = page.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text("Park och natur")
    expect(row).to_contain_text("Ny")
    assert_accessible(page, "my registrations")
    assert case.received_date == received and case.passed_on_by == Case.PassedOnBy.COLLEAGUE
    assert case.contact.phone == "+46406256000" and case.contact.preferred == "phone"
    assert Attachment.objects.get(case=case).original_name == "inskannat-brev.pdf"

    # 320 pixels wide: the same pages reflow, without scrolling sideways.
    _same_session(page, narrow_page)
    narrow_page.goto("/handlaggning/registrera/")
    assert_accessible(narrow_page, "registration form, 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.get_by_role("button", name="Registrera ärendet").click()
    expect(narrow_page.get_by_role("alert")).to_contain_text("Välj hur ärendet kom in.")
    assert_accessible(narrow_page, "registration with errors, 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.goto("/handlaggning/registrerade/")
    assert_accessible(narrow_page, "my registrations, 320 px")
    assert_no_horizontal_scroll(narrow_page)


def test_the_process_owner_edits_a_start_page_text_and_a_service_message(page, narrow_page):
    owner = _user("petra@burlov.example", Role.PROCESS_OWNER)

    sign_in_staff(page, owner.email, PASSWORD, owner.totp_secret, next_url="/handlaggning/")
    page.wait_for_url("**/handlaggning/innehall/")
    assert_accessible(page, "texts and guide")
    page.get_by_role("link", name="Startsidan: vad vi inte hanterar och vart man vänder sig").click()
    assert_accessible(page, "text edit")
    swedish = page.get_by_label("Svenska")
    swedish.fill("Vi tar **inte** emot anmälan om elavbrott.\n\n- Ring [nätbolaget](https://www.example.se/el)")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("region", name="Förhandsgranska")).to_contain_text("Vi tar inte emot anmälan om elavbrott.")
    assert_accessible(page, "text preview")
    page.get_by_role("button", name="Spara texten").click()
    expect(page.get_by_role("status")).to_contain_text("Texten är sparad.")

    page.goto("/handlaggning/innehall/driftmeddelanden/")
    assert_accessible(page, "service messages")
    page.get_by_role("link", name="Nytt driftmeddelande").click()
    page.get_by_label("Svenska").fill("Stormskador: vi vet om de fallna träden och röjer så fort vi kan.")
    assert_accessible(page, "new service message")
    page.get_by_role("button", name="Spara driftmeddelandet").click()
    expect(page.get_by_role("status")).to_contain_text("Driftmeddelandet är sparat.")
    assert_accessible(page, "service messages with one")

    page.goto("/")
    expect(page.get_by_role("region", name="Driftinformation")).to_contain_text("Stormskador")
    expect(page.get_by_role("main")).to_contain_text("Vi tar inte emot anmälan om elavbrott.")
    expect(page.get_by_role("link", name="nätbolaget")).to_have_attribute("href", "https://www.example.se/el")
    assert_accessible(page, "portal start with the new text and the service message")

    _same_session(page, narrow_page)
    narrow_page.goto("/handlaggning/innehall/texter/start_handled/")
    assert_accessible(narrow_page, "text edit, 320 px")
    assert_no_horizontal_scroll(narrow_page)
    narrow_page.goto("/")
    assert_accessible(narrow_page, "portal start, 320 px")
    assert_no_horizontal_scroll(narrow_page)
