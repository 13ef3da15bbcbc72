"""Public intake under load (a benchmark, not a test): N concurrent clients
post the public form to gunicorn on loopback, with PostgreSQL and a private
redis-server, and the database is then checked.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/intake.py --clients 16 --submissions 2000

gunicorn runs as in production, with gunicorn.conf.py (two synchronous
workers per core) unless --web-workers or --web-threads say otherwise.
Each client is a browser: it fetches the form once (the CSRF cookie), sends
--warmup submissions that are not measured (so every worker has loaded its
code, translations and templates, as a worker that has been running has),
then its share of the submissions one after another, each a POST that is
answered with a redirect and the GET of the receipt page it leads to (what
a citizen waits for). Every client has its own address (X-Forwarded-For,
BEHIND_PROXY=true) and the rate limits are raised out of the way, but still
counted.

Prints accepted submissions per second, p50/p95 latency, the SQL statements
of one submission (counted in this process through Django's test client),
the database proof (cases registered = submissions accepted, one receipt in
the outbox per case, case numbers contiguous), the CPU time one accepted
submission cost gunicorn, PostgreSQL, Redis and the client (on Linux, from
/proc: a figure that depends much less on what else runs than the rate
does), how busy the machine was, and the load average before and after.

The database is migrated and the organisation loaded when missing; cases
of earlier runs are left alone (the proof counts this run's cases by a
run marker in the text). Never point it at a database you care about."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import runpy
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")

from bench import cpu, servers  # noqa: E402

FORM = "/lamna/fraga/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CATEGORY = re.compile(r'name="category"[^>]*value="(\d+)"|<option value="(\d+)"')


class Browser:
    """One client: a keep-alive connection, its cookies, its own address."""

    def __init__(self, port: int, address: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], str]:
        headers = {"X-Forwarded-For": self.address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1{FORM}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def client_run(
    port: int, index: int, count: int, warmup: int, marker: str, results: list, start: threading.Barrier
) -> None:
    browser = Browser(port, f"10.{index // 250}.{index % 250}.1")
    status, _, html = browser.request("GET", FORM)
    assert status == 200, status
    token_match, category_match = TOKEN.search(html), CATEGORY.search(html)
    assert token_match is not None and category_match is not None, "the form has changed"
    token = token_match.group(1)
    category = category_match.group(1) or category_match.group(2)

    def submit(text: str, email: str) -> bool:
        data = {
            "csrfmiddlewaretoken": token,
            "category": category,
            "description": text,
            "reply": "email",
            "name": f"Klient {index}",
            "email": email,
            "phone": "",
            "website": "",
        }
        status, headers, _ = browser.request("POST", FORM, urlencode(data))
        if status != 302:
            return False
        status, _, _ = browser.request("GET", headers["location"])
        return status == 200

    # Unmeasured submissions first, so that every gunicorn worker has
    # loaded its code, translations and templates: the figures are for
    # workers that have been running, as in production.
    for n in range(warmup):
        submit(f"uppvärmning {marker} klient {index} nummer {n}", f"klient{index}.varm{n}@example.se")
    start.wait()
    for n in range(count):
        began = time.perf_counter()
        accepted = submit(
            f"{marker} klient {index} nummer {n}: gatlampan vid Storgatan är släckt.", f"klient{index}.{n}@example.se"
        )
        results.append((accepted, time.perf_counter() - began))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--submissions", type=int, default=2000, help="submissions in all")
    parser.add_argument(
        "--web-workers", type=int, help="gunicorn worker processes (default: gunicorn.conf.py's, two per core)"
    )
    parser.add_argument("--web-threads", type=int, help="gunicorn threads per worker (default: gunicorn.conf.py's, 1)")
    parser.add_argument(
        "--warmup", type=int, default=5, help="unmeasured submissions per client before the measured ones"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (a database you can throw away).")

    load_before = os.getloadavg()
    redis = servers.RedisServer()
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The limits are raised for the in-process query count too (below).
    os.environ["KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR"] = "1000000"
    os.environ["KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR"] = "1000000"
    import django

    django.setup()
    from django.core.management import call_command

    from cases import demo
    from cases.models import Category

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        demo.load_organisation()
    statements = statements_count()

    port = servers.free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis.url,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "KONTAKT_SUBMISSIONS_PER_SESSION_PER_HOUR": "1000000",
        "KONTAKT_SUBMISSIONS_PER_ADDRESS_PER_HOUR": "1000000",
        "LOG_LEVEL": "WARNING",
    }
    # As in production: gunicorn.conf.py, unless the command line says otherwise.
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    args.web_workers = args.web_workers or config["workers"]
    args.web_threads = args.web_threads or config["threads"]
    gunicorn = subprocess.Popen(
        [
            shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "kontakt.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.web_threads),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        servers.wait_for(lambda: _answers(port), timeout=60, what="gunicorn")
        assert redis.process is not None
        run(args, port, gunicorn.pid, redis.process.pid, statements, load_before)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)
        redis.stop()


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        return conn.getresponse().status in (200, 503)
    except OSError:
        return False


def statements_count() -> dict[str, int]:
    """SQL statements of one submission, counted in this process through
    Django's test client with the same settings as the server: the POST of
    a browser's first submission, the POST of its next one (it then has the
    receipt's cookie), and the receipt page. BEGIN and COMMIT are not
    statements Django logs; each POST has one transaction."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    html = client.get(FORM).content.decode()
    category_match = CATEGORY.search(html)
    assert category_match is not None, "the form has changed"
    data = {
        "category": category_match.group(1) or category_match.group(2),
        "description": "Räknar frågor: gatlampan vid Storgatan är släckt.",
        "reply": "email",
        "name": "Räknare",
        "email": "raknare@example.se",
        "phone": "",
        "website": "",
    }
    counts = {}
    for name in ("first POST", "next POST"):
        with CaptureQueriesContext(connection) as posted:
            response = client.post(FORM, data)
        assert response.status_code == 302, response.status_code
        counts[name] = len(posted.captured_queries)
        with CaptureQueriesContext(connection) as shown:
            assert client.get(response["location"]).status_code == 200
        counts["receipt page"] = len(shown.captured_queries)
    return counts


