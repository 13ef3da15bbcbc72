"""The one way Kontakt makes and keeps the tokens of private links (the
satisfaction survey's link, the tracking link): random, from the operating
system's generator (secrets.token_urlsafe), and stored only as their
SHA-256 hash, so a copy of the database opens no link."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 24
# Longer input is no token of ours: refused before it is hashed.
TOKEN_MAX_CHARS = 100


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_plausible(token: str) -> bool:
    return bool(token) and len(token) <= TOKEN_MAX_CHARS
