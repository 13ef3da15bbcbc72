"""Thin Celery tasks: each takes ids and calls one service. The database
row, not the broker, holds the truth, so a lost or repeated task does no
harm."""

from celery import shared_task
from django.db import OperationalError

from notifications import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def messages_send(self, message_ids: list[int]) -> int:
    """Send a batch: these messages, and other due ones up to
    NOTIFICATIONS_BATCH_SIZE (services.messages_send)."""
    try:
        return services.messages_send(message_ids=message_ids)
    except OperationalError as exc:
        # The database was busy or away before anything was sent; the rows'
        # status is unchanged (or "sending", which the sweep recovers).
        raise self.retry(exc=exc, countdown=5)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def message_send(self, message_id: int) -> int:
    """One message id, as queued before batches: the same as messages_send."""
    try:
        return services.messages_send(message_ids=[message_id])
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=5)


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    return services.outbox_sweep()
