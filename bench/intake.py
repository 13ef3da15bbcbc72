"""Public intake under load (a benchmark, not a test): N concurrent clients
post the public form to gunicorn on loopback, with PostgreSQL and a private
redis-server, and the database is then checked.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/intake.py --clients 16 --submissions 2000

Each client is a browser: it fetches the form once (session and CSRF
cookies), then sends submissions one after another, each a POST that is
answered with a redirect and the GET of the receipt page it leads to (what
a citizen waits for). Every client has its own address (X-Forwarded-For,
BEHIND_PROXY=true) and the rate limits are raised out of the way, but still
counted. Prints accepted submissions per second, p50/p95 latency, and the
database proof: cases registered = submissions accepted, one receipt in the
outbox per case, case numbers contiguous.

The database is migrated and the organisation loaded when missing; cases
of earlier runs are left alone (the proof counts this run's cases by a
run marker in the text). Never point it at a database you care about."""

from __future__ import annotations

import argparse
import http.client
import os
import re
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

from bench import servers  # noqa: E402

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


def client_run(port: int, index: int, count: int, marker: str, results: list, start: threading.Barrier) -> None:
    browser = Browser(port, f"10.{index // 250}.{index % 250}.1")
    status, _, html = browser.request("GET", FORM)
    assert status == 200, status
    token_match, category_match = TOKEN.search(html), CATEGORY.search(html)
    assert token_match is not None and category_match is not None, "the form has changed"
    token = token_match.group(1)
    category = category_match.group(1) or category_match.group(2)
    start.wait()
    for n in range(count):
        data = {
            "csrfmiddlewaretoken": token,
            "category": category,
            "description": f"{marker} klient {index} nummer {n}: gatlampan vid Storgatan är släckt.",
            "reply": "email",
            "name": f"Klient {index}",
            "email": f"klient{index}.{n}@example.se",
            "phone": "",
            "website": "",
        }
        began = time.perf_counter()
        status, headers, _ = browser.request("POST", FORM, urlencode(data))
        accepted = status == 302
        if accepted:
            status, _, _ = browser.request("GET", headers["location"])
            accepted = status == 200
        results.append((accepted, time.perf_counter() - began))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--submissions", type=int, default=2000, help="submissions in all")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--web-threads", type=int, default=1, help="gunicorn threads per worker")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (a database you can throw away).")

    redis = servers.RedisServer()
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from cases import demo
    from cases.models import Category

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        demo.load_organisation()

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
    gunicorn = subprocess.Popen(
        [
            shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn",
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
        run(args, port)
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


def run(args: argparse.Namespace, port: int) -> None:
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
        threading.Thread(target=client_run, args=(port, i, n, marker, results, barrier), daemon=True)
        for i, n in enumerate(per_client)
    ]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began

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

    print(f"clients {args.clients}, gunicorn {args.web_workers} workers x {args.web_threads} threads")
    print(f"submissions {len(results)}, accepted {len(accepted)}, refused or failed {len(results) - len(accepted)}")
    print(f"accepted per second: {len(accepted) / elapsed:.1f} ({elapsed:.1f} s)")
    print(
        f"latency (POST + receipt page): p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(
        f"database: cases {len(numbers)} (= accepted: {len(numbers) == len(accepted)}), "
        f"receipts one per case: {len(per_case) == len(numbers) and set(per_case) <= {1}}, "
        f"numbers contiguous: {contiguous}"
    )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
