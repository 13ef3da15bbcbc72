"""Celery application. The broker is Redis in production (REDIS_URL) and a
directory under var/ in the embedded default, so `make run` needs no server."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")

app = Celery("kontakt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
