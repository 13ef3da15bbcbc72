"""The test persons, like the test identities of BankID's test environment:
valid test numbers that belong to no one. Some personas exist to make the
provider misbehave, so the tests can check that Kontakt refuses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

PNR = "https://id.oidc.se/claim/personalIdentityNumber"
COORD = "https://id.oidc.se/claim/coordinationNumber"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
EIDAS_SUB = "http://id.elegnamnden.se/loa/1.0/eidas-sub"


@dataclass(frozen=True)
class Persona:
    key: str
    label: str
    given_name: str
    family_name: str
    acr: str = LOA3
    numbers: dict = field(default_factory=dict)
    fault: str = ""  # how the ID token is spoiled; "" for a good one

    @property
    def subject(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kontakt-devidp:{self.key}"))

    @property
    def username(self) -> str:
        return f"devidp-persona-{self.key}"

    def claims(self) -> dict:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "name": f"{self.given_name} {self.family_name}",
            **self.numbers,
        }


PERSONAS = [
    Persona(
        "tolvan", "Tolvan Tolvansson, personnummer 19121212-1212", "Tolvan", "Tolvansson", numbers={PNR: "191212121212"}
    ),
    Persona("maria", "Maria Testsson, personnummer 19780202-2389", "Maria", "Testsson", numbers={PNR: "197802022389"}),
    Persona(
        "karim", "Karim Haddad, samordningsnummer 19701063-2391", "Karim", "Haddad", numbers={COORD: "197010632391"}
    ),
    Persona("marie", "Marie Dubois, utländsk e-legitimation utan svenskt nummer", "Marie", "Dubois", acr=EIDAS_SUB),
    Persona(
        "loa2",
        "Lena Lågnivå, personnummer 19900101-2385, tillitsnivå 2",
        "Lena",
        "Lågnivå",
        acr=LOA2,
        numbers={PNR: "199001012385"},
    ),
    Persona(
        "bad-checksum",
        "Fel kontrollsiffra i personnumret (19121212-1213)",
        "Felix",
        "Kontroll",
        numbers={PNR: "191212121213"},
    ),
    Persona(
        "bad-date", "Omöjligt datum i personnumret (19121332-1212)", "Dana", "Datum", numbers={PNR: "191213321212"}
    ),
    Persona(
        "both-numbers",
        "Både personnummer och samordningsnummer",
        "Bo",
        "Båda",
        numbers={PNR: "198606151234", COORD: "197010632391"},
    ),
    Persona(
        "wrong-issuer",
        "Felaktig utfärdare (iss)",
        "Ivar",
        "Utfärdare",
        numbers={PNR: "198606151234"},
        fault="wrong_issuer",
    ),
    Persona(
        "wrong-audience",
        "Felaktig mottagare (aud)",
        "Ada",
        "Mottagare",
        numbers={PNR: "198606151234"},
        fault="wrong_audience",
    ),
    Persona("expired", "Utgången ID-token (exp)", "Erik", "Utgången", numbers={PNR: "198606151234"}, fault="expired"),
    Persona(
        "bad-signature", "Felaktig signatur", "Signe", "Signatur", numbers={PNR: "198606151234"}, fault="bad_signature"
    ),
    Persona(
        "unknown-kid", "Okänd nyckel (kid)", "Kid", "Nyckelsson", numbers={PNR: "198606151234"}, fault="unknown_kid"
    ),
    Persona(
        "replayed-nonce", "Återanvänd nonce", "Nina", "Nonce", numbers={PNR: "198606151234"}, fault="replayed_nonce"
    ),
]
BY_KEY = {p.key: p for p in PERSONAS}
BY_USERNAME = {p.username: p for p in PERSONAS}

# A nonce from an earlier sign-in, used by the replayed-nonce persona.
STALE_NONCE = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
