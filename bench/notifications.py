"""How fast one worker drains the outbox, beside what the same SMTP server
takes from a plain smtplib loop in the same run (a benchmark, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_notify .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --messages 500           # SQLite file in a temp dir

1. Starts a private redis-server and a local aiosmtpd server (bench/servers.py).
2. The limit: the same e-mail (the rendered digest, text and HTML) sent by
   plain `smtplib` loops in their own processes, one connection each, no
   database and no broker: once over one connection, once over as many
   connections as the worker has processes.
3. Starts the worker (`celery -A kontakt worker`, prefork, --concurrency
   processes) and waits until it has sent one warm-up message.
4. Queues N e-mails through the application's own path (message_enqueue in
   one transaction, handed to Redis after commit), and times from the
   commit until every row is marked sent.
5. The database proof: rows sent = N = distinct Message-IDs the server
   received, no Message-ID received twice, and every received Message-ID
   is an outbox row's.

The database named by DATABASE_URL is migrated and its outbox emptied
first: never point it at a database you care about."""

from __future__ import annotations

import argparse
import os
import smtplib
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

CONTEXT = {
    "municipality_name": "Burlövs kommun",
    "service_name": "Kontakt Burlöv",
    "site_url": "http://x",
    "recipient_name": "Anna",
    "overdue": [],
    "near": [],
}


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (the prefork
    pool), read from /proc; 0 where /proc is missing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2, help="prefork processes of the one worker")
    parser.add_argument("--limit-messages", type=int, default=3_000, help="e-mails per plain smtplib measurement")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kontakt-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kontakt.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    from bench import servers

    redis = servers.RedisServer()
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    try:
        run(args, tmp, redis)
    finally:
        redis.stop()


def _smtplib_loop(port: int, payload: bytes, count: int, first: int, ready, go, times) -> None:
    """One plain SMTP client: one connection, `count` e-mails, nothing else."""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.ehlo()
        ready.release()
        go.wait()
        started = time.monotonic()
        for i in range(first, first + count):
            smtp.sendmail("kontakt@example.se", [f"limit{i}@example.se"], payload)
        times.put((started, time.monotonic()))


def smtplib_limit(port: int, payload: bytes, count: int, connections: int) -> float:
    """E-mails per second the server takes from `connections` plain smtplib
    clients in their own processes (like the worker's), each connected
    before the clock starts, from the first one's start to the last one's end."""
    spawn = get_context("spawn")
    ready, go, times = spawn.Semaphore(0), spawn.Event(), spawn.Queue()
    each = count // connections
    clients = [
        spawn.Process(target=_smtplib_loop, args=(port, payload, each, n * each, ready, go, times))
        for n in range(connections)
    ]
    for client in clients:
        client.start()
    for _ in clients:
        ready.acquire()
    go.set()
    spans = [times.get(timeout=600) for _ in clients]
    for client in clients:
        client.join()
        if client.exitcode != 0:
            raise SystemExit(f"the smtplib client failed (exit code {client.exitcode})")
    return each * connections / (max(end for _, end in spans) - min(start for start, _ in spans))


def run(args, tmp: Path, redis) -> None:
    import django

    from bench import servers

    django.setup()
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.core.management import call_command
    from django.db import connection, transaction

    from notifications.models import Channel, OutboundMessage, TemplateKey
    from notifications.services import MessageRequest, message_enqueue, message_render

    call_command("migrate", verbosity=0)
    OutboundMessage.objects.all().delete()

    def enqueue(count: int, prefix: str) -> None:
        with transaction.atomic():
            for i in range(count):
                message_enqueue(
                    channel=Channel.EMAIL,
                    recipient=f"{prefix}{i}@example.se",
                    template_key=TemplateKey.STAFF_DIGEST,
                    language="sv",
                    context=CONTEXT,
                    kind=OutboundMessage.Kind.STAFF,
                )

    rendered = message_render(
        MessageRequest(
            channel=Channel.EMAIL,
            recipient="x@example.se",
            template_key=TemplateKey.STAFF_DIGEST,
            language="sv",
            context=CONTEXT,
            kind=OutboundMessage.Kind.STAFF,
        )
    )
    email = EmailMultiAlternatives(rendered.subject, rendered.body_text, settings.DEFAULT_FROM_EMAIL, ["x@example.se"])
    email.attach_alternative(rendered.body_html, "text/html")
    payload = email.message().as_bytes().replace(b"\n", b"\r\n")

    print(f"load average (1/5/15 min) at the start: {_load()}")
    with servers.smtp_server() as (controller, handler):
        limits = {1: smtplib_limit(controller.port, payload, args.limit_messages, 1)}
        if args.concurrency > 1:
            limits[args.concurrency] = smtplib_limit(controller.port, payload, args.limit_messages, args.concurrency)
        handler.messages.clear()

        env = {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "LOG_LEVEL": "WARNING",
        }
        worker = servers.WorkerProcess("bench", env, tmp, concurrency=args.concurrency)
        started = time.perf_counter()
        worker.start()
        try:
            enqueue(1, "warmup")
            servers.wait_for(lambda: len(handler.messages) == 1, timeout=300, what="the worker's first e-mail")
            servers.wait_for(
                lambda: not OutboundMessage.objects.exclude(status="sent").exists(), timeout=60, what="warm-up sent"
            )
            ready = time.perf_counter() - started
            OutboundMessage.objects.all().delete()
            handler.messages.clear()

            started = time.perf_counter()
            enqueue(args.messages, "person")  # the commit hands the batches to Redis
            committed = time.perf_counter()
            assert worker.process is not None
            pid = worker.process.pid
            cpu = _cpu_seconds(pid)
            servers.wait_for(
                lambda: not OutboundMessage.objects.exclude(status="sent").exists(),
                timeout=3600,
                interval=0.1,
                what="all rows marked sent",
            )
            drained = time.perf_counter() - committed
            cpu = _cpu_seconds(pid) - cpu
        finally:
            worker.stop()
        received = [m["Message-ID"] for m in handler.messages]

    sent = OutboundMessage.objects.filter(status="sent").count()
    ids = {m.message_id_header for m in OutboundMessage.objects.only("uuid")}
    distinct = set(received)
    duplicates = len(received) - len(distinct)
    proof = sent == args.messages == len(distinct) and distinct <= ids and duplicates == 0
    rate = args.messages / drained
    engine = connection.vendor
    print(f"queued {args.messages} messages (render, insert; one transaction) in {committed - started:.1f} s")
    print(f"worker start-up to its first e-mail: {ready:.1f} s")
    print(f"the worker's CPU time while draining: {cpu:.1f} s, {1000 * cpu / args.messages:.2f} ms per e-mail")
    print()
    print(f"| plain smtplib, 1 connection | {limits[1]:.0f} e-mails/s |")
    if args.concurrency > 1:
        print(f"| plain smtplib, {args.concurrency} connections | {limits[args.concurrency]:.0f} e-mails/s |")
    print(
        f"| Kontakt's outbox, 1 worker x {args.concurrency} processes, batches of "
        f"{settings.NOTIFICATIONS_BATCH_SIZE} | {rate:.0f} e-mails/s "
        f"({args.messages} in {drained:.1f} s from the commit, {engine}) |"
    )
    print()
    print(
        f"database proof: {sent} rows sent, {len(received)} e-mails received, {len(distinct)} distinct "
        f"Message-IDs, {duplicates} duplicates, every received Message-ID an outbox row's: {distinct <= ids} "
        f"-> {'OK' if proof else 'FAILED'}"
    )
    print(f"load average (1/5/15 min) at the end: {_load()}")
    if not proof:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
