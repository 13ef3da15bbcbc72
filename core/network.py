"""The client's address, in one place: the public form's rate limit, the
staff sign-in throttle (allauth, through accounts.adapters) and the logs all
read it from here."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a reverse proxy (BEHIND_PROXY), the address
    PROXY_HOPS entries from the right of X-Forwarded-For. Only our own proxies
    append to that header, so the entries to their left are whatever the
    client sent and are never trusted. With fewer entries than hops the
    leftmost one is taken (it was written by the proxy the client reached)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "unknown"
    if not settings.KONTAKT_BEHIND_PROXY:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    chosen = hops[-settings.KONTAKT_PROXY_HOPS] if len(hops) >= settings.KONTAKT_PROXY_HOPS else hops[0]
    return _valid(chosen) or remote