def _gunicorn_pids(master: int) -> list[int]:
    return [master, *cpu.children(master)]


def run(
    args: argparse.Namespace,
    port: int,
    gunicorn_pid: int,
    redis_pid: int,
    statements: dict[str, int],
    load_before: tuple[float, float, float],
) -> None:
    from django.conf import settings
    from django.db.models import Count

    from cases.models import Case
    from cases.notices import subject_key
    from notifications.models import OutboundMessage

    marker = "bench-" + uuid.uuid4().hex[:12]
    per_client = [
        args.submissions // args.clients + (1 if i < args.submissions % args.clients else 0)
        for i in range(args.clients)
    ]
    results: list[tuple[bool, float]] = []
    barrier = threading.Barrier(args.clients + 1)
    threads = [
        threading.Thread(target=client_run, args=(port, i, n, args.warmup, marker, results, barrier), daemon=True)
        for i, n in enumerate(per_client)
    ]
    database = f" {settings.DATABASES['default']['NAME']} "
    meter = cpu.CpuMeter(
        {
            "web": lambda: _gunicorn_pids(gunicorn_pid),
            "database": lambda: [pid for pid in cpu.matching(database) if pid != os.getpid()],
            "redis": lambda: [redis_pid],
            "client": lambda: [os.getpid()],
        }
    )
    for t in threads:
        t.start()
    barrier.wait()
    measured = cpu.available()
    if measured:
        meter.start()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if measured:
        meter.stop()
    load_after = os.getloadavg()

    accepted = [latency for ok, latency in results if ok]
    latencies = sorted(latency for _, latency in results)
    cases = Case.objects.filter(description__startswith=marker)
    numbers = sorted(cases.values_list("number", flat=True))
    sequence = sorted(int(n.rsplit("-", 1)[-1]) for n in numbers)
    contiguous = sequence == list(range(sequence[0], sequence[0] + len(sequence))) if sequence else True
    keys = [subject_key(case) for case in cases.only("pk")]
    receipts = (
        OutboundMessage.objects.filter(subject_key__in=keys, template_key="receipt")
        .values("subject_key")
        .annotate(n=Count("pk"))
    )
    per_case = [row["n"] for row in receipts]

    print(
        f"clients {args.clients}, gunicorn {args.web_workers} workers x {args.web_threads} threads, {os.cpu_count()} cores"
    )
    print(f"submissions {len(results)}, accepted {len(accepted)}, refused or failed {len(results) - len(accepted)}")
    print(f"accepted per second: {len(accepted) / elapsed:.1f} ({elapsed:.1f} s)")
    print(
        f"latency (POST + receipt page): p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(
        "SQL statements per submission (without BEGIN/COMMIT): "
        + ", ".join(f"{name} {count}" for name, count in statements.items())
    )
    print(
        f"database: cases {len(numbers)} (= accepted: {len(numbers) == len(accepted)}), "
        f"receipts one per case: {len(per_case) == len(numbers) and set(per_case) <= {1}}, "
        f"numbers contiguous: {contiguous}"
    )
    if measured and accepted:
        spent = meter.seconds()
        per = {name: seconds * 1000 / len(accepted) for name, seconds in spent.items()}
        total = sum(per.values())
        busy, capacity = meter.machine()
        print(
            "CPU per accepted submission: "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in per.items())
            + f"; total {total:.1f} ms, so at most {1000 * (os.cpu_count() or 1) / total:.0f}/s "
            f"with the machine to itself"
        )
        print(
            f"machine CPU busy during the run: {100 * busy / capacity:.0f} % of {os.cpu_count()} cores, "
            f"this benchmark {100 * sum(spent.values()) / capacity:.0f} %"
        )
    print(
        "load average (1/5/15 min): "
        + " ".join(f"{x:.2f}" for x in load_before)
        + " before, "
        + " ".join(f"{x:.2f}" for x in load_after)
        + " after"
    )


if __name__ == "__main__":
    main()
