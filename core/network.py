"""The client's address, decided in one place for every limit that counts
per address (the public form's rate limit, the staff sign-in throttle)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when Kontakt runs behind
    a reverse proxy (BEHIND_PROXY) that sets (not appends to) that header."""
    if settings.KONTAKT_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.META.get("REMOTE_ADDR", "") or "unknown"
