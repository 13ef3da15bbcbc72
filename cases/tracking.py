"""The tracking link: a private link to a status page for a sender who was
not signed in (the signed-in follow their cases on Mina sidor).

The link is /folj/<case number>/<token>/. Its token is random
(cases.tokens, 24 bytes) and only its SHA-256 hash is kept, in the case's
own row (Case.tracking_token_hash), written with the row at registration,
so registering costs no extra statement. The token itself is known only to
the request that registered the case (which puts it on the receipt page)
and to the messages that carry it: the receipt, a question to the sender
(which makes a new link and so ends the earlier one) and a new link sent
by staff. Staff who may work on the case revoke it; disposal empties it.
A token that is unknown, revoked, replaced or of another case opens
nothing, and nothing tells which (portal/tracking.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from cases.models import Case
from cases.tokens import token_hash, token_new, token_plausible


def tracking_url(case: Case, token: str) -> str:
    return settings.SITE_URL + reverse("portal:tracking", kwargs={"number": case.number, "token": token})


def tracking_token_set(case: Case) -> str:
    """A new token for the case (unsaved): its hash on the case, the token
    itself in memory (Case.tracking_token) for the one request and message
    that hand it to the sender."""
    token = token_new()
    case.tracking_token_hash = token_hash(token)
    case.tracking_token = token
    return token


def case_by_tracking_token(*, number: str, token: str) -> Case | None:
    """The case a tracking link opens, with what its page reads; None for a
    token that is unknown, revoked, replaced or of another case."""
    if not token_plausible(token) or len(number) > 30:
        return None
    case = (
        Case.objects.select_related("category", "unit", "contact", "duplicate_of", "excluded_matter")
        .filter(tracking_token_hash=token_hash(token))
        .first()
    )
    if case is None or case.number != number:
        return None
    return case


def shows_token(case: Case, token: str) -> bool:
    """The token is the case's link now (not revoked or replaced)."""
    return bool(token) and case.tracking_token_hash == token_hash(token)
