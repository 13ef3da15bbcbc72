"""Fault tests: each starts its own redis-server and worker processes on
spare ports, breaks something, and counts exactly what was delivered."""

import threading
import time

import pytest

from cases.notices import subject_key
from cases.services import ContactData
from notifications import services
from notifications.models import OutboundMessage
from tests.factories import CategoryFactory, UnitFactory, register_case
from tests.integration.notifications import servers
from tests.integration.notifications.servers import celery_broker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _status(message_id):
    return OutboundMessage.objects.values_list("status", flat=True).get(pk=message_id)


def _category():
    return CategoryFactory(default_unit=UnitFactory(email=""))


@pytest.fixture
def fast_outbox(settings):
    """The same short timeouts the worker processes get (worker_env)."""
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 2
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 1


def _smtp_env(worker_env, own_redis, smtp):
    return {**worker_env, "REDIS_URL": own_redis.url, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}


def test_receipt_survives_broker_outage(smtp, own_redis, workers, worker_env, fast_outbox):
    workers("a", _smtp_env(worker_env, own_redis, smtp))
    with celery_broker(own_redis.url):
        own_redis.stop()
        case = register_case(category=_category(), contact=ContactData(email="eva@example.se"))
        assert case.pk is not None  # the request succeeded although dispatch failed
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        time.sleep(1)
        assert _status(message.pk) == "pending" and smtp.messages == []
        assert services.outbox_sweep() == 0  # the broker is still down: nothing dispatched, nothing lost

        own_redis.start()
        assert services.outbox_sweep() == 1
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent after the outage")
        services.outbox_sweep()
        time.sleep(2)
    assert len(smtp.to("eva@example.se")) == 1


