"""Benchmark of the statistics pages at a million cases (not a test).

Fills a PostgreSQL database with cases spread over ten years (COPY through
psycopg 3, realistic mixes of types, channels, units and response times,
summer pause periods), builds the statistics rows, and times every
statistics page through Django's test client: the overview (with its
24-month trend) and each breakdown, for the last full year and for ten
years. Prints p50 and p95 per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench_stats \\
        .venv/bin/python bench/stats.py --cases 1000000 --runs 15

--keep reuses an already filled database of the right size.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases import deadlines, demo  # noqa: E402
from cases.models import Case, Category, PausePeriod  # noqa: E402

LOCAL = ZoneInfo("Europe/Stockholm")
YEARS = 10

KINDS = [  # (kind, feedback_type, weight)
    ("fault_report", "", 38), ("question", "", 30), ("feedback", "complaint", 17),
    ("feedback", "suggestion", 9), ("feedback", "praise", 6),
]
CHANNELS = [("web", 62), ("email", 14), ("phone", 13), ("visit", 5), ("letter", 2), ("social_media", 4)]


def weighted(pairs):
    values, weights = zip(*[(p[:-1] if len(p) > 2 else p[0], p[-1]) for p in pairs])
    return values, weights


def fill(n: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    demo.load_organisation()
    today = timezone.localdate()
    first_day = date(today.year - YEARS, today.month, 1)
    for year in range(first_day.year, today.year + 1):
        PausePeriod.objects.get_or_create(start=date(year, 7, 6), end=date(year, 7, 31),
                                          defaults={"reason": f"Sommaruppehåll {year}"})
    calendar = deadlines.current_calendar()
    # Working days as a list, and each date's position in it, so due dates
    # and answer dates are index arithmetic.
    days, index = [], {}
    d = first_day - timedelta(days=5)
    end = today + timedelta(days=400)
    while d <= end:
        if calendar.is_working_day(d):
            days.append(d)
        index[d] = len(days) - 1  # the last working day on or before d
        d += timedelta(days=1)
    response_days = settings.KONTAKT_RESPONSE_WORKING_DAYS

    categories = list(Category.objects.values_list("id", "default_unit_id"))
    cat_weights = [rng.randint(1, 12) for _ in categories]
    from cases.models import Unit
    unit_ids = list(Unit.objects.values_list("id", flat=True))
    kinds, kind_w = weighted(KINDS)
    channels, channel_w = weighted(CHANNELS)
    span = (today - first_day).days
    now = timezone.now()

    case_cols = ["public_id", "number", "kind", "feedback_type", "category_id", "unit_id", "channel", "status",
                 "resolution", "resolution_note", "transfer_reference", "description", "place", "language",
                 "received_at", "received_date", "due_date", "deadline_flag", "first_answered_at",
                 "answered_in_time", "closed_at", "closed_in_time", "version", "updated_at"]
    contact_cols = ["case_id", "name", "email", "phone", "address", "preferred", "protected_identity"]
    counters: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        next_id = cursor.fetchone()[0] + 1
    t0 = time.perf_counter()
    raw = connection.connection  # psycopg 3
    with raw.cursor() as cur:
        with cur.copy(f"COPY cases_case ({', '.join(case_cols)}) FROM STDIN") as copy:
            contacts = []
            for i in range(n):
                # More cases in recent years, fewer at weekends and in July.
                offset = int(span * (rng.random() ** 0.8))
                received_date = first_day + timedelta(days=offset)
                if received_date.weekday() >= 5 and rng.random() < 0.6:
                    received_date -= timedelta(days=received_date.weekday() - 4)
                local = datetime.combine(received_date, dtime(rng.randint(6, 22), rng.randint(0, 59)), LOCAL)
                received_at = local.astimezone(ZoneInfo("UTC"))
                kind, ftype = rng.choices(kinds, kind_w)[0]
                cat_id, unit_id = rng.choices(categories, cat_weights)[0]
                if rng.random() < 0.08:
                    unit_id = rng.choice(unit_ids)
                channel = rng.choices(channels, channel_w)[0]
                base = index[received_date]
                base_day = days[base]
                pos = base + (0 if base_day < received_date else 0)
                due = days[pos + response_days] if base_day <= received_date else days[pos + response_days]
                anonymous = rng.random() < 0.12
                age = (today - received_date).days
                answer_k = max(1, int(rng.lognormvariate(1.6, 0.6)))
                first_answered_at = answered_in_time = closed_at = closed_in_time = None
                status, resolution = "new", ""
                answered = not anonymous and rng.random() < 0.93
                if answered and pos + answer_k < len(days) and days[pos + answer_k] <= today and age > 0:
                    ad = days[pos + answer_k]
                    first_answered_at = datetime.combine(ad, dtime(rng.randint(8, 16), rng.randint(0, 59)), LOCAL)
                    answered_in_time = ad <= due
                    status = "answered"
                close_k = (answer_k if first_answered_at else max(1, int(rng.lognormvariate(1.7, 0.7)))) + \
                    rng.choice([0, 0, 1, 2])
                if pos + close_k < len(days) and days[pos + close_k] < today and rng.random() < (0.995 if age > 60 else 0.6):
                    cd = days[pos + close_k]
                    closed_at = datetime.combine(cd, dtime(rng.randint(8, 16), rng.randint(0, 59)), LOCAL)
                    if first_answered_at and closed_at < first_answered_at:
                        closed_at = first_answered_at + timedelta(minutes=30)
                    closed_in_time = closed_at.date() <= due
                    status = "closed"
                    resolution = ("answered" if first_answered_at else
                                  "anonymous" if anonymous else rng.choice(["transferred", "not_handled", "duplicate"]))
                elif status == "new" and rng.random() < 0.5:
                    status = "in_progress"
                year = received_date.year
                counters[year] = counters.get(year, 0) + 1
                copy.write_row((
                    uuid.UUID(int=rng.getrandbits(128), version=4), f"KB-{year}-{counters[year]:06d}", kind, ftype,
                    cat_id, unit_id, channel, status, resolution, "", "", "Beskrivning av ärendet " * 8, "", "sv",
                    received_at, received_date, due, "", first_answered_at, answered_in_time, closed_at,
                    closed_in_time, 1, now,
                ))
                if not anonymous:
                    contacts.append((next_id + i, "Namn Namnsson", f"person{i}@example.se", "", "", "email", False))
        with cur.copy(f"COPY cases_contact ({', '.join(contact_cols)}) FROM STDIN") as copy:
            for row in contacts:
                copy.write_row(row)
    raw.commit() if not raw.autocommit else None
    print(f"filled {n:,} cases in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    call_command("stats_refresh")
    print(f"built the statistics rows in {time.perf_counter() - t0:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(runs: int) -> None:
    from accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-stats@burlov.example",
                                         defaults={"email": "bench-stats@burlov.example", "kind": "staff"})
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    last_year = today.year - 1
    periods = {
        "1 year": f"period=year&ar={last_year}",
        "10 years": f"period=range&fran={today.year - YEARS}-01-01&till={today.isoformat()}",
    }
    pages = [("overview + trend", "/statistik/")] + [
        (f"by {slug}", f"/statistik/fordelning/{slug}/")
        for slug in ("forvaltning", "enhet", "amnesomrade", "arendetyp", "undertyp", "inkanal", "utfall")
    ] + [("CSV export, by unit", "/statistik/export/enhet.csv")]
    print(f"\n{'page':<24} {'period':<9} {'p50 ms':>8} {'p95 ms':>8}")
    for label, path in pages:
        for name, query in periods.items():
            client.get(f"{path}?{query}")  # warm
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                response = client.get(f"{path}?{query}")
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.status_code
            print(f"{label:<24} {name:<9} {percentile(times, 0.5):>8.0f} {percentile(times, 0.95):>8.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database if it has enough cases")
    args = parser.parse_args()
    if not settings.USES_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/kontakt_bench_stats")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if not (args.keep and have >= args.cases):
        if have:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE cases_case, cases_contact, stats_casestat, cases_caseevent, cases_answer, "
                               "cases_attachment RESTART IDENTITY CASCADE")
        fill(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('stats_casestat')) FROM stats_casestat")
        rows, size = cursor.fetchone()
    print(f"{rows:,} statistics rows ({size})")
    measure(args.runs)


if __name__ == "__main__":
    main()
