"""Every public page scores 100 in Lighthouse's four categories
(performance, accessibility, best practices, SEO) with its mobile defaults,
served as in production: gunicorn with kontakt.settings, DEBUG off, the
static files collected and served by WhiteNoise, Debian's Chromium.

Lighthouse comes from the npm registry, pinned in lighthouse/package.json
and its lock (`npm ci --prefix lighthouse`; .ci/run does it). Outside CI the
test is skipped when it is not installed; in CI a skip fails the run.

Performance is measured by Lighthouse's simulation of a slow phone, from a
trace of the real page load: a machine busy with other work makes the page's
own work look slower (Lighthouse warns that "the tested device appears to
have a slower CPU than Lighthouse expects"), and Lighthouse sometimes fails
to record the trace (NO_NAVSTART). So each page gets up to three runs and
passes when one of them scores 100 in all four. The first run uses the
defaults; when it falls short on a machine slower than Lighthouse's
defaults assume (its benchmark index under 1000), the next runs calibrate
the CPU slowdown to that index, as Lighthouse's throttling documentation
advises, so that the simulated phone stays the same phone. The other three
categories are the same in every run.

Lighthouse refuses to audit a page whose status is an error ("unable to
reliably load the page", status 404), so the error pages (404, 405, 400),
served by the same server, are put through the same audits as Playwright
checks: favicon found, no console error but the page's own status, a
title, a meta description, a viewport, the language, links with words,
nothing that keeps crawlers out, and axe-core's accessibility rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings

from bench.servers import free_port, wait_for
from cases import demo
from cases.models import Case, Category
from portal.defaults import ensure_pages
from portal.receipts import Receipts, cookie_value
from tests.conftest import LIGHTHOUSE, chromium_path
from tests.e2e.conftest import assert_accessible
from tests.factories import register_case
from tests.integration.cases.helpers import contact
from tests.integration.notifications.servers import database_url_for_subprocess

BASE_DIR = Path(__file__).resolve().parents[2]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Lighthouse's mobile CPU slowdown and the benchmark index it assumes of
# the machine that runs it (below it, it warns of a slow CPU).
CPU_SLOWDOWN = 4.0
EXPECTED_BENCHMARK_INDEX = 1000.0


@dataclass
class Report:
    url: str
    scores: dict[str, float | None]
    failed: dict[str, list[str]]  # category: the audits below full marks
    error: str
    benchmark_index: float = 0.0
    cpu_slowdown: float = CPU_SLOWDOWN

    def perfect(self) -> bool:
        return not self.error and all(self.scores.get(c) == 1 for c in CATEGORIES)

    def __str__(self) -> str:
        text = f"{self.url}: " + ", ".join(f"{c} {self.scores.get(c)}" for c in CATEGORIES)
        text += f" (benchmark index {self.benchmark_index:.0f}, CPU slowdown {self.cpu_slowdown:g})"
        if self.error:
            text += f" (Lighthouse: {self.error})"
        return text + "".join(f"\n    {c}: {', '.join(a)}" for c, a in self.failed.items() if a)


def lighthouse(url: str, *, headers: dict[str, str] | None = None, cpu_slowdown: float = CPU_SLOWDOWN) -> Report:
    """One run of Lighthouse's CLI with its defaults (a mobile phone,
    simulated throttling)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--max-wait-for-load=60000",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    if cpu_slowdown != CPU_SLOWDOWN:
        command.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown:g}")
    env = {**os.environ, "CHROME_PATH": chromium_path() or ""}
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, env=env, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        failed_run = {c: [] for c in CATEGORIES}
        return Report(url, {}, failed_run, f"exit {done.returncode}: {done.stderr[-500:]}", cpu_slowdown=cpu_slowdown)
    result = json.loads(done.stdout)
    failed: dict[str, list[str]] = {}
    for category in CATEGORIES:
        refs = result["categories"][category]["auditRefs"]
        failed[category] = [
            ref["id"]
            for ref in refs
            if result["audits"][ref["id"]].get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            and (result["audits"][ref["id"]].get("score") or 0) < 1
            and (ref.get("weight", 0) > 0 or result["audits"][ref["id"]].get("scoreDisplayMode") == "binary")
        ]
    error = (result.get("runtimeError") or {}).get("message", "")
    scores = {c: result["categories"][c]["score"] for c in CATEGORIES}
    index = float(result.get("environment", {}).get("benchmarkIndex") or 0)
    return Report(url, scores, failed, error, benchmark_index=index, cpu_slowdown=cpu_slowdown)


