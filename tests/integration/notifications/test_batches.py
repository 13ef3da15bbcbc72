"""Batches: a worker claims due messages a batch at a time under a row lock
(SELECT … FOR UPDATE SKIP LOCKED), sends a batch over one SMTP connection
and records its results in one statement. Real worker processes on a
private redis-server, a real SMTP server on loopback, counted exactly."""

import base64
import json
import time
from collections import Counter

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import Channel, OutboundMessage, TemplateKey
from notifications.tasks import messages_send
from tests.integration.notifications.servers import celery_broker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONTEXT = {
    "municipality_name": "Burlövs kommun",
    "service_name": "Kontakt Burlöv",
    "site_url": "http://x",
    "recipient_name": "Anna",
    "overdue": [],
    "near": [],
}


def _request(address):
    return services.MessageRequest(
        channel=Channel.EMAIL,
        recipient=address,
        template_key=TemplateKey.STAFF_DIGEST,
        language="sv",
        context=CONTEXT,
        kind=OutboundMessage.Kind.STAFF,
    )


def _enqueue(addresses):
    """One transaction, as a service writes them: one task per batch after commit."""
    with transaction.atomic():
        return services.messages_enqueue([_request(a) for a in addresses])


def _rows(messages):
    return {m.recipient: m for m in OutboundMessage.objects.filter(pk__in=[m.pk for m in messages])}


def _env(worker_env, own_redis, smtp, **extra):
    return {
        **worker_env,
        "REDIS_URL": own_redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        **{k: str(v) for k, v in extra.items()},
    }


def _all_recorded(messages):
    return not OutboundMessage.objects.filter(pk__in=[m.pk for m in messages], status="sending").exists()


def test_two_workers_claiming_batches_of_the_same_messages_send_each_once(smtp, own_redis, workers, worker_env):
    smtp.delay_data = 0.005  # batches take long enough to overlap
    env = _env(worker_env, own_redis, smtp, NOTIFICATIONS_BATCH_SIZE=20, NOTIFICATIONS_SENDING_TIMEOUT_SECONDS=300)
    workers("a", env)
    workers("b", env)
    addresses = [f"person{i}@example.se" for i in range(300)]
    with celery_broker(own_redis.url):
        messages = _enqueue(addresses)  # 15 tasks of 20 after commit
        ids = [m.pk for m in messages]
        # Every batch handed over twice more, in another order, and tasks
        # that only take whatever is due: the workers race for every row.
        for start in range(0, len(ids), 20):
            messages_send.apply_async((list(reversed(ids[start : start + 20])),))
        for _ in range(10):
            messages_send.apply_async(([],))
        for start in range(10, len(ids), 20):
            messages_send.apply_async((ids[start : start + 20],))
        wait_for(
            lambda: OutboundMessage.objects.filter(pk__in=ids, status="sent").count() == len(ids),
            timeout=120,
            what="every message sent",
        )
        time.sleep(2)  # let every duplicate task run
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(smtp.messages) == len(ids)
    assert set(received.values()) == {1}
    rows = _rows(messages)
    assert set(received) == {row.message_id_header for row in rows.values()}
    assert {row.attempts for row in rows.values()} == {1}
    assert sorted(a for m in smtp.messages for a in m.envelope_to) == sorted(addresses)
    # Batches, not one connection per message.
    assert len({m.connection for m in smtp.messages}) < len(ids) / 5


def test_a_refused_recipient_fails_alone_and_the_rest_of_the_batch_is_sent(smtp, own_redis, workers, worker_env):
    smtp.refuse["nobody@example.se"] = "550 5.1.1 <nobody@example.se>: Recipient address rejected"
    smtp.refuse["full@example.se"] = "452 4.2.2 Mailbox full"
    workers("a", _env(worker_env, own_redis, smtp, NOTIFICATIONS_RETRY_BASE_SECONDS=5))
    good = [f"person{i}@example.se" for i in range(8)]
    with celery_broker(own_redis.url):
        messages = _enqueue(good[:4] + ["nobody@example.se", "full@example.se"] + good[4:])
        wait_for(lambda: _all_recorded(messages) and len(smtp.messages) == 8, what="the batch recorded")
        rows = _rows(messages)
        # One connection for the whole batch, the refusals included.
        assert smtp.connections == 1
        assert {a for m in smtp.messages for a in m.envelope_to} == set(good)
        assert all(rows[a].status == "sent" and rows[a].attempts == 1 for a in good)
        assert rows["nobody@example.se"].status == "failed"
        assert "550" in rows["nobody@example.se"].last_error
        full = rows["full@example.se"]
        assert full.status == "pending" and "452" in full.last_error and full.next_attempt_at > timezone.now()

        del smtp.refuse["full@example.se"]  # the mailbox has room again
        wait_for(lambda: _rows(messages)["full@example.se"].status == "sent", timeout=60, what="sent on retry")
    rows = _rows(messages)
    assert rows["full@example.se"].attempts == 2
    assert rows["nobody@example.se"].status == "failed" and rows["nobody@example.se"].attempts == 1
    assert len(smtp.to("full@example.se")) == 1 and smtp.to("nobody@example.se") == []
    assert all(len(smtp.to(a)) == 1 for a in good)


