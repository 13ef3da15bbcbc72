"""Browser tests: Debian's Chromium driven by Playwright against Django's live
server, with axe-core checking every page the journey visits."""

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import chromium_path
from tests.integration.notifications.servers import smtp_server

# Assertions wait for the page to show what they look for (a click that
# navigates returns before the next page is there); a loaded CI machine may
# need more than Playwright's default five seconds.
expect.set_options(timeout=20_000)

# Playwright's sync API runs an event loop in this thread; the test code's
# own ORM calls are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


# Every page reports Content-Security-Policy violations to the test: the
# browser's securitypolicyviolation event (recorded by an init script in
# every frame) and its console messages about the policy.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def watch_csp(context) -> list[str]:
    """The CSP violations of every page of the context, collected as they happen."""
    violations: list[str] = []
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            violations.append(f"{message.page.url if message.page else ''}: {text}")

    context.on("console", on_console)
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
    violations = watch_csp(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def narrow_page(browser, live_server):
    """A 320 px wide window, to check reflow."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 320, "height": 800})
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def smtp(settings, live_server):
    """A real SMTP server on loopback with Django's SMTP backend pointed at
    it, and SITE_URL at the live server, so the links in the e-mails open
    there."""
    with smtp_server() as (controller, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.SITE_URL = live_server.url
        yield handler


def assert_accessible(page, context: str = ""):
    """axe-core (WCAG 2.0/2.1 A and AA rules) finds no violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    violations = results.response["violations"]
    detail = "\n".join(
        f"- {v['id']}: {v['help']} ({len(v['nodes'])} nodes) e.g. {v['nodes'][0]['html'][:200]}" for v in violations
    )
    assert not violations, f"axe-core violations on {context or page.url}:\n{detail}"


def assert_no_horizontal_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px window"
