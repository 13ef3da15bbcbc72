"""The secrecy provisions offered when a case is marked. Administrators keep
the list in the admin; these are created after every migrate when missing
(never changed once there, so an administrator's wording stays)."""

from __future__ import annotations

from cases.models import SecrecyProvision

# The provision a case from someone with protected personal data is marked with.
PROTECTED_IDENTITY = "OSL 21:3"

DEFAULTS = [
    (
        PROTECTED_IDENTITY,
        "21 kap. 3 § OSL",
        "Skyddade personuppgifter: uppgifter som kan visa var en person bor eller finns, när hen kan utsättas för hot eller våld",
    ),
    ("OSL 21:1", "21 kap. 1 § OSL", "Hälsa och sexualliv: uppgifter om en persons hälsa eller sexualliv"),
    (
        "OSL 26:1",
        "26 kap. 1 § OSL",
        "Socialtjänst: uppgifter om en persons personliga förhållanden inom socialtjänsten",
    ),
    ("OSL 25:1", "25 kap. 1 § OSL", "Hälso- och sjukvård: uppgifter om en persons hälsa eller personliga förhållanden"),
    ("OSL 23:1", "23 kap. 1 § OSL", "Förskola: uppgifter om ett barns eller en familjs personliga förhållanden"),
    ("OSL 39:3", "39 kap. 3 § OSL", "Personalärenden: uppgifter om en anställds personliga förhållanden"),
    ("OSL 18:8", "18 kap. 8 § OSL", "Säkerhet: uppgifter om säkerhets- eller bevakningsåtgärder"),
]


def ensure_provisions() -> None:
    for position, (code, reference, label) in enumerate(DEFAULTS, start=1):
        SecrecyProvision.objects.get_or_create(
            code=code, defaults={"reference": reference, "label": label, "position": position * 10}
        )
