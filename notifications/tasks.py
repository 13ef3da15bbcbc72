"""Thin Celery tasks: each takes ids, calls one service and, for a send
that failed for now, schedules a short retry. The database row, not the
broker, holds the truth, so a lost or repeated task does no harm."""

import logging

from celery import shared_task
from celery.exceptions import Retry
from django.db import OperationalError

from notifications import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def message_send(self, message_id: int) -> str:
    try:
        outcome = services.message_deliver(message_id=message_id)
    except OperationalError as exc:
        # The database was busy or away before anything was sent; the row's
        # status is unchanged (or "sending", which the sweep recovers).
        raise self.retry(exc=exc, countdown=5)
    if outcome.retry_in is not None:
        try:
            # Backoff is capped at NOTIFICATIONS_RETRY_MAX_SECONDS (minutes,
            # never days), well inside Redis's visibility timeout.
            raise self.retry(countdown=outcome.retry_in)
        except Retry:
            raise
        except Exception:
            logger.warning("Retry of outbox message %s not queued; the sweep will send it.", message_id, exc_info=True)
    return outcome.status


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    return services.outbox_sweep()
