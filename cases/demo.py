"""Demo data shaped like a real municipality: Burlöv's departments with
plausible units and subject areas. Used by `make run` (manage.py kontakt_demo)
and by tests that need a realistic organisation."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.citizen import numbers
from accounts.citizen.adapter import record_identity
from accounts.models import CitizenIdentity, User
from cases import deadlines, improvements, provisions, secrecy, services, surveys
from cases.models import (
    Answer,
    AnswerTemplate,
    Case,
    Category,
    Contact,
    Department,
    ExcludedMatter,
    Improvement,
    PausePeriod,
    SatisfactionSurvey,
    SecrecyProvision,
    Unit,
    UnitMembership,
)
from cases.permissions import Role
from cases.services import ContactData
from notifications.services import dispatch_held, messages_record_sent


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
StaffRow = tuple[str, str, str, list[str], list[tuple[str, str]], list[str]]
DEMO_STAFF: list[StaffRow] = [
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
    ("processagare@burlov.example", "Petra", "Processägare", [Role.PROCESS_OWNER, Role.EMPLOYEE], [], []),
    ("medarbetare@burlov.example", "Mats", "Medarbetare", [Role.EMPLOYEE], [], []),
]

# Colleagues in the other units, so that the demo cases of every unit have
# someone who answers them.
DEMO_COLLEAGUES: list[StaffRow] = [
    (
        "vera.vatten@burlov.example",
        "Vera",
        "Vattensson",
        [],
        [
            ("Vatten och avlopp", UnitMembership.Role.OFFICER),
            ("Avfall och återvinning", UnitMembership.Role.OFFICER),
            ("Bygglov", UnitMembership.Role.OFFICER),
        ],
        [],
    ),
    (
        "frida.skola@burlov.example",
        "Frida",
        "Skolgren",
        [],
        [("Förskola", UnitMembership.Role.OFFICER), ("Grundskola", UnitMembership.Role.OFFICER)],
        [],
    ),
    (
        "olle.omsorg@burlov.example",
        "Olle",
        "Omsorgsson",
        [],
        [("Äldreomsorg", UnitMembership.Role.OFFICER), ("Individ- och familjeomsorg", UnitMembership.Role.OFFICER)],
        [],
    ),
    (
        "kim.kultur@burlov.example",
        "Kim",
        "Kulturell",
        [],
        [
            ("Bibliotek", UnitMembership.Role.OFFICER),
            ("Idrott och fritid", UnitMembership.Role.OFFICER),
            ("Kommunikationsavdelningen", UnitMembership.Role.OFFICER),
        ],
        [],
    ),
]

ROLE_NAMES = {UnitMembership.Role.OFFICER: "Handläggare", UnitMembership.Role.HEAD: "Enhetschef"}


def _describe(groups: Sequence[str], memberships: Sequence[tuple[str, str]], headed: Sequence[str]) -> str:
    """The role and unit of a demo account, as printed by kontakt_demo."""
    parts = [str(group) for group in groups]
    for role in (UnitMembership.Role.OFFICER, UnitMembership.Role.HEAD):
        units = [unit for unit, unit_role in memberships if unit_role == role]
        if units:
            parts.append(f"{ROLE_NAMES[role]}, {', '.join(units)}")
    if headed:
        parts.append(f"Förvaltningschef, {', '.join(headed)}")
    if Role.CITIZEN_SERVICE in groups:
        parts = [f"{Role.CITIZEN_SERVICE} (alla nya ärenden)"]
    if Role.ADMINISTRATOR in groups:
        parts = [f"{Role.ADMINISTRATOR} (kommunikationsavdelningen, admin)"]
    if Role.STATISTICS_READER in groups:
        parts = [f"{Role.STATISTICS_READER} (förtroendevald, bara statistik)"]
    if Role.PROCESS_OWNER in groups:
        parts = [f"{Role.PROCESS_OWNER} (kommunikationsavdelningen: texter, guide, mallar)"]
    elif Role.EMPLOYEE in groups and not memberships and not headed:
        parts = [f"{Role.EMPLOYEE} (registrerar ärenden, ingen enhet)"]
    return "; ".join(parts)


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
def load_staff(password: str = DEMO_PASSWORD) -> list[tuple[str, str, str]]:
    """Create the demo accounts (once). Returns (e-mail, name, role and unit)
    for each."""
    rows = []
    for email, first, last, groups, memberships, headed in [*DEMO_STAFF, *DEMO_COLLEAGUES]:
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
        rows.append((email, f"{first} {last}", _describe(groups, memberships, headed)))
    return rows


# ------------------------------------------------------------------ cases
# A year and more of cases, made the way real ones are: through the
# services, each step at its own moment in the past. The citizens are two
# test persons of the development identity provider (devidp/personas.py),
# so signing in as them on Mina sidor shows their cases.

DEMO_CASES = 300
DEMO_MONTHS = 14
DEMO_SEED = 20261130

# (key, given name, family name, personal identity number, e-mail, mobile)
DEMO_CITIZENS = [
    ("tolvan", "Tolvan", "Tolvansson", "191212121212", "tolvan.tolvansson@example.se", "+46701740605"),
    ("maria", "Maria", "Testsson", "197802022389", "maria.testsson@example.se", "+46701740606"),
]

# Senders without e-legitimation: (name, e-mail, mobile, postal address).
# Addresses under example.se and numbers from the range reserved for fiction
# (070-174 06 05 to 070-174 06 99), so no notice reaches anyone real.
DEMO_SENDERS = [
    ("Anna Andersson", "anna.andersson@example.se", "", ""),
    ("Bengt Berg", "", "+46701740610", ""),
    ("Cecilia Chen", "cecilia.chen@example.se", "+46701740611", ""),
    ("David Dahl", "david.dahl@example.se", "", ""),
    ("Eva Ek", "", "", "Storgatan 1, 232 31 Arlöv"),
    ("Fatima Farah", "fatima.farah@example.se", "+46701740612", ""),
    ("Gustav Gran", "gustav.gran@example.se", "", ""),
    ("Hanna Holm", "", "+46701740613", ""),
    ("Ivan Isaksson", "ivan.isaksson@example.se", "", ""),
    ("Julia Jansson", "julia.jansson@example.se", "+46701740614", ""),
    ("Karl Knutsson", "karl.knutsson@example.se", "", ""),
    ("Leila Lund", "leila.lund@example.se", "", ""),
]

# What people write, per subject area: (kind, feedback type, text, place).
F, Q, R = "feedback", "question", "fault_report"
PRAISE, COMPLAINT, SUGGESTION = "praise", "complaint", "suggestion"
DEMO_TEXTS: dict[str, list[tuple[str, str, str, str]]] = {
    "Gator, trottoarer och cykelvägar": [
        (R, "", "Stort hål i asfalten på cykelvägen, lätt att cykla omkull i mörkret.", "Cykelvägen längs Lommavägen"),
        (F, SUGGESTION, "Det behövs ett övergångsställe vid skolan, bilarna kör fort här.", "Kronetorpsvägen"),
        (F, COMPLAINT, "Trottoaren har varit avstängd i tre veckor utan att något händer.", "Centralvägen"),
    ],
    "Gatubelysning": [
        (R, "", "Tre gatlyktor i rad är släckta, det är helt mörkt på gångvägen.", "Gångvägen vid Arlövsparken"),
        (R, "", "Lampan blinkar hela natten och lyser in i sovrummet.", "Dalbyvägen 12"),
    ],
    "Snöröjning och halkbekämpning": [
        (F, COMPLAINT, "Gång- och cykelvägen var inte plogad på morgonen, flera halkade.", "Åkarp centrum"),
        (F, PRAISE, "Tack till snöröjarna som var ute tidigt i morse, perfekt till skolstarten!", ""),
    ],
    "Parker, lekplatser och grönområden": [
        (R, "", "Gungan på lekplatsen har en trasig kedja.", "Lekplatsen i Hjärupslundsparken"),
        (F, SUGGESTION, "Fler bänkar i parken skulle göra det lättare för äldre att ta en promenad.", "Arlövsparken"),
        (F, PRAISE, "Den nya lekplatsen är fantastisk, barnen älskar den!", "Kronetorps park"),
    ],
    "Klotter och nedskräpning": [
        (R, "", "Mycket klotter på tunneln under järnvägen.", "Gångtunneln vid Burlövs station"),
        (R, "", "Papperskorgen är överfull och skräpet blåser ut i dammen.", "Dammen i Arlöv"),
    ],
    "Vatten och avlopp": [
        (Q, "", "Vi har fått en hög vattenräkning. Hur läser jag av mätaren själv?", ""),
        (R, "", "Vatten forsar upp ur en brunn på gatan.", "Sockerbruksvägen"),
    ],
    "Sophämtning och återvinning": [
        (F, COMPLAINT, "Matavfallet hämtades inte i tisdags, och inte den här veckan heller.", "Tågarpsvägen 4"),
        (Q, "", "Var lämnar jag gamla målarfärger?", ""),
    ],
    "Bygglov och planering": [
        (Q, "", "Behöver jag bygglov för ett förråd på 12 kvadratmeter?", ""),
        (F, COMPLAINT, "Det tar för lång tid att få besked om mitt bygglov.", ""),
    ],
    "Förskola": [
        (Q, "", "Hur lång är kön till förskolorna i Åkarp just nu?", ""),
        (F, PRAISE, "Personalen på förskolan är underbar, tack för en trygg start!", ""),
    ],
    "Skola": [
        (F, SUGGESTION, "Skolmaten skulle kunna ha fler vegetariska alternativ.", ""),
        (Q, "", "När börjar höstterminen för årskurs 1?", ""),
    ],
    "Äldreomsorg": [
        (F, COMPLAINT, "Min pappa får inte hjälp på de tider som har bestämts.", ""),
        (F, PRAISE, "Stort tack till hemtjänsten för allt ni gör för min mamma.", ""),
    ],
    "Stöd till barn, familjer och vuxna": [
        (Q, "", "Vart vänder jag mig för att få prata med någon om min ekonomi?", ""),
    ],
    "Bibliotek och kultur": [
        (F, PRAISE, "Sagostunden på biblioteket är veckans höjdpunkt för oss.", "Arlövs bibliotek"),
        (F, SUGGESTION, "Kan biblioteket ha öppet längre på lördagar?", ""),
    ],
    "Idrott, fritid och föreningar": [
        (Q, "", "Hur bokar vi tid i idrottshallen för vår förening?", ""),
        (R, "", "Duschen i omklädningsrummet har bara kallt vatten.", "Burlövs simhall"),
    ],
    "Kommunens service och bemötande": [
        (F, PRAISE, "Jag fick så vänligt och snabbt svar när jag ringde, tack!", ""),
        (F, COMPLAINT, "Jag har sökt er i telefon i två dagar utan att komma fram.", ""),
    ],
    "Kommunens webbplats och information": [
        (F, SUGGESTION, "Det är svårt att hitta sophämtningsschemat på webbplatsen.", ""),
    ],
    "Annat": [
        (Q, "", "Jag undrar vem som ansvarar för grusplanen bakom skolan.", ""),
    ],
}

# Answer templates, per subject area: (title, text). The officer's text is
# the body only: the message template adds the greeting and the sign-off.
ANSWER_TEMPLATES: dict[str | None, list[tuple[str, str]]] = {
    None: [
        (
            "Tack för att du hörde av dig",
            "Tack för att du hörde av dig till oss. Vi har tagit emot det du skrev och skickat det vidare till "
            "den som ansvarar. Vi tar med oss dina synpunkter i vårt fortsatta arbete.",
        ),
        (
            "Hör inte till kommunen",
            "Det du tar upp ansvarar inte kommunen för. Vänd dig i stället till [myndighet eller företag], "
            "som du når på [telefon eller webbplats].",
        ),
    ],
    "Gator, trottoarer och cykelvägar": [
        (
            "Felet åtgärdas",
            "Tack för din felanmälan. Vi har beställt en lagning och räknar med att den är klar inom [antal] veckor.",
        ),
    ],
    "Gatubelysning": [
        ("Lampan byts", "Tack för att du sa till. Vår entreprenör byter lamporna inom två veckor."),
    ],
    "Snöröjning och halkbekämpning": [
        (
            "Snöröjningens ordning",
            "Vi röjer först huvudgator, bussgator och gång- och cykelvägar till skolor, sedan bostadsgator. Vid kraftigt snöfall kan det dröja upp till två dygn.",
        ),
    ],
    "Parker, lekplatser och grönområden": [
        ("Lekredskap lagas", "Tack för att du sa till. Vi har spärrat av redskapet och lagar det så snart vi kan."),
    ],
    "Klotter och nedskräpning": [
        (
            "Klotter tas bort",
            "Vi tar bort klotter på kommunens mark inom en vecka, och stötande klotter inom ett dygn.",
        ),
    ],
    "Vatten och avlopp": [
        (
            "Läsa av mätaren",
            "Du läser av vattenmätaren på siffrorna i svart. Lämna mätarställningen på webbplatsen under Vatten och avlopp.",
        ),
    ],
    "Sophämtning och återvinning": [
        (
            "Missad hämtning",
            "Vi beklagar att hämtningen missades. Vi har meddelat entreprenören, som hämtar inom två arbetsdagar.",
        ),
    ],
    "Bygglov och planering": [
        (
            "Bygglovsfri åtgärd",
            "En friggebod på högst 15 kvadratmeter behöver oftast inget bygglov. Läs mer på webbplatsen eller ring bygglovsenheten.",
        ),
    ],
    "Förskola": [
        ("Kö till förskola", "Du ansöker om plats i e-tjänsten. Vi erbjuder plats inom fyra månader från ansökan."),
    ],
    "Skola": [
        ("Läsårstider", "Läsårets tider finns på webbplatsen under Skola och utbildning."),
    ],
    "Äldreomsorg": [
        (
            "Hemtjänstens tider",
            "Vi har gått igenom planeringen med hemtjänstgruppen. Enhetschefen ringer er för att stämma av tiderna.",
        ),
    ],
    "Stöd till barn, familjer och vuxna": [
        (
            "Budget- och skuldrådgivning",
            "Kommunens budget- och skuldrådgivare hjälper dig kostnadsfritt. Ring kommunens växel och be att få prata med dem.",
        ),
    ],
    "Bibliotek och kultur": [
        (
            "Öppettider",
            "Bibliotekets öppettider finns på webbplatsen. Vi tar med ditt förslag när vi ser över dem inför nästa termin.",
        ),
    ],
    "Idrott, fritid och föreningar": [
        ("Boka lokal", "Föreningar bokar tider i kommunens lokaler i bokningssystemet på webbplatsen."),
    ],
    "Kommunens service och bemötande": [
        ("Tack för berömmet", "Tack för dina vänliga ord! Vi har skickat dem vidare till de medarbetare det gäller."),
    ],
    "Kommunens webbplats och information": [
        ("Webbplatsen", "Tack för tipset. Vi ser över hur informationen kan bli lättare att hitta."),
    ],
}


@transaction.atomic
def load_answer_templates() -> int:
    """The answer templates, once. Returns how many were created."""
    created = 0
    categories = {c.name: c for c in Category.objects.all()}
    for position, (category_name, templates) in enumerate(ANSWER_TEMPLATES.items(), start=1):
        category = categories.get(category_name) if category_name else None
        if category_name and category is None:
            continue
        for offset, (title, text) in enumerate(templates):
            _template, new = AnswerTemplate.objects.get_or_create(
                category=category, title=title, defaults={"text": text, "position": position * 10 + offset}
            )
            created += new
    return created


def load_citizens() -> list[User]:
    """The two test persons as citizens who have signed in once, linked by
    their personal identity number, as the sign-in itself links them."""
    users = []
    for key, given, family, number, _email, _phone in DEMO_CITIZENS:
        identity = (
            CitizenIdentity.objects.select_related("user").filter(number_hash=numbers.number_hash(number)).first()
        )
        if identity is not None:
            users.append(identity.user)
            continue
        user = User.objects.create_user(username=f"citizen-demo-{key}", kind=User.Kind.CITIZEN)
        record_identity(
            user,
            {
                "number": numbers.parse(number, coordination=False),
                "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
                "given_name": given,
                "family_name": family,
            },
        )
        users.append(user)
    return users


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    templates: int
    skipped: bool


class _Loader:
    """Makes the demo cases. Each step runs at a moment in the past; the
    messages the services write are recorded as sent at that moment and
    never delivered (notifications.services.dispatch_held)."""

    def __init__(self, *, n: int, now: datetime, held: list[int]) -> None:
        self.rng = random.Random(DEMO_SEED)
        # Survey answers and suggested improvements draw from their own
        # sequence, so the cases themselves stay what they were before.
        self.extra = random.Random(DEMO_SEED + 1)
        self.n = n
        self.now = now
        self.today = deadlines.local_date(now)
        self.held = held
        self.calendar = deadlines.current_calendar()
        self.categories = {c.name: c for c in Category.objects.select_related("default_unit")}
        self.staff = {u.email: u for u in User.objects.filter(kind=User.Kind.STAFF)}
        self.officers: dict[int, User] = {}
        for membership in UnitMembership.objects.select_related("user").order_by("pk"):
            if membership.role == UnitMembership.Role.OFFICER:
                self.officers.setdefault(membership.unit_id, membership.user)
        self.citizen_service = self.staff["medborgarservice@burlov.example"]
        # Some cases told to an employee with no unit (a caretaker, a
        # teacher), so "Ärenden jag registrerat" has something to show.
        self.employee = self.staff.get("medarbetare@burlov.example")
        self.fallback = self.staff["admin@burlov.example"]
        self.made = 0

    # -- moments

    def _sent(self, at: datetime) -> None:
        """The messages of the step just taken were sent at its moment."""
        messages_record_sent(message_ids=self.held, at=at)
        self.held.clear()

    def moment(self, day: date, hour: int | None = None) -> datetime:
        hour = hour if hour is not None else self.rng.randint(8, 16)
        at = datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=deadlines.LOCAL_TZ)
        return min(at, self.now - timedelta(minutes=30))

    def working_days_back(self, n: int) -> date:
        d = self.today
        while n > 0:
            d -= timedelta(days=1)
            if self.calendar.is_working_day(d):
                n -= 1
        return d

    def later(self, at: datetime, working_days: int, hours: int = 2) -> datetime | None:
        """A moment some working days after `at`, or None if that is not yet."""
        start = deadlines.local_date(at)
        day = self.calendar.add_working_days(start, working_days) if working_days else start
        moment = self.moment(
            day, hour=None if working_days else min(at.astimezone(deadlines.LOCAL_TZ).hour + hours, 17)
        )
        if working_days == 0:
            moment = max(moment, at + timedelta(minutes=20))
        return moment if moment < self.now - timedelta(minutes=30) else None

    # -- steps

    def officer_for(self, case: Case) -> User:
        return self.officers.get(case.unit_id, self.fallback)

    def register(
        self,
        *,
        category: str,
        received_at: datetime,
        text: tuple[str, str, str, str] | None = None,
        sender: tuple[str, str, str, str] | None = None,
        citizen: tuple[User, tuple[str, ...]] | None = None,
        channel: str = Case.Channel.WEB,
        protected: bool = False,
    ) -> Case:
        kind, feedback_type, description, place = text or self.rng.choice(DEMO_TEXTS[category])
        contact = None
        user = None
        if citizen is not None:
            user, (_key, given, family, _number, email, phone) = citizen
            contact = ContactData(name=f"{given} {family}", email=email, phone=phone, preferred="email")
        elif sender is not None:
            name, email, phone, address = sender
            preferred = "email" if email else "sms" if phone else "letter" if address else ""
            contact = ContactData(
                name=name, email=email, phone=phone, address=address, preferred=preferred, protected_identity=protected
            )
        registrar, passed_on_by, passed_on_by_name = None, "", ""
        if channel != Case.Channel.WEB:
            registrar = self.citizen_service
            if self.employee is not None and self.made % 4 == 0:
                registrar = self.employee
            elif self.made % 7 == 0:
                passed_on_by, passed_on_by_name = Case.PassedOnBy.ELECTED_OFFICIAL, "Kommunalrådet"
        case = services.case_register(
            kind=kind,
            feedback_type=feedback_type,
            category=self.categories[category],
            description=description,
            place=place,
            channel=channel,
            contact=contact,
            citizen=user,
            registered_by=registrar,
            received_at=received_at,
            passed_on_by=passed_on_by,
            passed_on_by_name=passed_on_by_name,
        )
        self._sent(received_at)
        self.made += 1
        return case

    def assign(self, case: Case, at: datetime, to: User | None = None) -> Case:
        officer = to or self.officer_for(case)
        case = services.case_assign(case=case, assignee=officer, by=officer, at=at)
        self._sent(at)
        return case

    def answer_channel(self, case: Case) -> str:
        contact = Contact.objects.filter(case=case).first()
        if case.citizen_id is not None:
            return Answer.Channel.PORTAL
        if contact is None:
            return ""
        if contact.email:
            return Answer.Channel.EMAIL
        if contact.phone:
            return Answer.Channel.PHONE if case.channel == Case.Channel.PHONE else Answer.Channel.SMS
        if contact.address:
            return Answer.Channel.LETTER
        return ""

    def answer(self, case: Case, at: datetime) -> bool:
        channel = self.answer_channel(case)
        if not channel:
            return False
        templates = list(AnswerTemplate.objects.filter(category=case.category).values_list("text", flat=True))
        text = templates[0] if templates and self.rng.random() < 0.6 else ANSWER_TEMPLATES[None][0][1]
        improvement = ""
        if (
            case.feedback_type in (Case.FeedbackType.SUGGESTION, Case.FeedbackType.COMPLAINT)
            and self.extra.random() < 0.5
        ):
            improvement = DEMO_IMPROVEMENT_TEXT % {"subject": case.category.name.lower()}
        services.case_answer(
            case=case,
            text=text,
            channel=channel,
            by=case.assignee or self.officer_for(case),
            actions_taken="Ärendet är utrett och åtgärdat." if case.kind == Case.Kind.FAULT_REPORT else "",
            improvement=improvement,
            at=at,
        )
        self._sent(at)
        return True

    def close(
        self,
        case: Case,
        at: datetime,
        resolution: str = Case.Resolution.ANSWERED,
        *,
        note: str = "",
        transfer_reference: str = "",
        transferred_to: str = "",
        excluded_matter: ExcludedMatter | None = None,
        duplicate_of: Case | None = None,
    ) -> Case:
        case = services.case_close(
            case=case,
            resolution=resolution,
            by=case.assignee or self.officer_for(case),
            at=at,
            note=note,
            transfer_reference=transfer_reference,
            transferred_to=transferred_to,
            excluded_matter=excluded_matter,
            duplicate_of=duplicate_of,
        )
        self._sent(at)
        if resolution == Case.Resolution.ANSWERED:
            self.survey(case, at)
        return case

    def survey(self, case: Case, closed_at: datetime) -> None:
        """About half of the senders asked answer, a few hours to four days
        after the closing, mostly satisfied."""
        survey = SatisfactionSurvey.objects.filter(case=case, answered_at__isnull=True).first()
        if survey is None or self.extra.random() >= 0.5:
            return
        at = closed_at + timedelta(hours=self.extra.randint(2, 96))
        if at >= self.now - timedelta(minutes=30):
            return
        score = self.extra.choices([5, 4, 3, 2, 1], [35, 30, 15, 10, 10])[0]
        got = self.extra.choices(["yes", "partly", "no"], [70, 20, 10] if score >= 3 else [20, 30, 50])[0]
        comment = self.extra.choice(DEMO_SURVEY_COMMENTS) if self.extra.random() < 0.25 else ""
        surveys.survey_answer(survey=survey, score=score, got_answer=got, comment=comment, at=at)

    def improvements(self) -> None:
        """The suggested improvements of the three subject areas that got
        most of them become items: one done and published, one planned, one
        proposed, each linked to the cases that suggested it."""
        answers = (
            Answer.objects.exclude(improvement="")
            .select_related("case", "case__category", "case__unit", "author")
            .order_by("created_at", "id")
        )
        by_category: dict[int, list[Answer]] = {}
        for answer in answers:
            by_category.setdefault(answer.case.category_id, []).append(answer)
        chosen = sorted(by_category.values(), key=len, reverse=True)[:3]
        for index, group in enumerate(chosen):
            first = group[0]
            category = first.case.category.name
            by = first.author or self.fallback
            item = improvements.improvement_create(
                title=DEMO_IMPROVEMENT_TITLES[index] % {"subject": category.lower()},
                unit=first.case.unit,
                description=first.improvement,
                by=by,
                answer=first,
                at=first.created_at,
            )
            linked = {first.case_id}
            for answer in group[1:]:
                if answer.case_id in linked:
                    continue
                linked.add(answer.case_id)
                improvements.improvement_link(
                    improvement=item, case=answer.case, answer=answer, by=by, at=answer.created_at
                )
            if index == 0:
                done_at = min(group[-1].created_at + timedelta(days=14), self.now - timedelta(hours=1))
                improvements.improvement_update(
                    improvement=item,
                    title=item.title,
                    unit=item.unit,
                    status=Improvement.Status.DONE,
                    description=item.description,
                    by=by,
                    at=done_at,
                )
                improvements.improvement_publish(
                    improvement=item,
                    public_text=DEMO_PUBLIC_TEXT % {"subject": category.lower()},
                    by=by,
                    at=done_at,
                )
            elif index == 1:
                improvements.improvement_update(
                    improvement=item,
                    title=item.title,
                    unit=item.unit,
                    status=Improvement.Status.PLANNED,
                    description=item.description,
                    by=by,
                )

    def reopen(self, case: Case, at: datetime, reason: str) -> Case:
        case = services.case_reopen(case=case, reason=reason, by=self.officer_for(case), at=at)
        self._sent(at)
        return case

    # -- a life

    def live(self, case: Case, *, answer_after: int, close_after: int | None) -> Case:
        """Assign the next working day, answer `answer_after` working days
        after receipt and close `close_after` working days after that, as far
        as those moments have come."""
        assigned_at = self.later(case.received_at, 1) or self.later(case.received_at, 0)
        if assigned_at is None:
            return case
        case = self.assign(case, assigned_at)
        answered_at = self.later(case.received_at, answer_after)
        if answered_at is None or answered_at <= assigned_at:
            return case
        if not self.answer(case, answered_at):
            closed_at = self.later(answered_at, 1)
            return self.close(case, closed_at, Case.Resolution.ANONYMOUS) if closed_at else case
        case.refresh_from_db()
        if close_after is None:
            return case
        closed_at = self.later(answered_at, close_after)
        return self.close(case, closed_at) if closed_at else case

    # -- the demo

    def showcase(self, citizens: list[User]) -> None:
        """One case of every kind a user should meet, relative to today."""
        hugo = self.staff["handlaggare@burlov.example"]
        streets, lights, parks = (
            "Gator, trottoarer och cykelvägar",
            "Gatubelysning",
            "Parker, lekplatser och grönområden",
        )
        day = self.working_days_back
        sender = itertools.cycle(DEMO_SENDERS)

        # New: on the web, phoned in to Medborgarservice, anonymous.
        self.register(
            category=streets, received_at=self.moment(day(0) if self.now.hour > 9 else day(1), 7), sender=next(sender)
        )
        self.register(
            category="Kommunens service och bemötande",
            received_at=self.moment(day(1)),
            sender=next(sender),
            channel=Case.Channel.PHONE,
        )
        self.register(category=lights, received_at=self.moment(day(2)))
        # In progress, near the deadline and overdue, with the officer Hugo.
        self.assign(
            self.register(category=parks, received_at=self.moment(day(9)), sender=next(sender)),
            self.moment(day(8)),
            hugo,
        )
        self.assign(
            self.register(category=streets, received_at=self.moment(day(14)), sender=next(sender)),
            self.moment(day(13)),
            hugo,
        )
        # Overdue and nobody has taken it: a visit, registered by staff.
        self.register(
            category="Vatten och avlopp",
            received_at=self.moment(day(13)),
            sender=next(sender),
            channel=Case.Channel.VISIT,
        )
        # Answered, not yet closed.
        self.live(
            self.register(category=lights, received_at=self.moment(day(6)), sender=next(sender)),
            answer_after=3,
            close_after=None,
        )
        # Waiting for the sender: the officer asked where exactly the fault is.
        waiting = self.assign(
            self.register(category=lights, received_at=self.moment(day(4)), sender=next(sender)),
            self.moment(day(3)),
            hugo,
        )
        services.case_request_info(
            case=waiting,
            question="Vilken stolpe gäller det? Skriv gärna närmaste husnummer eller korsning.",
            by=hugo,
            at=self.moment(day(3), 11),
        )
        self._sent(self.moment(day(3), 11))
        # Routed by Medborgarservice to the right unit.
        routed = self.register(category="Annat", received_at=self.moment(day(3)), sender=next(sender))
        services.case_route(
            case=routed,
            unit=self.categories[parks].default_unit,
            reason="Gäller parkförvaltningen.",
            by=self.citizen_service,
            at=self.moment(day(2)),
        )
        self._sent(self.moment(day(2)))
        # Closed in each way.
        answered = self.live(
            self.register(category=parks, received_at=self.moment(day(25)), sender=next(sender)),
            answer_after=4,
            close_after=1,
        )
        transferred = self.assign(
            self.register(category="Äldreomsorg", received_at=self.moment(day(20))), self.moment(day(19))
        )
        self.close(
            transferred,
            self.moment(day(18)),
            Case.Resolution.TRANSFERRED,
            transfer_reference="Treserva 2026-4711",
            transferred_to="Äldreomsorgens verksamhetssystem (Treserva)",
        )
        not_here = self.assign(
            self.register(category="Annat", received_at=self.moment(day(16)), sender=next(sender)), self.moment(day(15))
        )
        self.close(
            not_here,
            self.moment(day(15)),
            Case.Resolution.NOT_HANDLED,
            note="En politisk fråga om en ny väg.",
            excluded_matter=ExcludedMatter.objects.filter(is_active=True).order_by("position", "name").first(),
        )
        duplicate = self.assign(
            self.register(
                category=parks, received_at=self.moment(day(24)), text=DEMO_TEXTS[parks][0], sender=next(sender)
            ),
            self.moment(day(23)),
        )
        self.close(duplicate, self.moment(day(23)), Case.Resolution.DUPLICATE, duplicate_of=answered)
        anonymous = self.assign(
            self.register(category="Klotter och nedskräpning", received_at=self.moment(day(12))), self.moment(day(11))
        )
        self.close(anonymous, self.moment(day(10)), Case.Resolution.ANONYMOUS)
        # Reopened after the sender wrote that the fault came back.
        reopened = self.live(
            self.register(category=lights, received_at=self.moment(day(30)), sender=next(sender)),
            answer_after=5,
            close_after=1,
        )
        self.reopen(reopened, self.moment(day(4)), "Avsändaren ringde: lampan är släckt igen.")
        # Secret: marked by the officer, and one from a sender with protected personal data.
        provisions.ensure_provisions()
        secret = self.assign(
            self.register(
                category="Stöd till barn, familjer och vuxna", received_at=self.moment(day(5)), sender=next(sender)
            ),
            self.moment(day(4)),
        )
        secrecy.secrecy_mark(
            case=secret,
            provision=SecrecyProvision.objects.get(code="OSL 26:1"),
            by=self.officer_for(secret),
            at=self.moment(day(4), 16),
        )
        self.register(category="Äldreomsorg", received_at=self.moment(day(7)), sender=next(sender), protected=True)
        # Last month: answered and closed in time, and one too late.
        first_of_last_month = (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for offset, answer_after in ((3, 4), (9, 12)):
            received = self.moment(self.calendar.add_working_days(first_of_last_month, offset))
            self.live(
                self.register(category=streets, received_at=received, sender=next(sender)),
                answer_after=answer_after,
                close_after=1,
            )
        # The two citizens on Mina sidor.
        for user, person in zip(citizens, DEMO_CITIZENS, strict=True):
            self.live(
                self.register(category=parks, received_at=self.moment(day(40)), citizen=(user, person)),
                answer_after=5,
                close_after=2,
            )
            self.live(
                self.register(category="Bibliotek och kultur", received_at=self.moment(day(8)), citizen=(user, person)),
                answer_after=4,
                close_after=None,
            )
            self.register(
                category="Sophämtning och återvinning", received_at=self.moment(day(1)), citizen=(user, person)
            )

    def history(self) -> None:
        """The rest, spread over the months: mostly answered and closed in
        time, some late, a few still open."""
        names = list(self.categories)
        weights = [3 if name.startswith(("Gator", "Gatubel", "Parker", "Sophämtning")) else 1 for name in names]
        span = (self.today - (self.today.replace(day=1) - timedelta(days=(DEMO_MONTHS - 1) * 31)).replace(day=1)).days
        while self.made < self.n:
            received_day = self.today - timedelta(days=self.rng.randint(0, span))
            if not self.calendar.is_working_day(received_day) and self.rng.random() < 0.7:
                continue
            category = self.rng.choices(names, weights)[0]
            roll = self.rng.random()
            channel = (
                Case.Channel.WEB
                if roll < 0.75
                else self.rng.choice([Case.Channel.PHONE, Case.Channel.VISIT, Case.Channel.EMAIL, Case.Channel.LETTER])
            )
            sender = None if self.rng.random() < 0.08 and channel == Case.Channel.WEB else self.rng.choice(DEMO_SENDERS)
            case = self.register(
                category=category, received_at=self.moment(received_day), sender=sender, channel=channel
            )
            fate = self.rng.random()
            recent = (self.today - received_day).days < 45
            if fate < 0.04 and recent:
                continue  # nobody has taken it yet
            answer_after = self.rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15])
            close_after = None if fate < 0.15 and recent else self.rng.choice([0, 1, 1, 2, 3])
            self.live(case, answer_after=answer_after, close_after=close_after)


DEMO_IMPROVEMENT_TEXT = "Se över hur vi informerar om %(subject)s, så att fler hittar rätt direkt."
DEMO_IMPROVEMENT_TITLES = [
    "Tydligare information om %(subject)s",
    "Bättre skyltning kring %(subject)s",
    "Enklare att hitta svar om %(subject)s",
]
DEMO_PUBLIC_TEXT = (
    "Flera av er tyckte att det var svårt att hitta information om %(subject)s. "
    "Nu har vi skrivit om sidorna på webbplatsen och lagt till svar på de vanligaste frågorna."
)
DEMO_SURVEY_COMMENTS = [
    "Snabbt och vänligt bemötande.",
    "Bra svar, tack!",
    "Det tog lite lång tid, men till slut blev det bra.",
    "Jag förstod inte riktigt svaret.",
]


def load_cases(*, n: int = DEMO_CASES) -> DemoSummary:
    """The demo's cases, answer templates, summer pause and citizens, all in
    one transaction. Skipped when there are cases already (demo or real):
    running it twice does not double anything."""
    templates = load_answer_templates()
    if Case.objects.exists():
        return DemoSummary(cases=0, templates=templates, skipped=True)
    now = timezone.now()
    with transaction.atomic(), dispatch_held() as held:
        today = deadlines.local_date(now)
        summer = today.year if today >= date(today.year, 7, 1) else today.year - 1
        if not PausePeriod.objects.filter(start__year=summer).exists():
            services.pause_period_save(
                period=PausePeriod(start=date(summer, 7, 6), end=date(summer, 7, 31), reason="Sommaruppehåll")
            )
        citizens = load_citizens()
        loader = _Loader(n=n, now=now, held=held)
        loader.showcase(citizens)
        loader.history()
        loader.improvements()
        services.case_flag_deadlines(today=today)
        messages_record_sent(message_ids=held, at=now)
    return DemoSummary(cases=loader.made, templates=templates, skipped=False)
