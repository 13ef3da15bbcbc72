"""The per-address submission limit of the public form (Django's cache, so
it holds across web processes when the cache is Redis)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_address(request) -> str:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when Kontakt runs
    behind a reverse proxy that sets that header (KONTAKT_BEHIND_PROXY)."""
    if settings.KONTAKT_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(address: str) -> str:
    # The address is hashed so the cache holds no readable addresses.
    return "portal:submissions:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _recent(key: str, now: float) -> list[float]:
    return [t for t in (cache.get(key) or []) if now - t < WINDOW_SECONDS]


def submission_allowed(request) -> bool:
    """True while the address has sent fewer than KONTAKT_SUBMISSIONS_PER_HOUR
    submissions in the last hour (a sliding window)."""
    return len(_recent(_key(client_address(request)), time.time())) < settings.KONTAKT_SUBMISSIONS_PER_HOUR


def submission_record(request) -> None:
    key, now = _key(client_address(request)), time.time()
    cache.set(key, [*_recent(key, now), now], timeout=WINDOW_SECONDS)
