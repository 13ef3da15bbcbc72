import pytest

from tests.e2e.conftest import assert_accessible, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accessibility_statement_page_is_accessible(page):
    page.goto("/om/tillganglighet/")
    assert page.locator("h1").inner_text() == "Tillgänglighetsredogörelse"
    assert_accessible(page)


def test_the_csp_watch_sees_an_inline_script_the_policy_blocks(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    violations = watch_csp(context)
    page = context.new_page()
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.x") is None
    context.close()
    assert violations and "script-src" in violations[0]
