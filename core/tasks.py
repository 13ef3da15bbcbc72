"""The beat heartbeat: beat schedules it every minute, a worker runs it, so a
recent row proves beat, the broker and a worker all work (see /healthz)."""

from celery import shared_task
from django.utils import timezone

from core.models import Heartbeat

BEAT = "beat"


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    Heartbeat.objects.update_or_create(name=BEAT, defaults={"at": timezone.now()})
