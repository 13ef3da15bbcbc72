"""Failed staff sign-ins, counted per account. A wrong password and a wrong
TOTP code count alike; after KONTAKT_SIGNIN_FREE_FAILURES failures the account
is locked for KONTAKT_SIGNIN_LOCK_SECONDS, doubling with every further
failure up to KONTAKT_SIGNIN_LOCK_MAX_SECONDS. A complete sign-in (password
and code) clears the count.

The per-address ceiling, much higher, is allauth's "login_failed" rate
(ACCOUNT_RATE_LIMITS), with the address from core.network.client_address.
Both live in the cache (Redis in production), shared by every web process."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# The count of failures is forgotten a day after the last one.
FAILURES_KEPT_SECONDS = 24 * 3600


def _key(kind: str, account: str) -> str:
    # Hashed: the cache holds no readable e-mail addresses.
    return f"accounts:signin:{kind}:" + hashlib.sha256(account.strip().lower().encode()).hexdigest()[:40]


def lock_seconds(failures: int) -> int:
    """How long the account is locked after this many failures in a row."""
    over = failures - settings.KONTAKT_SIGNIN_FREE_FAILURES
    if over < 0:
        return 0
    return min(settings.KONTAKT_SIGNIN_LOCK_SECONDS * 2 ** min(over, 30), settings.KONTAKT_SIGNIN_LOCK_MAX_SECONDS)


def account_locked(account: str) -> bool:
    until = cache.get(_key("locked", account))
    return until is not None and until > time.time()


def account_failure_record(account: str) -> None:
    failures_key = _key("failures", account)
    cache.add(failures_key, 0, timeout=FAILURES_KEPT_SECONDS)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, timeout=FAILURES_KEPT_SECONDS)
        failures = 1
    cache.touch(failures_key, FAILURES_KEPT_SECONDS)
    seconds = lock_seconds(failures)
    if seconds:
        cache.set(_key("locked", account), time.time() + seconds, timeout=seconds)


def account_failures_clear(account: str) -> None:
    cache.delete_many([_key("failures", account), _key("locked", account)])
