"""A cheap health check for the container's HEALTHCHECK, load balancers and
monitoring, safe to call every few seconds and free of personal data.

200 when the database answers, 503 when it does not. The broker (a Redis
PING with a short timeout), the age of the oldest pending outbox message and
the last beat run only degrade the answer: they are listed under "warn".
Two small queries: the oldest pending message (the status prefix of the
outbox's (status, next_attempt_at) index; few rows are ever pending) and
the beat heartbeat row (core/tasks.py)."""

from __future__ import annotations

import logging
from datetime import datetime

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.models import Heartbeat
from core.tasks import BEAT
from notifications.models import OutboundMessage

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 0.5
_broker_clients: dict[str, redis.Redis] = {}


def _broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return "not checked"
    client = _broker_clients.get(url)
    if client is None:
        client = _broker_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
        )
    try:
        client.ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"


def _age(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    try:
        oldest = OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        beat = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
    except DatabaseError:
        log.warning("healthz: the database does not answer", exc_info=True)
        return JsonResponse({"status": "down", "database": "unreachable"}, status=503)
    broker = _broker()
    outbox_age, beat_age = _age(oldest, now), _age(beat, now)
    warn = []
    if broker not in ("ok", "not checked"):
        warn.append("broker")
    if outbox_age is not None and outbox_age > settings.KONTAKT_HEALTH_OUTBOX_WARN_SECONDS:
        warn.append("outbox")
    if beat_age is None or beat_age > settings.KONTAKT_HEALTH_BEAT_WARN_SECONDS:
        warn.append("beat")
    return JsonResponse(
        {
            "status": "warn" if warn else "ok",
            "database": "ok",
            "broker": broker,
            "outbox_oldest_pending_seconds": outbox_age,
            "beat_last_run_seconds_ago": beat_age,
            "warn": warn,
        }
    )
