"""Second factor for staff. allauth asks for the TOTP code at sign-in when the
user has an authenticator; the back office additionally requires that the
session actually passed that step, so no other way of signing in (the admin's
own form, a forced login) reaches a case with a password alone."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

MFA_METHOD = "mfa"


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    return any(r.get("method") == MFA_METHOD for r in get_authentication_records(request, request.user))


def record_mfa(request: HttpRequest, user: Any, authenticator: Authenticator | None = None) -> None:
    """Note in the session that the second factor was just proven (used when
    the user activates TOTP: entering a valid code is that proof). It counts
    as a fresh re-authentication too, so the recovery codes created with the
    authenticator are shown straight away instead of asking for the
    password a second time within a minute."""
    record_authentication(
        request, user, MFA_METHOD, type="totp", id=getattr(authenticator, "pk", None), reauthenticated=True
    )
