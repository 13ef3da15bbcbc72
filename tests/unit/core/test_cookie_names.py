"""Over HTTPS the session and CSRF cookies carry the __Host- prefix; over
plain HTTP (development) they cannot, since browsers then refuse them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN)"
)


def cookie_settings(**env: str) -> list[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kontakt.settings", "KONTAKT_DEV_IDP": "false", **env}
    result = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_https_cookies_are_host_prefixed_with_path_slash_and_no_domain():
    assert cookie_settings(DEBUG="false", SITE_URL="https://kontakt.example.se") == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "/",
        "None",
    ]


def test_plain_http_keeps_the_usual_names():
    assert cookie_settings(DEBUG="true", SITE_URL="http://127.0.0.1:8000")[:2] == ["sessionid", "csrftoken"]
