"""Demo data shaped like a real municipality: Burlöv's departments with
plausible units and subject areas. Used by `make run` (manage.py kontakt_demo)
and by tests that need a realistic organisation."""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from cases.models import Category, Department, Unit, UnitMembership
from cases.permissions import Role


class DepartmentSpec(TypedDict):
    short: str
    units: dict[str, str]  # unit name -> e-mail address


ORGANISATION: dict[str, DepartmentSpec] = {
    "Kommunledningsförvaltningen": {
        "short": "KLF",
        "units": {
            "Medborgarservice": "medborgarservice@burlov.example",
            "Kommunikationsavdelningen": "kommunikation@burlov.example",
        },
    },
    "Samhällsbyggnadsförvaltningen": {
        "short": "SBF",
        "units": {
            "Gata och trafik": "gata@burlov.example",
            "Park och natur": "park@burlov.example",
            "Vatten och avlopp": "va@burlov.example",
            "Avfall och återvinning": "avfall@burlov.example",
            "Bygglov": "bygglov@burlov.example",
        },
    },
    "Barn- och utbildningsförvaltningen": {
        "short": "BUF",
        "units": {"Förskola": "forskola@burlov.example", "Grundskola": "grundskola@burlov.example"},
    },
    "Socialförvaltningen": {
        "short": "SOC",
        "units": {"Äldreomsorg": "aldreomsorg@burlov.example", "Individ- och familjeomsorg": "ifo@burlov.example"},
    },
    "Kultur- och fritidsförvaltningen": {
        "short": "KFF",
        "units": {"Bibliotek": "bibliotek@burlov.example", "Idrott och fritid": "fritid@burlov.example"},
    },
}

CATEGORIES = [
    # (Swedish, English, default unit)
    ("Gator, trottoarer och cykelvägar", "Streets, pavements and cycle paths", "Gata och trafik"),
    ("Gatubelysning", "Street lighting", "Gata och trafik"),
    ("Snöröjning och halkbekämpning", "Snow clearing and gritting", "Gata och trafik"),
    ("Parker, lekplatser och grönområden", "Parks, playgrounds and green areas", "Park och natur"),
    ("Klotter och nedskräpning", "Graffiti and litter", "Park och natur"),
    ("Vatten och avlopp", "Water and sewage", "Vatten och avlopp"),
    ("Sophämtning och återvinning", "Waste collection and recycling", "Avfall och återvinning"),
    ("Bygglov och planering", "Building permits and planning", "Bygglov"),
    ("Förskola", "Preschool", "Förskola"),
    ("Skola", "School", "Grundskola"),
    ("Äldreomsorg", "Care of older people", "Äldreomsorg"),
    ("Stöd till barn, familjer och vuxna", "Support for children, families and adults", "Individ- och familjeomsorg"),
    ("Bibliotek och kultur", "Libraries and culture", "Bibliotek"),
    ("Idrott, fritid och föreningar", "Sport, leisure and associations", "Idrott och fritid"),
    ("Kommunens service och bemötande", "The municipality's service", "Medborgarservice"),
    ("Kommunens webbplats och information", "The municipality's website and information", "Kommunikationsavdelningen"),
    ("Annat", "Other", "Medborgarservice"),
]

DEMO_PASSWORD = "demo-Kontakt-2026"

# (e-mail, first name, last name, groups, [(unit, role)], headed departments)
DEMO_STAFF = [
    ("admin@burlov.example", "Alva", "Administratör", [Role.ADMINISTRATOR], [], []),
    (
        "medborgarservice@burlov.example",
        "Maja",
        "Medborgarservice",
        [Role.CITIZEN_SERVICE],
        [("Medborgarservice", UnitMembership.Role.OFFICER)],
        [],
    ),
    (
        "handlaggare@burlov.example",
        "Hugo",
        "Handläggare",
        [],
        [("Gata och trafik", UnitMembership.Role.OFFICER), ("Park och natur", UnitMembership.Role.OFFICER)],
        [],
    ),
    ("enhetschef@burlov.example", "Elsa", "Enhetschef", [], [("Gata och trafik", UnitMembership.Role.HEAD)], []),
    ("forvaltningschef@burlov.example", "Frans", "Förvaltningschef", [], [], ["Samhällsbyggnadsförvaltningen"]),
    ("statistik@burlov.example", "Stina", "Statistikläsare", [Role.STATISTICS_READER], [], []),
]


@transaction.atomic
def load_organisation() -> None:
    units = {}
    for dept_name, spec in ORGANISATION.items():
        dept, _ = Department.objects.get_or_create(name=dept_name, defaults={"short_name": spec["short"]})
        for unit_name, email in spec["units"].items():
            units[unit_name], _ = Unit.objects.get_or_create(department=dept, name=unit_name, defaults={"email": email})
    for position, (name, name_en, unit_name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "default_unit": units[unit_name], "position": position}
        )


@transaction.atomic
def load_staff(password: str = DEMO_PASSWORD) -> list[tuple[str, str]]:
    rows = []
    for email, first, last, groups, memberships, headed in DEMO_STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=password, first_name=first, last_name=last, kind=User.Kind.STAFF
            )
        if Role.ADMINISTRATOR in groups and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        for group in groups:
            user.groups.add(Group.objects.get(name=group))
        for unit_name, role in memberships:
            UnitMembership.objects.get_or_create(
                unit=Unit.objects.get(name=unit_name), user=user, defaults={"role": role}
            )
        for dept_name in headed:
            Department.objects.get(name=dept_name).heads.add(user)
        rows.append((email, f"{first} {last}"))
    return rows
