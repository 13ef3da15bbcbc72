"""The container's HEALTHCHECK (Dockerfile): GET /healthz from the gunicorn in
the same container. Exit status 0 when it answers 200, 1 otherwise.

The request names a host from ALLOWED_HOSTS, so Django accepts it; /healthz is
exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT)."""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def host() -> str:
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = entry.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host()})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health check failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
