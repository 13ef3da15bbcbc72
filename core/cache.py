"""The cache as a shortcut only, never as a part a page needs: what is kept
here can always be worked out again from the database.

`cached(key, compute)` answers from the cache when it can and otherwise
computes (and keeps) the value; `forget(*keys)` drops values after a change.
When the cache fails (Redis stopped, unreachable or slow) a read counts as a
miss and a write or delete is skipped, and this process leaves the cache
alone for CACHE_REST_SECONDS, so an outage costs one failed attempt per
process every so often rather than a timeout on every request. Values are
kept at most `timeout` seconds, which bounds how stale one can be after a
change whose `forget` fell into an outage."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

log = logging.getLogger(__name__)

V = TypeVar("V")

# After a failure, this process does not try the cache again for this long.
CACHE_REST_SECONDS = 30.0

_MISSING = object()
_resting_until = 0.0


def _available() -> bool:
    return time.monotonic() >= _resting_until


def _failed(action: str, error: Exception) -> None:
    global _resting_until
    _resting_until = time.monotonic() + CACHE_REST_SECONDS
    log.warning("cache: %s failed (%s); going without it for %d s", action, type(error).__name__, CACHE_REST_SECONDS)


def cached(key: str, compute: Callable[[], V], *, timeout: int) -> V:
    """The value under key, or compute() kept there for timeout seconds."""
    if _available():
        try:
            value = cache.get(key, _MISSING)
        except Exception as error:
            _failed("read", error)
        else:
            if value is not _MISSING:
                return value
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except Exception as error:
                _failed("write", error)
            return value
    return compute()


def forget(*keys: str) -> None:
    """Drop these keys; a failure is logged, and the values age out."""
    if not keys:
        return
    try:
        cache.delete_many(list(keys))
    except Exception as error:
        _failed("delete", error)