def test_a_connection_dropped_mid_batch_leaves_the_rest_to_be_retried(smtp, own_redis, workers, worker_env):
    addresses = [f"person{i}@example.se" for i in range(10)]
    # The server drops the connection at the fifth e-mail's DATA, before
    # accepting it, and refuses new connections until told otherwise.
    smtp.drop_on = {addresses[4]}
    workers("a", _env(worker_env, own_redis, smtp, NOTIFICATIONS_RETRY_BASE_SECONDS=5))
    with celery_broker(own_redis.url):
        messages = _enqueue(addresses)
        wait_for(lambda: smtp.refuse_connections and _all_recorded(messages), what="the batch recorded")
        rows = _rows(messages)
        assert all(rows[a].status == "sent" and rows[a].attempts == 1 for a in addresses[:4])
        for address in addresses[4:]:
            row = rows[address]
            assert row.status == "pending" and row.attempts == 1, address
            assert row.last_error.startswith("SMTP: SMTPServerDisconnected") and row.next_attempt_at > timezone.now()
        assert [a for m in smtp.messages for a in m.envelope_to] == addresses[:4]

        smtp.refuse_connections = False  # the server is back
        wait_for(
            lambda: OutboundMessage.objects.filter(pk__in=[m.pk for m in messages], status="sent").count() == 10,
            timeout=60,
            what="the rest sent on retry",
        )
    rows = _rows(messages)
    assert all(len(smtp.to(a)) == 1 for a in addresses)
    assert [rows[a].attempts for a in addresses] == [1] * 4 + [2] * 6
    assert all(rows[a].last_error == "" for a in addresses)


def _published(client):
    """The message ids of each task waiting in the broker's queue."""
    batches = []
    for raw in client.lrange("celery", 0, -1):
        args, _kwargs, _embed = json.loads(base64.b64decode(json.loads(raw)["body"]))
        batches.append(args[0])
    return list(reversed(batches))  # LPUSH: the newest first


def _rolled_back(address):
    """A message written in a savepoint that rolls back; returns its id."""
    written = []
    try:
        with transaction.atomic():
            written.append(services.message_enqueue(**_kwargs(address)).pk)
            raise RuntimeError
    except RuntimeError:
        return written[0]


def test_messages_written_in_one_transaction_are_handed_over_a_batch_per_task(own_redis, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 50
    client = redis.Redis.from_url(own_redis.url)
    with celery_broker(own_redis.url):
        with transaction.atomic():
            # First in the transaction and rolled back: its after-commit hook
            # goes with the savepoint, and the next message registers another.
            first_gone = _rolled_back("gone1@example.se")
            kept = [services.message_enqueue(**_kwargs(f"a{i}@example.se")) for i in range(70)]
            # Rolled back after the hook exists: its id is handed over and
            # its task finds no such row.
            later_gone = _rolled_back("gone2@example.se")
            kept += [services.message_enqueue(**_kwargs(f"b{i}@example.se")) for i in range(40)]
        batches = _published(client)
    assert [len(b) for b in batches] == [50, 50, 11]
    handed = [i for b in batches for i in b]
    assert sorted(handed) == sorted([m.pk for m in kept] + [later_gone])
    assert first_gone not in handed
    assert OutboundMessage.objects.count() == 110
    assert services.messages_deliver(message_ids=[later_gone], fill=False) == {}


def _kwargs(address):
    request = _request(address)
    return {
        "channel": request.channel,
        "recipient": request.recipient,
        "template_key": request.template_key,
        "language": request.language,
        "context": request.context,
        "kind": request.kind,
    }
