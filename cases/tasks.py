"""Thin Celery tasks for the case domain; each calls one service."""

from celery import shared_task

from cases import services


@shared_task(ignore_result=True)
def deadline_flags_update() -> int:
    """Idempotent: run it as often as you like."""
    return services.case_flag_deadlines()
