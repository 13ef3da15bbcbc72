"""The browser's own receipts: which receipt pages this browser may see,
and the id its submissions are counted by (portal/ratelimit.py), kept in a
signed cookie rather than in a database session.

The cookie holds a random browser id and the public ids of the last
RECEIPTS_KEPT cases sent from it (with the tracking link's token of each
case sent without signing in), signed with SECRET_KEY (django.core
.signing), so it cannot be forged or altered; it lasts until the browser
closes, and a signature older than SESSION_COOKIE_AGE is refused. Nothing
is written to the database for it: a submission costs no session row, and
the receipt page no session read (README, "Public intake under load")."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

SALT = "portal.receipts"
RECEIPTS_KEPT = 20


def cookie_name() -> str:
    # Over HTTPS with the __Host- prefix, like the session and CSRF cookies.
    return "__Host-kontakt_receipts" if settings.SESSION_COOKIE_SECURE else "kontakt_receipts"


@dataclass(frozen=True)
class Receipts:
    browser: str = field(default_factory=lambda: secrets.token_hex(16))
    public_ids: tuple[str, ...] = ()
    # The tracking link's token of each case sent without signing in, by
    # public id: the receipt page shows the link (cases/tracking.py); the
    # database has only its hash.
    tokens: tuple[tuple[str, str], ...] = ()

    def shows(self, public_id: object) -> bool:
        return str(public_id) in self.public_ids

    def token_of(self, public_id: object) -> str:
        return dict(self.tokens).get(str(public_id), "")

    def adding(self, public_id: object, token: str = "") -> Receipts:
        public_ids = (*self.public_ids, str(public_id))[-RECEIPTS_KEPT:]
        tokens = (*self.tokens, (str(public_id), token)) if token else self.tokens
        return Receipts(self.browser, public_ids, tuple((p, t) for p, t in tokens if p in public_ids))


def cookie_value(receipts: Receipts) -> str:
    return signing.dumps(
        {"b": receipts.browser, "r": list(receipts.public_ids), "t": dict(receipts.tokens)}, salt=SALT, compress=True
    )


def receipts_of(request: HttpRequest) -> Receipts:
    """The browser's receipts from its cookie; a new, empty set with a new
    browser id when it has none, or one that is forged, altered or too old."""
    cached = getattr(request, "_kontakt_receipts", None)
    if cached is not None:
        return cached
    receipts = Receipts()
    value = request.COOKIES.get(cookie_name())
    if value:
        try:
            data = signing.loads(value, salt=SALT, max_age=settings.SESSION_COOKIE_AGE)
        except signing.BadSignature:
            data = None
        if (
            isinstance(data, dict)
            and isinstance(data.get("b"), str)
            and isinstance(data.get("r"), list)
            and all(isinstance(i, str) for i in data["r"])
        ):
            public_ids = tuple(data["r"][-RECEIPTS_KEPT:])
            tokens = data.get("t")
            kept: tuple[tuple[str, str], ...] = ()
            if isinstance(tokens, dict):
                kept = tuple(
                    (p, t) for p, t in tokens.items() if p in public_ids and isinstance(t, str) and len(t) <= 100
                )
            receipts = Receipts(data["b"], public_ids, kept)
    request._kontakt_receipts = receipts  # type: ignore[attr-defined]  # read once per request
    return receipts


def receipts_store(response: HttpResponseBase, receipts: Receipts) -> None:
    """Send the receipts to the browser: a cookie that ends when it closes."""
    response.set_cookie(
        cookie_name(),
        cookie_value(receipts),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
        path="/",
    )
