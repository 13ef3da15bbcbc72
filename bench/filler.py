"""Fill a PostgreSQL database with generated cases, fast, for benchmarks.

    fill(n, seed) adds n cases spread over the last ten years across 50 units,
    with a realistic mix of statuses, answers, closings, assignees, contacts and
    timeline events. It streams rows with COPY (psycopg 3) into a staging
    table and moves them into cases_case with one INSERT ... SELECT that also
    computes the search vector (cases/search.py), so the table is written
    once, and adds the new words to the search vocabulary.

It can be called again to grow the same database (numbers continue from the
per-year counters). Secondary indexes of the big tables are dropped during
the load and rebuilt afterwards. PostgreSQL only."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

UNITS = 50
DEPARTMENTS = 8
OFFICERS_PER_UNIT = 4
YEARS = 10
PASSWORD = "bench-Kontakt-2026"

STREETS = [
    "Storgatan",
    "Kyrkogatan",
    "Lommavägen",
    "Arlöv centrum",
    "Åkarp station",
    "Tågarps gård",
    "Sunnanå",
    "Burlövs egna hem",
    "Kronetorpsvägen",
    "Hjulhamnsvägen",
    "Dalbyvägen",
    "Södervångskolan",
    "Svanetorpsvägen",
    "Lundavägen",
    "Vallgatan",
    "Ängsvägen",
    "Björkvägen",
    "Lindvägen",
    "Eketorpsgatan",
    "Stationsvägen",
]
SUBJECTS = [
    ("fault_report", "", "Gatlampan vid {s} är trasig och det är mörkt på kvällarna."),
    ("fault_report", "", "Det är ett stort hål i asfalten på {s}. Cyklister riskerar att falla."),
    ("fault_report", "", "Papperskorgen vid {s} är full och skräp blåser runt i parken."),
    ("fault_report", "", "Vattenläcka i rabatten på {s}, vattnet rinner ut på trottoaren."),
    ("fault_report", "", "Klotter på väggen till gångtunneln vid {s}."),
    ("fault_report", "", "Snön är inte röjd på cykelvägen längs {s} och det är mycket halt."),
    ("question", "", "Hur ansöker jag om plats i förskolan nära {s}?"),
    ("question", "", "När töms soptunnorna på {s} under helgveckorna?"),
    ("question", "", "Behöver jag bygglov för ett förråd på min tomt vid {s}?"),
    ("question", "", "Vilka öppettider har biblioteket i sommar?"),
    ("feedback", "praise", "Stort tack till personalen på äldreboendet vid {s} för ett fint bemötande."),
    ("feedback", "praise", "Den nya lekplatsen vid {s} är jättebra, barnen älskar den."),
    ("feedback", "complaint", "Jag har väntat länge på svar om min ansökan och ingen ringer tillbaka."),
    ("feedback", "complaint", "Bussen mot {s} går för sällan och hållplatsen saknar väderskydd."),
    ("feedback", "complaint", "Det luktar illa från avloppet på {s} sedan flera veckor."),
    ("feedback", "suggestion", "Sätt upp fler bänkar längs promenadstråket vid {s}."),
    ("feedback", "suggestion", "Inför en hundrastgård i parken vid {s}."),
    ("feedback", "suggestion", "Kommunen borde ha längre öppettider på återvinningscentralen."),
]
ANSWERS = [
    "Tack för att du hörde av dig. Vi har åtgärdat felet.",
    "Tack för din synpunkt. Vi tar med den i planeringen av nästa år.",
    "Vi har skickat ut en entreprenör som lagar skadan inom en vecka.",
    "Du hittar ansökan på kommunens webbplats under Förskola och skola.",
    "Vi beklagar att du fått vänta. Din handläggare kontaktar dig i veckan.",
]
FIRST = ["Anna", "Erik", "Maria", "Karl", "Sara", "Johan", "Elin", "Lars", "Emma", "Nils", "Fatima", "Ali"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Hassan"]
CHANNELS = ["web"] * 70 + ["phone"] * 12 + ["email"] * 8 + ["visit"] * 4 + ["letter"] * 2 + ["social_media"] * 4
ANSWER_CHANNELS = ["email"] * 6 + ["sms"] * 2 + ["phone", "letter"]


def organisation(seed: int = 1):
    """50 units in 8 departments, two categories per unit, four officers per
    unit (one of them unit head), a Medborgarservice desk user, an
    administrator and a department head. Idempotent."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from cases.models import Category, Department, Unit, UnitMembership
    from cases.permissions import Role, ensure_groups

    ensure_groups()
    departments = [Department.objects.get_or_create(name=f"Förvaltning {d + 1:02d}")[0] for d in range(DEPARTMENTS)]
    units, categories = [], []
    for u in range(UNITS):
        unit, _ = Unit.objects.get_or_create(
            department=departments[u % DEPARTMENTS],
            name=f"Enhet {u + 1:02d}",
            defaults={"email": f"enhet{u + 1:02d}@bench.example"},
        )
        units.append(unit)
        for c in range(2):
            cat, _ = Category.objects.get_or_create(
                name=f"Ämne {u + 1:02d}-{c + 1}", defaults={"default_unit": unit, "position": u * 2 + c}
            )
            categories.append(cat)

    from django.contrib.auth.hashers import make_password

    hashed = make_password(PASSWORD)  # hashed once: 200 hashes would take a minute

    def user(email, first, last, **kw):
        existing = User.objects.filter(email=email).first()
        return existing or User.objects.create(
            username=email, email=email, password=hashed, first_name=first, last_name=last, **kw
        )

    officers: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        officers[unit.pk] = []
        for j in range(OFFICERS_PER_UNIT):
            o = user(f"handlaggare{i + 1:02d}-{j + 1}@bench.example", FIRST[(i + j) % len(FIRST)], LAST[j % len(LAST)])
            UnitMembership.objects.get_or_create(
                unit=unit,
                user=o,
                defaults={"role": UnitMembership.Role.HEAD if j == 0 else UnitMembership.Role.OFFICER},
            )
            officers[unit.pk].append(o.pk)
    desk = user("medborgarservice@bench.example", "Maja", "Medborgarservice")
    desk.groups.add(Group.objects.get(name=Role.CITIZEN_SERVICE))
    UnitMembership.objects.get_or_create(unit=units[0], user=desk)
    admin = user("admin@bench.example", "Alva", "Administratör", is_staff=True, is_superuser=True)
    admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    head = user("forvaltningschef@bench.example", "Frans", "Förvaltningschef")
    departments[1].heads.add(head)
    return {"units": units, "categories": categories, "officers": officers, "desk": desk, "admin": admin, "head": head}


