from django.db import models


class Heartbeat(models.Model):
    """When a periodic job last ran, by name: the beat heartbeat task
    (core/tasks.py) writes "beat" every minute and /healthz reads it. One row
    per name, no personal data."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.at:%Y-%m-%d %H:%M:%S}"
