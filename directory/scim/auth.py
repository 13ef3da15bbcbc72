"""Bearer tokens of the SCIM client. Only SHA-256 digests are kept: in
KONTAKT_SCIM_TOKEN_SHA256 and in ProvisioningToken rows made in the admin."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from directory.models import ProvisioningToken

TOKEN_BYTES = 32


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> str:
    """A new random token (shown once, never stored)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def request_authorized(request: HttpRequest) -> bool:
    token = bearer_token(request)
    if not token:
        return False
    wanted = digest(token)
    for configured in settings.KONTAKT_SCIM_TOKEN_SHA256:
        if hmac.compare_digest(wanted, configured.strip().lower()):
            return True
    row = ProvisioningToken.objects.filter(digest=wanted, is_active=True).first()
    if row is None:
        return False
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ProvisioningToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return True
