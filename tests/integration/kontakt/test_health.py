"""The health endpoint the container's HEALTHCHECK and load balancers call."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.db.models.query import QuerySet
from django.test import Client
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import beat_heartbeat
from notifications.models import OutboundMessage
from tests.integration.notifications.servers import RedisServer, free_port

pytestmark = pytest.mark.django_db


def _pending(age: timedelta) -> OutboundMessage:
    message = OutboundMessage.objects.create(
        channel="email", recipient="eva@example.se", template_key="receipt", subject_key="case:1"
    )
    OutboundMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - age)
    return message


def test_health_answers_ok_when_the_database_answers(django_assert_num_queries, settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    beat_heartbeat()
    with django_assert_num_queries(2):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not checked",
        "outbox_oldest_pending_seconds": None,
        "beat_last_run_seconds_ago": 0,
        "warn": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_needs_no_sign_in_and_sets_no_session():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_health_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301


def test_an_old_pending_message_and_a_silent_beat_warn_but_answer_200(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.KONTAKT_HEALTH_OUTBOX_WARN_SECONDS = 600
    settings.KONTAKT_HEALTH_BEAT_WARN_SECONDS = 180
    _pending(timedelta(minutes=15))
    _pending(timedelta(minutes=1))
    Heartbeat.objects.create(name="beat", at=timezone.now() - timedelta(minutes=5))
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "warn" and body["warn"] == ["outbox", "beat"]
    assert 899 <= body["outbox_oldest_pending_seconds"] <= 905
    assert 299 <= body["beat_last_run_seconds_ago"] <= 305
    # Nothing personal: only states and ages.
    assert "eva@example.se" not in response.content.decode()


def test_no_beat_yet_is_a_warning(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    body = Client().get("/healthz").json()
    assert body["beat_last_run_seconds_ago"] is None and "beat" in body["warn"]


def test_an_unreachable_broker_is_a_warning(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    beat_heartbeat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable" and response.json()["warn"] == ["broker"]


@pytest.mark.redis
def test_a_redis_broker_that_answers_is_ok(settings):
    server = RedisServer()
    server.start()
    try:
        settings.CELERY_BROKER_URL = server.url
        beat_heartbeat()
        assert Client().get("/healthz").json()["broker"] == "ok"
        server.stop()
        assert Client().get("/healthz").json()["broker"] == "unreachable"
    finally:
        server.stop()


def test_the_database_down_answers_503(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(QuerySet, "aggregate", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "unreachable"}


def test_the_beat_containers_check_fails_without_a_recent_heartbeat():
    with pytest.raises(CommandError):
        call_command("heartbeat_check", "--max-age", "180")
    Heartbeat.objects.create(name="beat", at=timezone.now() - timedelta(minutes=4))
    with pytest.raises(CommandError):
        call_command("heartbeat_check", "--max-age", "180")
    beat_heartbeat()
    call_command("heartbeat_check", "--max-age", "180")
