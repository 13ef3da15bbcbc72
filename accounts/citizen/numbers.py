"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer) as the e-identification profile delivers them: twelve
digits, YYYYMMDDNNNN. Kontakt keeps only a keyed hash and a masked form."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.encoding import force_bytes
from personnummer import personnummer

TWELVE_DIGITS = re.compile(r"^\d{12}$")


class InvalidNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdentityNumber:
    kind: str  # "personnummer" or "samordningsnummer"
    hash: str
    masked: str


def hash_key() -> bytes:
    key = settings.KONTAKT_PIN_HASH_KEY
    if key:
        return force_bytes(key)
    # Derived from SECRET_KEY, but never equal to anything else derived from it.
    return hashlib.sha256(force_bytes("kontakt.citizen.pin-hash:" + settings.SECRET_KEY)).digest()


def number_hash(digits: str) -> str:
    return hmac.new(hash_key(), force_bytes(digits), hashlib.sha256).hexdigest()


def parse(value, *, coordination: bool) -> IdentityNumber:
    """Validate the number (format, date, Luhn checksum, and that it is the
    kind the claim says) and return its hash and masked form."""
    if not isinstance(value, str) or not TWELVE_DIGITS.match(value):
        raise InvalidNumber("not twelve digits")
    try:
        parsed = personnummer.parse(value)
    except personnummer.PersonnummerException as exc:
        raise InvalidNumber("invalid date or checksum") from exc
    if parsed.is_coordination_number() != coordination:
        raise InvalidNumber("wrong kind of number for the claim")
    kind = "samordningsnummer" if coordination else "personnummer"
    return IdentityNumber(kind=kind, hash=number_hash(value), masked=f"{value[:8]}-****")