def best_of(url: str, *, headers: dict[str, str] | None = None) -> Report:
    reports: list[Report] = []
    cpu_slowdown = CPU_SLOWDOWN
    for _ in range(RUNS):
        report = lighthouse(url, headers=headers, cpu_slowdown=cpu_slowdown)
        if report.perfect():
            return report
        reports.append(report)
        if 0 < report.benchmark_index < EXPECTED_BENCHMARK_INDEX:
            calibrated = CPU_SLOWDOWN * report.benchmark_index / EXPECTED_BENCHMARK_INDEX
            cpu_slowdown = max(1.0, round(calibrated, 1))
    raise AssertionError("Lighthouse below 100:\n" + "\n".join(str(r) for r in reports))


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """collectstatic as the Dockerfile runs it (DEBUG off: WhiteNoise's
    compressed files)."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "false", "STATIC_ROOT": str(root), "DJANGO_SETTINGS_MODULE": "kontakt.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    return root


@pytest.fixture
def production_server(static_root, tmp_path) -> Iterator[str]:
    """gunicorn with the production settings on the test database."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kontakt.settings",
        "DEBUG": "false",
        "KONTAKT_DEV_IDP": "false",
        "KONTAKT_DEMO": "false",
        # The test's own key: the receipt's session is signed with it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url_for_subprocess(),
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
        # The citizen sign-in as in production: a broker is configured (it
        # is never contacted while the page is only shown).
        "KONTAKT_OIDC_CLIENT_ID": "kontakt",
        "KONTAKT_OIDC_CLIENT_SECRET": "not-used-by-this-check",
        "KONTAKT_OIDC_SERVER_URL": "https://eid.example.se/oidc",
    }
    env.pop("REDIS_URL", None)
    log = open(tmp_path / "gunicorn.log", "wb")  # closed below
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "kontakt.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url), timeout=60, what="gunicorn")
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def receipt_cookie() -> tuple[str, dict[str, str]]:
    """A case sent from the form and the receipts cookie of the browser that
    sent it: the receipt is shown only there. The server runs over plain
    HTTP, so the cookie has no __Host- prefix."""
    category = Category.objects.filter(is_active=True).order_by("position").first()
    case = register_case(
        category=category,
        contact=contact(),
        channel=Case.Channel.WEB,
        description="Gatlampan utanför Storgatan 12 har varit släckt i en vecka.",
    )
    receipts = Receipts().adding(case.public_id)
    return f"/kvitto/{case.public_id}/", {"Cookie": f"kontakt_receipts={cookie_value(receipts)}"}


@pytest.mark.lighthouse
def test_every_public_page_scores_100(production_server):
    demo.load_organisation()
    ensure_pages()
    pages = [
        "/",
        "/lamna/",
        "/lamna/fraga/",
        "/lamna/felanmalan/",
        "/om/tillganglighet/",
        "/om/personuppgifter/",
        "/mina-sidor/logga-in/",
    ]
    for path in pages:
        report = best_of(production_server + path)
        assert all(report.scores[c] == 1 for c in CATEGORIES), report


@pytest.mark.lighthouse
def test_the_receipt_scores_100(production_server):
    demo.load_organisation()
    receipt, cookie = receipt_cookie()
    url = production_server + receipt
    assert requests.get(url, headers=cookie, timeout=10).status_code == 200
    report = best_of(url, headers=cookie)
    assert all(report.scores[c] == 1 for c in CATEGORIES), report


# Lighthouse's mobile screen.
MOBILE = {"width": 412, "height": 823}
# Link texts Lighthouse's SEO audit ("Links do not have descriptive text") refuses.
VAGUE_LINK_TEXTS = {"klicka här", "här", "läs mer", "mer", "click here", "here", "read more", "more", "link", "länk"}


@pytest.mark.parametrize(
    ("path", "status"),
    [("/finns-inte/", 404), ("/mina-sidor/logga-ut/", 405), ("/om/tillganglighet/?q=%00", 400)],
)
def test_the_error_pages_pass_the_same_audits(production_server, browser, path, status):
    context = browser.new_context(viewport=MOBILE, locale="sv-SE")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text} ({m.location.get('url', '')})"))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    resources: dict[str, int] = {}
    page.on("response", lambda r: resources.__setitem__(r.url, r.status))
    try:
        url = production_server + path
        response = page.goto(url)
        assert response is not None and response.status == status
        page.wait_for_load_state("networkidle")
        # Best practices: the only error in the console is the page's own status.
        errors = [m for m in console if m.startswith("error:") and f"status of {status}" not in m]
        assert errors == [], errors
        assert failed == [], failed
        others = {u: s for u, s in resources.items() if u != url}
        assert others and all(s == 200 for s in others.values()), others
        icons = [u for u in others if "favicon" in u]
        assert icons, f"no favicon was fetched: {sorted(others)}"
        # SEO: title, description, viewport, language, crawlable, link texts.
        assert page.title().strip()
        description = page.locator('meta[name="description"]').get_attribute("content") or ""
        assert len(description.strip()) > 20, description
        viewport = page.locator('meta[name="viewport"]').get_attribute("content") or ""
        assert "width=device-width" in viewport and "initial-scale=1" in viewport
        assert page.locator("html").get_attribute("lang") == "sv"
        assert page.locator('meta[name="robots"]').count() == 0
        assert page.evaluate("document.doctype && document.doctype.name") == "html"
        assert page.evaluate("document.characterSet") == "UTF-8"
        for link in page.locator("a[href]").all():
            href = link.get_attribute("href") or ""
            text = " ".join(link.inner_text().split()).lower()
            assert not href.startswith("javascript:"), href
            assert text and text not in VAGUE_LINK_TEXTS, (href, text)
        assert_accessible(page, f"{status} page, {MOBILE['width']} px")
    finally:
        context.close()
