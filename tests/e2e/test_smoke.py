import pytest

from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accessibility_statement_page_is_accessible(page):
    page.goto("/om/tillganglighet/")
    assert page.locator("h1").inner_text() == "Tillgänglighetsredogörelse"
    assert_accessible(page)
