"""The ID token, kept in the session only to end the broker's session at
sign-out (OpenID Connect RP-initiated logout, id_token_hint). The token
carries the personal number in clear, so it is kept encrypted with a key
derived from SECRET_KEY, and discarded at sign-out."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SESSION_KEY = "kontakt_oidc_logout_hint"


def _fernet() -> Fernet:
    key = salted_hmac("kontakt.citizen.logout-hint", "fernet", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def keep(request: HttpRequest, id_token: str) -> None:
    request.session[SESSION_KEY] = _fernet().encrypt(id_token.encode()).decode()


def take(request: HttpRequest) -> str:
    """The ID token, removed from the session; "" when there is none."""
    sealed = request.session.pop(SESSION_KEY, "")
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""
