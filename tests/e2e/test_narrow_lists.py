"""At 320 px every list of the back office and Mina sidor reads as one block
per case: no page scrolls sideways, nothing scrolls inside it, and no word in
a cell or list item is broken over two lines."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.models import Case
from cases.permissions import Role, ensure_groups
from tests.e2e.conftest import assert_no_horizontal_scroll
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.e2e.test_failed_messages import failed_receipt, smtp  # noqa: F401  (fixtures)
from tests.e2e.test_mina_sidor import sign_in_as
from tests.factories import CategoryFactory, UnitFactory, UserFactory, member, register_case
from tests.integration.accounts.conftest import dev_idp  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"

# Each word of each visible text in a cell or list item: its Range has one
# box per line it sits on, so a word broken over two lines has two.
BROKEN_WORDS = """
() => {
  const broken = [];
  const cells = document.querySelectorAll("main td, main th, main li, main dd, main dt, header li, footer li");
  for (const cell of cells) {
    if (cell.closest("thead, .visually-hidden") || cell.getClientRects().length === 0) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest(".visually-hidden") || parent.getClientRects().length === 0) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = [...range.getClientRects()].filter((r) => r.width > 0);
        if (lines.length > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""

# Elements that scroll sideways inside the page (a table in a scroll box).
SCROLLING_INSIDE = """
() => [...document.querySelectorAll("main *")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .map((el) => el.tagName + "." + el.className)
"""


def assert_reads_on_a_phone(page, what: str) -> None:
    assert_no_horizontal_scroll(page)
    assert page.evaluate(SCROLLING_INSIDE) == [], f"{what}: something scrolls sideways inside the page"
    assert page.evaluate(BROKEN_WORDS) == [], f"{what}: words broken over two lines"


def test_back_office_lists_read_top_to_bottom_at_320_pixels(narrow_page, failed_receipt):  # noqa: F811
    ensure_groups()
    unit = UnitFactory(name="Samhällsbyggnadsförvaltningen")
    category = CategoryFactory(name="Gatubelysning och trafiksignaler", default_unit=unit)
    officer = member(UserFactory(first_name="Olle", last_name="Officersson"), unit)
    cases = [
        register_case(
            category=category,
            kind=Case.Kind.FAULT_REPORT,
            description=f"Gatlampan utanför Storgatan {n} är trasig sedan förra veckan.",
            contact=services.ContactData(name="Anna Andersson", email="anna@example.se", phone="+46701234567"),
        )
        for n in range(3)
    ]
    services.case_assign(case=cases[0], assignee=officer, by=officer)
    admin = UserFactory(email="ada@burlov.example", username="ada@burlov.example")
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    secret = activate_totp(admin)
    number = cases[0].number
    sign_in_staff(narrow_page, admin.email, PASSWORD, secret, next_url="/handlaggning/arenden/?queue=new")

    pages = {
        "new cases": "/handlaggning/arenden/?queue=new",
        "all open cases": "/handlaggning/arenden/?queue=open",
        "search": "/handlaggning/arenden/?q=Storgatan",
        "case page": f"/handlaggning/arenden/{number}/",
        "register": "/handlaggning/registrera/",
        "failed messages": "/notiser/misslyckade/",
        "access log": f"/handlaggning/handlingar/arenden/{number}/atkomstlogg/",
        "secrecy": f"/handlaggning/handlingar/arenden/{number}/sekretess/",
        "release": f"/handlaggning/handlingar/arenden/{number}/utlamnande/",
        "person search": "/admin-verktyg/registerutdrag/",
    }
    for what, url in pages.items():
        narrow_page.goto(url)
        assert narrow_page.locator("h1").count() == 1, what
        assert_reads_on_a_phone(narrow_page, what)
    expect(narrow_page.locator("body")).not_to_contain_text("Sidan finns inte")

    # The queue: one block per case, the number first and the status in words.
    narrow_page.goto("/handlaggning/arenden/?queue=open")
    row = narrow_page.locator("tbody tr", has_text=number)
    box = row.bounding_box()
    assert box is not None and box["width"] <= 320
    expect(row).to_contain_text(re.compile(r"Status\s+Pågår"))
    # Screen readers still meet a table row whose cells have no visible labels in them.
    expect(row.get_by_role("cell", name="Pågår", exact=True)).to_have_count(1)

    # The person search with results.
    narrow_page.goto("/admin-verktyg/registerutdrag/")
    narrow_page.get_by_label("E-postadress (valfritt)").fill("anna@example.se")
    narrow_page.get_by_role("button", name="Sök").click()
    expect(narrow_page.locator("tbody tr").first).to_be_visible()
    assert_reads_on_a_phone(narrow_page, "person search results")


def test_mina_sidor_lists_read_top_to_bottom_at_320_pixels(narrow_page, dev_idp):  # noqa: F811
    sign_in_as(narrow_page, re.compile("^Karim Haddad"))
    expect(narrow_page.locator("h1")).to_have_text("Mina sidor")
    citizen = User.objects.get(kind=User.Kind.CITIZEN, is_active=True)
    category = CategoryFactory(name="Gatubelysning och trafiksignaler")
    for kind in (Case.Kind.FAULT_REPORT, Case.Kind.QUESTION, Case.Kind.FEEDBACK):
        register_case(citizen=citizen, category=category, kind=kind)
    narrow_page.reload()
    expect(narrow_page.locator("tbody tr")).to_have_count(3)
    assert_reads_on_a_phone(narrow_page, "Mina sidor")
    narrow_page.locator("tbody tr").first.get_by_role("link").click()
    assert_reads_on_a_phone(narrow_page, "a case on Mina sidor")
    narrow_page.goto("/mina-sidor/installningar/")
    assert_reads_on_a_phone(narrow_page, "settings")
