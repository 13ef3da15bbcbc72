"""Every benchmark in one run, one table (`make bench`; not a test).

Fills the database once with cases and their statistics rows (bench/stats.py's
fill: pause periods, bench/filler.py's cases, `stats_refresh`), then runs
the back-office benchmark (with the bare-view floor, bench/floor.py), the
statistics benchmark, the public intake under load (bench/intake.py) and the
outbox drain (bench/notifications.py), and prints one table: p50 and p95 per
page, the queries of each back-office page, the floor measured in the same
run, the rates of intake and outbox, and the load average before and after.
Each benchmark's own output follows the table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/all.py --cases 100000
    make bench BENCH_CASES=1000000

The database is emptied of cases and filled anew unless it already holds
--cases cases and --keep is given. Never point it at a database you care
about."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def create_database() -> None:
    """The database of DATABASE_URL, created when missing."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(os.environ.get("DATABASE_URL", ""))
    if config.get("ENGINE") != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database you can throw away.")
    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None, "user": config.get("USER")}
    params["password"] = config.get("PASSWORD") or None
    try:
        psycopg.connect(dbname=config["NAME"], **params).close()
    except psycopg.OperationalError:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


create_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import backoffice, stats  # noqa: E402

Row = tuple[str, str, str, str, str]  # area, what, p50, p95, queries


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0]).split()[0]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fill(cases: int, keep: bool) -> str:
    from cases.models import Case

    have = Case.objects.count()
    if keep and have >= cases:
        return f"kept {have:,} cases"
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_caseevent, cases_answer, cases_contact, cases_attachment, cases_case, "
            "cases_casenumbercounter, stats_casestat RESTART IDENTITY CASCADE"
        )
    started = time.perf_counter()
    stats.fill(cases)
    return f"filled {cases:,} cases and their statistics in {time.perf_counter() - started:.0f} s"


def backoffice_rows(repeat: int) -> list[Row]:
    rows = []
    for name, p50, p95, queries in backoffice.measure(repeat, seed=1):
        area = "floor" if name.startswith("bare view") else "back office"
        rows.append((area, name, f"{p50:.1f}", f"{p95:.1f}", "/".join(str(q) for q in queries)))
    return rows


# bench/stats.py prints "page  period  p50  p95" lines.
STATS_LINE = re.compile(r"^(?P<what>\S.*?)\s{2,}(?P<period>1 year|10 years)\s+(?P<p50>\d+)\s+(?P<p95>\d+)\s*$")
STATS_AFTER = re.compile(r"^(?P<what>(first read|worker rebuild).*?)\s{2,}(?P<p50>\d+)\s+(?P<p95>\d+)\s*$")


def stats_rows(runs: int) -> tuple[list[Row], str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        stats.measure(runs)
    rows: list[Row] = []
    for line in out.getvalue().splitlines():
        if m := STATS_LINE.match(line):
            rows.append(("statistics", f"{m['what'].strip()}, {m['period']}", m["p50"], m["p95"], ""))
        elif m := STATS_AFTER.match(line):
            rows.append(("statistics", m["what"].strip(), m["p50"], m["p95"], ""))
    return rows, out.getvalue()


def script(name: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / name), *args],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + (f"\n[exit {done.returncode}]\n{done.stderr[-2000:]}" if done.returncode else "")
    return output


def intake_rows(output: str) -> list[Row]:
    rate = re.search(r"accepted per second: ([\d.]+)", output)
    latency = re.search(r"p50 (\d+) ms, p95 (\d+) ms", output)
    what = f"public form under load: {rate[1]} accepted/s" if rate else "public form under load: see below"
    return [("intake", what, latency[1] if latency else "", latency[2] if latency else "", "")]


def notification_rows(output: str) -> list[Row]:
    """The drain's rate, and the plain smtplib rate beside it when the
    benchmark measures one."""
    rows: list[Row] = []
    for line in output.splitlines():
        rate = re.search(r"([\d.]+) (?:messages|e-mails) per second", line)
        if rate:
            what = "plain smtplib loop" if "smtplib" in line else "one worker drains the outbox"
            rows.append(("outbox", f"{what}: {rate[1]} e-mails/s", "", "", ""))
    return rows or [("outbox", "see below", "", "", "")]


def table(rows: list[Row]) -> str:
    width = max(len(r[1]) for r in rows)
    lines = [
        f"| {'area':<11} | {'page or run':<{width}} | {'p50 ms':>7} | {'p95 ms':>7} | queries |",
        f"|{'-' * 13}|{'-' * (width + 2)}|{'-' * 9}|{'-' * 9}|---------|",
    ]
    lines += [f"| {a:<11} | {w:<{width}} | {p50:>7} | {p95:>7} | {q:>7} |" for a, w, p50, p95, q in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="measure the cases already there if there are enough")
    parser.add_argument("--repeat", type=int, default=40, help="requests per back-office page")
    parser.add_argument("--runs", type=int, default=15, help="requests per statistics page and period")
    parser.add_argument("--submissions", type=int, default=1000, help="public form submissions")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients of the public form")
    parser.add_argument("--messages", type=int, default=2000, help="e-mails the outbox drains")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database you can throw away.")
    started = datetime.now(UTC)
    load_before = load()
    call_command("migrate", verbosity=0)
    print(fill(args.cases, args.keep), flush=True)
    from cases.models import Case

    size = Case.objects.count()
    print("back office …", flush=True)
    rows = backoffice_rows(args.repeat)
    print("statistics …", flush=True)
    more, stats_output = stats_rows(args.runs)
    rows += more
    print("intake …", flush=True)
    intake_output = script("intake.py", "--clients", str(args.clients), "--submissions", str(args.submissions))
    rows += intake_rows(intake_output)
    print("outbox …", flush=True)
    notify_output = script("notifications.py", "--messages", str(args.messages))
    rows += notification_rows(notify_output)
    print(
        f"\n{size:,} cases, PostgreSQL {server_version()}, {started:%Y-%m-%d %H:%M} UTC; "
        f"load average (1/5/15 min) before {load_before}, after {load()}\n"
    )
    print(table(rows))
    print("\n--- statistics ---\n" + stats_output.strip())
    print("\n--- intake ---\n" + intake_output.strip())
    print("\n--- outbox ---\n" + notify_output.strip())


if __name__ == "__main__":
    main()
