"""Back-office benchmark (not a test): fills a PostgreSQL database with
generated cases and reports p50/p95 server time and the number of SQL queries
for the queue list, a filtered list, a search and the case page, first at
--small cases and then at --cases, beside the floor: a bare view behind the
same middleware and staff gate (bench/floor.py), measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/backoffice.py --cases 1000000

The requests go through Django's test Client against the real views, with
all middleware, a signed-in member of staff whose session passed TOTP, and
the templates rendered. The database is emptied of cases first, except
with --keep (measure what is there) and --grow (measure what is there, fill
on to --cases, measure again: a database filled by `make bench` grows to
5,000,000 cases without being filled again):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/backoffice.py --grow --cases 5000000"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.filler import fill, organisation, statistics_ensure  # noqa: E402
from bench.floor import FLOOR_URL  # noqa: E402
from bench.session import signed_in  # noqa: E402

SEARCH_WORDS = ["gatlampa", "asfalten", "förskolan", "avloppet", "bänkar", "bygglov", "klotter", "hundrastgård"]


def _client(user: User) -> Client:
    return signed_in(user, Client())


def _empty():
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE cases_caseevent, cases_answer, cases_contact, cases_attachment, cases_case, "
            "cases_casenumbercounter, stats_casestat, stats_monthsummary, stats_monthdays, stats_dirtymonth "
            "RESTART IDENTITY CASCADE"
        )


def _time(client, urls, repeat):
    for url in urls[:3]:
        client.get(url)  # warm up
    times, queries = [], set()
    for i in range(repeat):
        url = urls[i % len(urls)]
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(ctx.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, sorted(queries)


def measure(repeat: int, seed: int) -> list[tuple]:
    from cases.models import Case, Department

    rng = random.Random(seed)
    org = organisation()
    head = org["officers"][org["units"][0].pk][0]
    officer = User.objects.get(pk=head)
    admin = org["admin"]
    units = [u.pk for u in org["units"][:1]]
    numbers = list(Case.objects.filter(unit_id__in=units).order_by("?").values_list("number", flat=True)[:repeat])
    department = Department.objects.order_by("name").first()
    latest = Case.objects.order_by("-received_date").values_list("received_date", flat=True).first()
    assert department is not None and latest is not None, "fill the database first"
    year = latest.year
    scenarios = [
        ("bare view (same middleware and staff gate)", officer, [FLOOR_URL]),
        (
            "queue list (my units, by due date)",
            officer,
            [
                "/handlaggning/arenden/?queue=units",
                "/handlaggning/arenden/?queue=units&page=2",
                "/handlaggning/arenden/?queue=near",
            ],
        ),
        ("queue list (all new, Medborgarservice)", org["desk"], ["/handlaggning/arenden/?queue=new"]),
        (
            "filtered list (closed complaints, one department, a year)",
            admin,
            [
                f"/handlaggning/arenden/?status=closed&subtype=complaint&department={department.pk}"
                f"&received_from={year - 2}-01-01&received_to={year - 2}-12-31&sort=-received",
                f"/handlaggning/arenden/?channel=phone&kind=fault_report&received_from={year - 1}-03-01"
                f"&received_to={year - 1}-05-31",
            ],
        ),
        (
            "search (full text, all cases)",
            admin,
            [f"/handlaggning/arenden/?q={w}" for w in rng.sample(SEARCH_WORDS, len(SEARCH_WORDS))],
        ),
        ("search (officer, own units)", officer, [f"/handlaggning/arenden/?q={w}" for w in SEARCH_WORDS]),
        ("case page", officer, [f"/handlaggning/arenden/{n}/" for n in numbers]),
    ]
    rows = []
    with override_settings(ROOT_URLCONF="bench.floor"):
        for name, user, urls in scenarios:
            p50, p95, queries = _time(_client(user), urls, repeat)
            rows.append((name, p50, p95, queries))
    return rows


def _print(title, rows):
    print(f"\n{title}")
    print(f"| {'page':<58} | {'p50 ms':>7} | {'p95 ms':>7} | queries |")
    print(f"|{'-' * 60}|{'-' * 9}|{'-' * 9}|---------|")
    for name, p50, p95, queries in rows:
        q = "/".join(str(x) for x in queries)
        print(f"| {name:<58} | {p50:7.1f} | {p95:7.1f} | {q:>7} |")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="measure the cases already there; fill nothing")
    parser.add_argument(
        "--grow",
        action="store_true",
        help="measure the cases already there, fill on to --cases and measure again (one run, no refill)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark fills it with COPY.")
    call_command("migrate", verbosity=0)
    if args.keep or args.grow:
        from cases.models import Case

        statistics_ensure()
        there = Case.objects.count()
        _print(f"{there:,} cases", measure(args.repeat, args.seed))
        if args.grow and args.cases > there:
            print(f"\nfilling {args.cases - there:,} more cases", flush=True)
            fill(args.cases - there, args.seed + 1)
            _print(f"{args.cases:,} cases", measure(args.repeat, args.seed))
        return
    _empty()
    print(f"filling {args.small:,} cases", flush=True)
    fill(args.small, args.seed)
    _print(f"{args.small:,} cases", measure(args.repeat, args.seed))
    if args.cases > args.small:
        print(f"\nfilling {args.cases - args.small:,} more cases", flush=True)
        fill(args.cases - args.small, args.seed + 1)
        _print(f"{args.cases:,} cases", measure(args.repeat, args.seed))


if __name__ == "__main__":
    main()
