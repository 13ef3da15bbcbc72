"""Thin Celery tasks for the case domain; each calls one service."""

from celery import shared_task

from cases import digest, services


@shared_task(ignore_result=True)
def deadline_flags_update() -> int:
    """Idempotent: run it as often as you like."""
    return services.case_flag_deadlines()


@shared_task(ignore_result=True)
def deadline_digests_send() -> int:
    """Scheduled every weekday morning; does nothing on a day that is not a
    working day (holidays, pause periods)."""
    return digest.deadline_digests_send()
