"""Benchmark of the statistics pages at a million cases (not a test).

Fills a PostgreSQL database with cases spread over ten years (COPY through
psycopg 3, realistic mixes of types, channels, units and response times,
summer pause periods), builds the statistics rows, and times every
statistics page through Django's test client: the overview (with its
24-month trend) and each breakdown, unfiltered and with filters (one, two
and three at once), for the last full year and for ten years. Prints p50
and p95 per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench_stats \\
        .venv/bin/python bench/stats.py --cases 1000000 --runs 15

--keep reuses an already filled database of the right size (from this
script or bench/backoffice.py) and builds its statistics first if they are
missing or behind, so no page is timed over empty tables.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import filler  # noqa: E402
from bench.session import signed_in  # noqa: E402
from cases.models import Case, PausePeriod  # noqa: E402

YEARS = 10


def fill(n: int, seed: int = 2026) -> None:
    """The back-office benchmark's filler (bench/filler.py: 50 units in 8
    departments, ten years, answers, closings, contacts, timeline), with
    summer pause periods first so due dates and durations count them, then
    the statistics rows and the monthly summary."""
    today = timezone.localdate()
    for year in range(today.year - YEARS, today.year + 1):
        PausePeriod.objects.get_or_create(
            start=date(year, 7, 6), end=date(year, 7, 31), defaults={"reason": f"Sommaruppehåll {year}"}
        )
    filler.fill(n, seed)  # builds the statistics rows and the summary too


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(runs: int) -> None:
    from django.contrib.auth.models import Group

    from accounts.models import User
    from cases.permissions import Role, ensure_groups

    ensure_groups()
    user, _ = User.objects.get_or_create(
        username="bench-stats@burlov.example", defaults={"email": "bench-stats@burlov.example", "kind": "staff"}
    )
    user.groups.add(Group.objects.get(name=Role.STATISTICS_READER))
    client = signed_in(user, Client())  # a session that passed TOTP
    today = timezone.localdate()
    last_year = today.year - 1
    periods = {
        "1 year": f"period=year&year={last_year}",
        "10 years": f"period=range&received_from={today.year - YEARS}-01-01&received_to={today.isoformat()}",
    }
    pages = [("overview + trend", "/statistik/", "")]
    pages += [
        (f"by {slug}", f"/statistik/fordelning/{slug}/", "")
        for slug in ("forvaltning", "enhet", "amnesomrade", "arendetyp", "undertyp", "inkanal", "utfall")
    ]
    pages.append(("CSV export, by unit", "/statistik/export/enhet.csv", ""))
    pages += filtered_pages()
    print(
        "\nms per request: p50 and p95 of the time the request took; CPU p50, the processor time the web\n"
        "process and its PostgreSQL backend spent on it (what a request costs on an idle machine)"
    )
    print(f"\n| {'page':<58} | {'period':<8} | {'p50 ms':>6} | {'p95 ms':>6} | {'CPU ms':>6} |")
    print(f"|{'-' * 60}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 8}|")
    backend = _backend_cpu_reader()
    for label, path, filters in pages:
        for name, query in periods.items():
            url = f"{path}?{query}{filters}"
            client.get(url)  # warm
            times, cpu = [], []
            for _ in range(runs):
                t0, c0, b0 = time.perf_counter(), time.process_time(), backend()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0 + backend() - b0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(
                f"| {label:<58} | {name:<8} | {percentile(times, 0.5):>6.0f} | {percentile(times, 0.95):>6.0f} "
                f"| {percentile(cpu, 0.5):>6.0f} |",
                flush=True,
            )
    after_a_change(client, periods, runs)


def _backend_cpu_reader():
    """A function giving the seconds of CPU this connection's PostgreSQL
    backend has used (Linux /proc/<pid>/schedstat, in nanoseconds), or 0
    where that cannot be read (another machine, another system)."""
    connection.settings_dict["CONN_MAX_AGE"] = None  # one backend for the whole run
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = Path(f"/proc/{pid}/schedstat")

    def read() -> float:
        try:
            return int(path.read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return 0.0

    return read


def filtered_pages() -> list[tuple[str, str, str]]:
    """Pages with filters: the broad ones (a channel that has 70 % of the
    cases, a case type, a department) and narrow ones (a unit, a subject
    area), alone and combined."""
    from cases.models import Category, Department, Unit

    department = Department.objects.order_by("name")[1]
    unit = Unit.objects.order_by("name")[6]
    category = Category.objects.order_by("name")[6]
    d, u, c = f"&department={department.pk}", f"&unit={unit.pk}", f"&category={category.pk}"
    return [
        ("overview + trend, channel = web", "/statistik/", "&channel=web"),
        ("overview + trend, department", "/statistik/", d),
        ("overview + trend, subject area + channel = phone", "/statistik/", c + "&channel=phone"),
        ("by unit, channel = web", "/statistik/fordelning/enhet/", "&channel=web"),
        ("by department, channel = web", "/statistik/fordelning/forvaltning/", "&channel=web"),
        ("by subject area, case type = complaint", "/statistik/fordelning/amnesomrade/", "&subtype=complaint"),
        ("by subject area, department", "/statistik/fordelning/amnesomrade/", d),
        ("by channel, unit", "/statistik/fordelning/inkanal/", u),
        ("by resolution, subject area", "/statistik/fordelning/utfall/", c),
        ("by unit, department + channel = web", "/statistik/fordelning/enhet/", d + "&channel=web"),
        ("by case type, channel = web + department", "/statistik/fordelning/undertyp/", "&channel=web" + d),
        (
            "by subject area, department + type + channel",
            "/statistik/fordelning/amnesomrade/",
            d + "&subtype=question&channel=web",
        ),
        ("CSV export by unit, channel = web", "/statistik/export/enhet.csv", "&channel=web"),
        ("CSV export by subject area, department + channel", "/statistik/export/amnesomrade.csv", d + "&channel=web"),
    ]


def after_a_change(client, periods, runs) -> None:
    """The first page read after one case is registered in the current
    month (its month is dirty and counted live, nothing is rebuilt in the
    request), and the worker's rebuild of that month."""
    from cases import services
    from cases.models import Category
    from stats import summary
    from stats.periods import month_start

    category = Category.objects.order_by("pk").first()
    assert category is not None, "fill the database first"
    month = month_start(timezone.localdate())
    print(f"\n{'after one new case':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for label, url in (
        ("overview + trend, 10 years", f"/statistik/?{periods['10 years']}"),
        ("by unit, 10 years", f"/statistik/fordelning/enhet/?{periods['10 years']}"),
    ):
        summary.summary_refresh()
        first_reads, rebuilds = [], []
        for _ in range(runs):
            services.case_register(
                category=category,
                kind=Case.Kind.QUESTION,
                description="Benchmark",
                received_at=timezone.now(),
                channel=Case.Channel.PHONE,
            )
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            first_reads.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            assert summary.summary_refresh() == 1, month
            rebuilds.append((time.perf_counter() - t0) * 1000)
        print(
            f"{'first read: ' + label:<34} {percentile(first_reads, 0.5):>8.0f} {percentile(first_reads, 0.95):>8.0f}"
        )
    print(f"{'worker rebuild of the month':<34} {percentile(rebuilds, 0.5):>8.0f} {percentile(rebuilds, 0.95):>8.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database if it has enough cases")
    args = parser.parse_args()
    if not settings.USES_POSTGRES:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/kontakt_bench_stats"
        )
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if args.keep and have >= args.cases:
        filler.statistics_ensure()
    else:
        if have:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE cases_case, cases_contact, stats_casestat, cases_caseevent, cases_answer, "
                    "cases_attachment RESTART IDENTITY CASCADE"
                )
        fill(args.cases)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('stats_casestat')) FROM stats_casestat")
        rows, size = cursor.fetchone()
    print(f"{rows:,} statistics rows ({size})")
    print("load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    measure(args.runs)
    print("load average (1/5/15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
