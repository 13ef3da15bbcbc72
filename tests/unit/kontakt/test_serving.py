"""How production serves pages: gunicorn's settings (gunicorn.conf.py) and
templates compiled once per process (Django's cached template loader)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def gunicorn_config(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_runs_two_synchronous_workers_per_core(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["workers"] == 2 * len(os.sched_getaffinity(0))
    assert config["threads"] == 1


def test_gunicorn_workers_and_threads_can_be_set(monkeypatch):
    config = gunicorn_config(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="2")
    assert (config["workers"], config["threads"]) == (3, 2)


def test_the_image_starts_gunicorn_with_that_file():
    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD"))
    assert '"--config", "gunicorn.conf.py"' in cmd


def test_templates_are_compiled_once_per_process_in_production():
    read = (
        "import django; django.setup(); from django.template import engines; "
        "e = engines['django'].engine; print(e.debug, e.loaders[0][0])"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kontakt.settings",
        "KONTAKT_DEV_IDP": "false",
        "DEBUG": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", read], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "django.template.loaders.cached.Loader"]