def _drop_indexes(cursor, table):
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND i.indexname NOT IN (
             SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)""",
        [table, table],
    )
    defs = cursor.fetchall()
    for name, _ in defs:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [d for _, d in defs]


def statistics_build(verbose: bool = True) -> None:
    """The statistics rows of every case and the monthly summary, as
    `manage.py stats_refresh` builds them after a bulk load, so that no
    benchmark times pages over empty statistics tables."""
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        # Emptied rather than deleted row by row: a long transaction elsewhere
        # on a shared server would keep every deleted row's version alive.
        cur.execute("TRUNCATE stats_monthsummary, stats_monthdays, stats_dirtymonth")
    call_command("stats_refresh", verbosity=0)
    with connection.cursor() as cur:
        for table in ("stats_casestat", "stats_monthsummary", "stats_monthdays", "stats_workingday"):
            cur.execute(f"VACUUM ANALYZE {table}")
    if verbose:
        print(f"  built the statistics rows and the summary in {time.perf_counter() - started:.0f} s", flush=True)


def statistics_ensure(verbose: bool = True) -> None:
    """Build the statistics (statistics_build) unless every case has its row
    and the summary is complete: for benchmarks run on a database filled
    earlier (--keep)."""
    from cases.models import Case
    from stats.models import CaseStat, DirtyMonth, MonthSummary

    cases = Case.objects.count()
    if cases and (
        CaseStat.objects.count() != cases or not MonthSummary.objects.exists() or DirtyMonth.objects.exists()
    ):
        if verbose:
            print("the statistics are missing or behind: building them", flush=True)
        statistics_build(verbose)


def fill(n: int, seed: int = 1, *, now: datetime | None = None, verbose: bool = True, statistics: bool = True) -> None:
    """Add n cases (see the module's docstring) and then, unless told not
    to, build their statistics (statistics_build)."""
    from django.conf import settings
    from django.db import connection, transaction

    from cases import search
    from cases.deadlines import LOCAL_TZ, current_calendar

    assert connection.vendor == "postgresql", "the filler uses COPY and needs PostgreSQL"
    started = time.perf_counter()
    rng = random.Random(seed)
    org = organisation(seed)
    units, categories, officers = org["units"], org["categories"], org["officers"]
    desk_id = org["desk"].pk
    now = now or datetime.now(UTC)
    span = timedelta(days=365 * YEARS)
    calendar = current_calendar()
    due_cache: dict = {}
    prefix = settings.KONTAKT_CASE_PREFIX

    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        next_id = cur.fetchone()[0] + 1
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_caseevent")
        next_event = cur.fetchone()[0] + 1
        cur.execute("SELECT year, last FROM cases_casenumbercounter")
        counters = dict(cur.fetchall())

    # Receipt moments in time order, so numbers grow with time within a year.
    moments = sorted(now - span * (rng.random() ** 0.9) for _ in range(n))
    case_rows: list[tuple[Any, ...]] = []
    contact_rows: list[tuple[Any, ...]] = []
    answer_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    for i, received_at in enumerate(moments):
        cid = next_id + i
        local = received_at.astimezone(LOCAL_TZ)
        rdate = local.date()
        counters[rdate.year] = counters.get(rdate.year, 0) + 1
        number = f"{prefix}-{rdate.year}-{counters[rdate.year]:05d}"
        due = due_cache.get(rdate)
        if due is None:
            due = due_cache[rdate] = calendar.add_working_days(rdate, settings.KONTAKT_RESPONSE_WORKING_DAYS)
        category = categories[rng.randrange(len(categories))]
        unit_id = category.default_unit_id
        if rng.random() < 0.05:
            unit_id = units[rng.randrange(len(units))].pk
        kind, ftype, text = SUBJECTS[rng.randrange(len(SUBJECTS))]
        street = STREETS[rng.randrange(len(STREETS))]
        description = text.format(s=street) + f" Ärendet gäller adressen {street} {rng.randint(1, 80)}."
        channel = CHANNELS[rng.randrange(len(CHANNELS))]
        age = (now - received_at).days
        r = rng.random()
        if age > 60:
            status = "closed" if r < 0.997 else ("answered" if r < 0.9985 else "in_progress")
        elif age > 14:
            status = "closed" if r < 0.7 else ("answered" if r < 0.9 else "in_progress")
        else:
            status = "new" if r < 0.4 else ("in_progress" if r < 0.7 else ("answered" if r < 0.85 else "closed"))
        anonymous = rng.random() < 0.06
        assignee = None
        if status != "new" and rng.random() < 0.92:
            assignee = officers[unit_id][rng.randrange(OFFICERS_PER_UNIT)]
        resolution = ""
        first_answered_at = answered_in_time = closed_at = closed_in_time = None
        answer_text = ""
        if status in ("answered", "closed"):
            if status == "closed":
                resolution = (
                    "anonymous"
                    if anonymous
                    else rng.choices(["answered", "transferred", "not_handled", "duplicate"], [90, 4, 4, 2])[0]
                )
            if not anonymous and resolution in ("", "answered"):
                first_answered_at = min(received_at + timedelta(hours=rng.uniform(2, 24 * 16)), now)
                answered_in_time = first_answered_at.astimezone(LOCAL_TZ).date() <= due
                answer_text = ANSWERS[rng.randrange(len(ANSWERS))]
            if status == "closed":
                base = first_answered_at or received_at + timedelta(hours=rng.uniform(1, 24 * 10))
                closed_at = min(base + timedelta(hours=rng.uniform(0, 24 * 5)), now)
                closed_in_time = closed_at.astimezone(LOCAL_TZ).date() <= due
            elif first_answered_at is None:
                status = "in_progress"
        if status == "answered" and first_answered_at is None:
            status = "in_progress"
        registered_by = desk_id if channel != "web" else None
        case_rows.append(
            (
                cid,
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                number,
                kind,
                ftype,
                category.pk,
                unit_id,
                assignee,
                channel,
                status,
                resolution,
                "Hör till ett annat system." if resolution == "not_handled" else "",
                f"LEX-{cid}" if resolution == "transferred" else "",
                "Lantmäteriet" if resolution == "transferred" else "",
                (cid - 1 if resolution == "duplicate" and i > 0 else None),
                description,
                street,
                None,
                None,
                "sv",
                None,
                registered_by,
                received_at,
                rdate,
                due,
                "",
                first_answered_at,
                answered_in_time,
                closed_at,
                closed_in_time,
                1,
                closed_at or received_at,
                "",
                "",
                due,
                answered_in_time,
                closed_in_time,
                answer_text,
            )
        )
        if not anonymous:
            first, last = FIRST[rng.randrange(len(FIRST))], LAST[rng.randrange(len(LAST))]
            contact_rows.append(
                (
                    cid,
                    f"{first} {last}",
                    f"{first.lower()}.{last.lower()}{cid}@exempel.se",
                    f"+4670{rng.randrange(10**7):07d}",
                    "",
                    rng.choice(["email", "sms", ""]),
                    False,
                )
            )
        event_rows.append(
            (next_event, cid, "registered", registered_by, received_at, "", '{"channel": "%s"}' % channel)
        )
        next_event += 1
        if first_answered_at:
            answer_rows.append(
                (
                    cid,
                    answer_text,
                    ANSWER_CHANNELS[rng.randrange(len(ANSWER_CHANNELS))],
                    "Vi har åtgärdat det.",
                    "",
                    assignee,
                    first_answered_at,
                )
            )
            event_rows.append((next_event, cid, "answered", assignee, first_answered_at, answer_text, "{}"))
            next_event += 1
        if closed_at:
            event_rows.append((next_event, cid, "closed", assignee, closed_at, "", '{"resolution": "%s"}' % resolution))
            next_event += 1
    if verbose:
        print(f"  generated {n:,} cases in {time.perf_counter() - started:.0f} s", flush=True)

    case_columns = [
        "id",
        "public_id",
        "number",
        "kind",
        "feedback_type",
        "category_id",
        "unit_id",
        "assignee_id",
        "channel",
        "status",
        "resolution",
        "resolution_note",
        "transfer_reference",
        "transferred_to",
        "duplicate_of_id",
        "description",
        "place",
        "latitude",
        "longitude",
        "language",
        "citizen_id",
        "registered_by_id",
        "received_at",
        "received_date",
        "due_date",
        "deadline_flag",
        "first_answered_at",
        "answered_in_time",
        "closed_at",
        "closed_in_time",
        "version",
        "updated_at",
        "passed_on_by",
        "passed_on_by_name",
        "original_due_date",
        "answered_in_time_original",
        "closed_in_time_original",
    ]
    with transaction.atomic(), connection.cursor() as cur:
        dropped = {t: _drop_indexes(cur, t) for t in ("cases_case", "cases_caseevent", "cases_answer", "cases_contact")}
        cur.execute("SET LOCAL session_replication_role = replica")  # skip FK triggers during the load
        cur.execute(
            "CREATE TEMP TABLE bench_case (LIKE cases_case INCLUDING DEFAULTS, answer_text text) ON COMMIT DROP"
        )
        cur.execute("ALTER TABLE bench_case DROP COLUMN search_vector")
        with cur.copy(f"COPY bench_case ({', '.join(case_columns)}, answer_text) FROM STDIN") as copy:
            for row in case_rows:
                copy.write_row(row)
        # The search vector of each distinct description, place and answer
        # once (hunspell is slow, and the generated texts repeat), joined to
        # the number's ('simple': its tokens are numbers and the prefix); ||
        # gives the lexemes one to_tsvector over the whole document gives.
        columns = ", ".join(f"b.{column}" for column in case_columns)
        parts = {"description": "d", "place": "p", "answer_text": "a"}
        vectors = ", ".join(
            f"{alias} AS (SELECT {part}, to_tsvector('{search.CONFIG}', {part}) AS v"
            f" FROM (SELECT DISTINCT {part} FROM bench_case) AS distinct_{alias})"
            for part, alias in parts.items()
        )
        joins = " ".join(f"JOIN {alias} USING ({part})" for part, alias in parts.items())
        cur.execute(
            f"""WITH {vectors}
                INSERT INTO cases_case ({", ".join(case_columns)}, search_vector)
                SELECT {columns}, to_tsvector('simple', b.number) || d.v || p.v || a.v
                FROM bench_case b {joins}
                ORDER BY b.id"""
        )
        # The load bypasses the trigger that keeps the search vocabulary.
        cur.execute(search.vocabulary_add_sql(f"SELECT search_vector FROM cases_case WHERE id >= {next_id}"))
        with cur.copy(
            "COPY cases_contact (case_id, name, email, phone, address, preferred, protected_identity) FROM STDIN"
        ) as copy:
            for row in contact_rows:
                copy.write_row(row)
        with cur.copy(
            "COPY cases_answer (case_id, text, channel, actions_taken, improvement, author_id, created_at) FROM STDIN"
        ) as copy:
            for row in answer_rows:
                copy.write_row(row)
        with cur.copy("COPY cases_caseevent (id, case_id, kind, actor_id, created_at, text, data) FROM STDIN") as copy:
            for row in event_rows:
                copy.write_row(row)
        if verbose:
            print(f"  copied in {time.perf_counter() - started:.0f} s; rebuilding indexes", flush=True)
        for defs in dropped.values():
            for statement in defs:
                cur.execute(statement)
        for year, last in counters.items():
            cur.execute(
                """INSERT INTO cases_casenumbercounter (year, last) VALUES (%s, %s)
                   ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last""",
                [year, last],
            )
        for table in ("cases_case", "cases_caseevent", "cases_answer", "cases_contact"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cur:
        for table in ("cases_case", "cases_caseevent", "cases_answer", "cases_contact"):
            # VACUUM sets the visibility map, so the covering indexes give
            # index-only scans at once (autovacuum does it later otherwise).
            cur.execute(f"VACUUM ANALYZE {table}")
    if verbose:
        print(f"  filled {n:,} cases in {time.perf_counter() - started:.0f} s", flush=True)
    if statistics:
        statistics_build(verbose)