def test_smtp_refusing_then_accepting_retries_and_delivers_once(smtp, own_redis, workers, worker_env, fast_outbox):
    smtp.tempfail_data = 2
    workers("a", _smtp_env(worker_env, own_redis, smtp))
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(email="eva@example.se"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent after retries")
    message.refresh_from_db()
    assert message.attempts == 3
    assert smtp.data_calls == 3
    assert len(smtp.to("eva@example.se")) == 1


def test_worker_killed_before_smtp_accepted_sends_once_after_restart(smtp, own_redis, workers, worker_env, fast_outbox):
    smtp.stall_before_accept = threading.Event()
    env = _smtp_env(worker_env, own_redis, smtp)
    first = workers("a", env)
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(email="eva@example.se"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        assert smtp.data_started.wait(30)
        first.kill()
        smtp.stall_before_accept.set()  # the server gives up on the dead client
        assert _status(message.pk) == "sending" and smtp.messages == []
        smtp.stall_before_accept = None

        workers("b", env)
        time.sleep(2.5)  # past NOTIFICATIONS_SENDING_TIMEOUT_SECONDS
        assert services.outbox_sweep() == 1
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent after the restart")
    message.refresh_from_db()
    assert message.attempts == 2
    assert len(smtp.to("eva@example.se")) == 1


def _sms_env(worker_env, own_redis, twilio):
    from tests.integration.notifications import servers

    return {
        **worker_env,
        "REDIS_URL": own_redis.url,
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": servers.TWILIO_SID,
        "TWILIO_AUTH_TOKEN": servers.TWILIO_TOKEN,
        "TWILIO_FROM_NUMBER": servers.TWILIO_FROM,
        "TWILIO_API_BASE_URL": twilio.url,
        "TWILIO_STATUS_CALLBACK": "false",
    }


def test_worker_killed_after_twilio_accepted_does_not_send_twice(twilio, own_redis, workers, worker_env, fast_outbox):
    twilio.stall_after_accept = threading.Event()
    env = _sms_env(worker_env, own_redis, twilio)
    first = workers("a", env)
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(phone="+46701234567", preferred="sms"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        wait_for(lambda: len(twilio.messages) == 1, what="Twilio accepted the message")
        first.kill()  # before the worker read Twilio's answer
        twilio.stall_after_accept.set()
        twilio.stall_after_accept = None
        assert _status(message.pk) == "sending"

        workers("b", env)
        time.sleep(2.5)
        assert services.outbox_sweep() == 1
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="recorded as sent")
    message.refresh_from_db()
    assert len(twilio.messages) == 1
    assert message.provider_message_id == twilio.messages[0]["sid"]
    assert message.attempts == 2


def test_worker_killed_before_twilio_accepted_sends_once_after_restart(
    twilio, own_redis, workers, worker_env, fast_outbox
):
    twilio.stall_before_accept = threading.Event()
    env = _sms_env(worker_env, own_redis, twilio)
    first = workers("a", env)
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(phone="+46701234567", preferred="sms"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        assert twilio.create_started.wait(30)
        first.kill()
        twilio.stall_before_accept.set()
        twilio.stall_before_accept = None
        assert _status(message.pk) == "sending" and twilio.messages == []

        workers("b", env)
        time.sleep(2.5)
        assert services.outbox_sweep() == 1
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent after the restart")
    message.refresh_from_db()
    assert len(twilio.messages) == 1
    assert message.provider_message_id == twilio.messages[0]["sid"]


def test_worker_killed_after_smtp_accepted_resends_under_the_same_message_id(
    smtp, own_redis, workers, worker_env, fast_outbox
):
    """SMTP cannot be asked whether it took a message, so this is the one
    case where a copy can reach the server twice (docs/notifications.md):
    both copies carry the same Message-ID, which mail systems deduplicate."""
    smtp.stall_after_accept = threading.Event()
    env = _smtp_env(worker_env, own_redis, smtp)
    first = workers("a", env)
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(email="eva@example.se"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        wait_for(lambda: len(smtp.messages) == 1, what="SMTP accepted the message")
        first.kill()
        smtp.stall_after_accept.set()
        smtp.stall_after_accept = None

        workers("b", env)
        time.sleep(2.5)
        assert services.outbox_sweep() == 1
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent after the restart")
    copies = smtp.to("eva@example.se")
    assert len(copies) == 2
    assert {c["Message-ID"] for c in copies} == {message.message_id_header}


def test_two_workers_racing_for_one_message_send_it_once(smtp, own_redis, workers, worker_env, fast_outbox):
    from notifications.tasks import message_send

    smtp.delay_data = 1.0  # keep the first sender busy while the other tries
    # A sender is never taken for dead here: only the row's status decides.
    env = {**_smtp_env(worker_env, own_redis, smtp), "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS": "300"}
    workers("a", env)
    workers("b", env)
    with celery_broker(own_redis.url):
        case = register_case(category=_category(), contact=ContactData(email="eva@example.se"))
        message = OutboundMessage.objects.get(subject_key=subject_key(case))
        for _ in range(5):
            message_send.apply_async((message.pk,))
        wait_for(lambda: _status(message.pk) == "sent", timeout=60, what="sent")
        time.sleep(3)  # let every duplicate task run
    message.refresh_from_db()
    assert message.attempts == 1
    assert len(smtp.to("eva@example.se")) == 1


def test_worker_survives_three_redis_restarts(smtp, own_redis, workers, worker_env, fast_outbox):
    """Redis restarted three times under a worker run as docker-compose runs
    it (prefork, mingle, gossip): after each restart the worker is still
    consuming, and every message is delivered by the worker (no sweep runs)."""
    worker = workers("a", _smtp_env(worker_env, own_redis, smtp), servers.PRODUCTION)
    category = _category()
    with celery_broker(own_redis.url):
        for restart in range(1, 4):
            own_redis.stop()
            time.sleep(2)
            own_redis.start()
            address = f"eva{restart}@example.se"
            case = register_case(category=category, contact=ContactData(email=address))
            message = OutboundMessage.objects.get(subject_key=subject_key(case))
            try:
                wait_for(lambda pk=message.pk: _status(pk) == "sent", timeout=90, what=f"sent after restart {restart}")
            except AssertionError as error:
                raise AssertionError(worker.log_path.read_text()[-6000:]) from error
            assert worker.process.poll() is None
            assert len(smtp.to(address)) == 1
    assert b"Unrecoverable error" not in worker.log_path.read_bytes()
