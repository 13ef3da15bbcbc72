"""The nightly disposal job; it calls one service."""

from celery import shared_task

from retention import services


@shared_task(ignore_result=True)
def dispose_due() -> int:
    """Idempotent: a case already disposed of is never due again."""
    return sum(run.count for run in services.disposal_run())
