import os

import pytest

from tests.integration.notifications import servers


@pytest.fixture
def twilio(settings):
    """A loopback server answering like Twilio's Messages API, with the real
    twilio client pointed at it."""
    with servers.twilio_server() as (url, state):
        settings.SMS_BACKEND = "twilio"
        settings.TWILIO_ACCOUNT_SID = servers.TWILIO_SID
        settings.TWILIO_AUTH_TOKEN = servers.TWILIO_TOKEN
        settings.TWILIO_FROM_NUMBER = servers.TWILIO_FROM
        settings.TWILIO_MESSAGING_SERVICE_SID = ""
        settings.TWILIO_API_BASE_URL = url
        settings.TWILIO_STATUS_CALLBACK = False
        state.url = url
        yield state


@pytest.fixture
def redis_broker():
    """The shared test Redis (KONTAKT_TEST_REDIS_URL) as this process's broker."""
    import redis

    url = os.environ["KONTAKT_TEST_REDIS_URL"]
    redis.Redis.from_url(url).flushdb()
    with servers.celery_broker(url) as app:
        yield app


@pytest.fixture
def celery_worker(redis_broker, transactional_db):
    """A real Celery worker, in this process, consuming from the real Redis."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        redis_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"
    ) as worker:
        yield worker


@pytest.fixture
def own_redis():
    server = servers.RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_env(settings, tmp_path):
    """Environment for worker processes: the test database, and short
    timeouts so the fault tests run in seconds rather than minutes."""
    return {
        "DATABASE_URL": servers.database_url_for_subprocess(),
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
        "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS": "2",
        "NOTIFICATIONS_SWEEP_AFTER_SECONDS": "0",
        "SMS_BACKEND": "console",
        "EMAIL_URL": "consolemail://",
    }


@pytest.fixture
def workers(tmp_path):
    started = []

    def start(name, env, options=servers.SOLO):
        worker = servers.WorkerProcess(name, env, tmp_path, options).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
