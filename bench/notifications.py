"""How fast a worker drains the outbox: queue N e-mails (default 10,000)
through the application's own path (message_enqueue, dispatch after
commit), then start Celery workers against a private redis-server and a
local aiosmtpd server, and time until every message is delivered.

    .venv/bin/python bench/notifications.py                      # SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench .venv/bin/python bench/notifications.py

The database named by DATABASE_URL is migrated and its outbox emptied
first: never point it at a database you care about."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="prefork children per worker")
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


def run(args, tmp: Path, redis) -> None:
    import django

    from bench import servers

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from notifications.models import Channel, OutboundMessage, TemplateKey
    from notifications.services import message_enqueue

    OutboundMessage.objects.all().delete()
    context = {
        "municipality_name": "Burlövs kommun",
        "service_name": "Kontakt Burlöv",
        "site_url": "http://x",
        "recipient_name": "Anna",
        "overdue": [],
        "near": [],
    }
    with servers.smtp_server() as (controller, handler):
        started = time.perf_counter()
        with transaction.atomic():
            for i in range(args.messages):
                message_enqueue(
                    channel=Channel.EMAIL,
                    recipient=f"person{i}@example.se",
                    template_key=TemplateKey.STAFF_DIGEST,
                    language="sv",
                    context=context,
                    kind=OutboundMessage.Kind.STAFF,
                )
        queued = time.perf_counter() - started
        print(f"queued {args.messages} messages (render, insert, dispatch after commit) in {queued:.1f} s")

        env = {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "LOG_LEVEL": "WARNING",
        }
        workers = []
        for n in range(args.workers):
            workers.append(servers.WorkerProcess(f"bench{n}", env, tmp, concurrency=args.concurrency))
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        try:
            servers.wait_for(
                lambda: len(handler.messages) >= args.messages,
                timeout=3600,
                interval=0.2,
                what="all messages delivered",
            )
            servers.wait_for(
                lambda: not OutboundMessage.objects.exclude(status="sent").exists(),
                timeout=600,
                what="all rows marked sent",
            )
            elapsed = time.perf_counter() - started
        finally:
            for worker in workers:
                worker.stop()
        duplicates = len(handler.messages) - len({m["Message-ID"] for m in handler.messages})
        engine = django.db.connection.vendor
        print(
            f"drained {args.messages} e-mails to aiosmtpd in {elapsed:.1f} s "
            f"(including worker start-up): {args.messages / elapsed:.0f} messages per second "
            f"[{engine}, {args.workers} worker(s) x {args.concurrency} processes, duplicates: {duplicates}]"
        )


if __name__ == "__main__":
    main()
