"""Exit 0 when beat's heartbeat (core/tasks.py) is recent, 1 otherwise: the
beat container's health check (docker-compose.yml)."""

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import Heartbeat
from core.tasks import BEAT


class Command(BaseCommand):
    help = "Fail when beat's heartbeat is older than --max-age seconds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--max-age", type=int, default=180)

    def handle(self, *args: Any, **options: Any) -> None:
        at = Heartbeat.objects.filter(name=BEAT).values_list("at", flat=True).first()
        if at is None or timezone.now() - at > timedelta(seconds=options["max_age"]):
            raise CommandError(f"beat heartbeat missing or older than {options['max_age']} s")
        self.stdout.write("ok")
