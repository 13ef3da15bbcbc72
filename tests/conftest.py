"""Shared fixtures and the rule for missing parts: outside CI, a test whose
part (PostgreSQL, Redis, Chromium) is missing on the machine is skipped with
a plain reason; in CI (CI=true) any skip fails the run."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Lighthouse from the npm registry, pinned in lighthouse/package-lock.json.
LIGHTHOUSE = Path(__file__).resolve().parent.parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"

# Property-based tests (hypothesis): "ci", the default, runs a few hundred
# derandomized examples per test so that every run is the same; `make fuzz`
# chooses "fuzz": 10,000 fresh random examples per test (README, "Security").
# The client and database fixtures are shared across a test's examples on
# purpose; each example counts what it stored itself.
_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
hypothesis_settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, suppress_health_check=_HEALTH
)
hypothesis_settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=_HEALTH)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def chromium_path() -> str | None:
    return (
        os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def pytest_collection_modifyitems(config, items):
    reasons = {}
    if not settings.USES_POSTGRES:
        reasons["postgres"] = "needs PostgreSQL: set DATABASE_URL=postgres://… to run it"
    if not os.environ.get("KONTAKT_TEST_REDIS_URL") or not shutil.which("redis-server"):
        reasons["redis"] = "needs Redis: set KONTAKT_TEST_REDIS_URL and install redis-server to run it"
    if not chromium_path():
        reasons["browser"] = "needs Chromium: install Debian's chromium package to run it"
    if not LIGHTHOUSE.exists():
        reasons["lighthouse"] = "needs Lighthouse: run `npm ci --prefix lighthouse` (Node.js and npm) to run it"
    for item in items:
        for marker, reason in reasons.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"part missing: {reason}"))


def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} test(s) skipped; in CI nothing may hide behind a skip.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True, scope="session")
def _broker_in_memory():
    """Tasks dispatched after commit go to an in-process broker, never to the
    developer's var/broker. Tests that need a real worker point the app at
    their own Redis (tests/integration/notifications/servers.py)."""
    from kontakt.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "memory://"
    yield
    app.conf.broker_url = old


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from core import cache as core_cache

    cache.clear()
    # A test that stopped the cache does not leave the next one without it.
    core_cache._resting_until = 0.0
    yield


@pytest.fixture
def organisation(db):
    """Burlöv-shaped departments, units and categories."""
    from cases import demo

    demo.load_organisation()
    return demo
